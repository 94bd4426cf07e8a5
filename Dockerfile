# syntax=docker/dockerfile:1.7
# One image for every process of the platform; each is a command of it:
#   python -m main_service.main (the default) · python -m auth_service.main · python -m medias_service.main
#   python -m medias_service.main.worker (the media worker) · python -m dental_service.main
#   python -m chat_service.main · python -m studio_service.main
#   python -m studio_service.main.worker (the studio worker) · python -m deploy.migrate (every database to head)
# Build: make build (docker build -t qhitz:latest .)

ARG PYTHON_VERSION=3.11
ARG UV_VERSION=0.13.9

# --- build: uv resolves nothing, it installs exactly uv.lock into /app/.venv --------------------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ARG UV_VERSION
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
WORKDIR /app
# dependencies first: this layer is rebuilt only when the lock changes
COPY pyproject.toml uv.lock README.md ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-dev --no-install-project
COPY src ./src
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-dev

# --- runtime: the virtual environment and the sources, no uv, no pip cache, no compilers, not root ---------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    APP_DATA_DIR=/app/data
RUN groupadd --system --gid 10001 qhitz \
    && useradd --system --uid 10001 --gid qhitz --home-dir /app --no-create-home --shell /usr/sbin/nologin qhitz \
    && python -m pip uninstall --yes --quiet pip setuptools wheel
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY --from=build /app/src /app/src
COPY alembic.ini ./
COPY migrations ./migrations
COPY config ./config
COPY deploy/__init__.py deploy/migrate.py deploy/healthcheck.py ./deploy/
RUN mkdir -p /app/data && chown qhitz:qhitz /app/data
USER qhitz:qhitz
EXPOSE 3000 3001 3002
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["python", "-m", "deploy.healthcheck"]
CMD ["python", "-m", "main_service.main"]
