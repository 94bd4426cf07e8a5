# Qhitz — `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen

# docker compose: the development stack, or with STACK=prod the production file and its env file
STACK ?= dev
ifeq ($(STACK),prod)
COMPOSE := docker compose --env-file deploy/env/prod.env -f docker-compose.prod.yml
else
COMPOSE := docker compose -f docker-compose.yml
endif
IMAGE ?= qhitz:latest

# migrate / migration / db-* use MAIN_DB_URL, MEDIAS_DB_URL, DENTAL_DB_URL, CHAT_DB_URL and STUDIO_DB_URL when set,
# else the compose databases
COMPOSE_MAIN_DB_URL := postgresql+asyncpg://qhitz:qhitz@127.0.0.1:5432/maindb
COMPOSE_MEDIAS_DB_URL := postgresql+asyncpg://qhitz:qhitz@127.0.0.1:5433/mediasdb
COMPOSE_DENTAL_DB_URL := postgresql+asyncpg://qhitz:qhitz@127.0.0.1:5434/dentaldb
COMPOSE_CHAT_DB_URL := postgresql+asyncpg://qhitz:qhitz@127.0.0.1:5435/chatdb
COMPOSE_STUDIO_DB_URL := postgresql+asyncpg://qhitz:qhitz@127.0.0.1:5436/studiodb
DB_ENV = MAIN_DB_URL="$${MAIN_DB_URL:-$(COMPOSE_MAIN_DB_URL)}" MEDIAS_DB_URL="$${MEDIAS_DB_URL:-$(COMPOSE_MEDIAS_DB_URL)}" \
	DENTAL_DB_URL="$${DENTAL_DB_URL:-$(COMPOSE_DENTAL_DB_URL)}" CHAT_DB_URL="$${CHAT_DB_URL:-$(COMPOSE_CHAT_DB_URL)}" \
	STUDIO_DB_URL="$${STUDIO_DB_URL:-$(COMPOSE_STUDIO_DB_URL)}"

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: uv
uv: ## Install uv when the machine has none
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

.PHONY: install
install: uv ## Install the locked environment (runtime and dev tools)
	$(UV) sync --frozen

.PHONY: dev
dev: install ## Run the whole platform here: migrations, first admin, every service (SQLite, local storage); Ctrl-C stops
	$(RUN) python -m deploy.dev

.PHONY: lint
lint: install ## ruff (lint and format check) and the import-linter contracts
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) lint-imports

.PHONY: fmt
fmt: install ## Format and auto-fix
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

.PHONY: test
test: lint ## Install everything and run all checks: lint, import contracts, the whole suite
	$(RUN) pytest

.PHONY: config-reference
config-reference: install ## Rewrite the README's configuration reference from the services' settings
	$(RUN) python -m deploy.configref --write

.PHONY: error-reference
error-reference: install ## Rewrite the README's list of error codes from the code
	$(RUN) python -m deploy.errorref --write

.PHONY: build
build: ## Build the image every service runs from (IMAGE=qhitz:latest)
	docker build -t $(IMAGE) .

.PHONY: up
up: ## Start the compose stack in the background (STACK=prod for production)
	$(COMPOSE) up -d $(if $(filter dev,$(STACK)),--build)

.PHONY: down
down: ## Stop the compose stack (volumes are kept)
	$(COMPOSE) down

.PHONY: logs
logs: ## Follow the compose logs (SERVICE=auth for one service)
	$(COMPOSE) logs -f --tail=200 $(SERVICE)

.PHONY: ps
ps: ## List the compose containers and their health
	$(COMPOSE) ps

.PHONY: migrate
migrate: install ## Migrate every database to head (each <SERVICE>_DB_URL, else the compose ones)
	$(DB_ENV) $(RUN) python -m deploy.migrate

.PHONY: migration
migration: install ## New revision for one database: make migration SERVICE=main|medias|dental|chat|studio MSG="what changes"
	@test -n "$(SERVICE)" -a -n "$(MSG)" || { echo 'usage: make migration SERVICE=main|medias|dental|chat|studio MSG="what changes"'; exit 2; }
	$(DB_ENV) $(RUN) alembic -n $(SERVICE) upgrade head
	$(DB_ENV) $(RUN) alembic -n $(SERVICE) revision --autogenerate -m "$(MSG)"

.PHONY: db-main
db-main: ## psql into maindb (MAIN_DB_URL, else the compose database)
	psql "$$(echo "$${MAIN_DB_URL:-$(COMPOSE_MAIN_DB_URL)}" | sed 's/+asyncpg//')"

.PHONY: db-medias
db-medias: ## psql into mediasdb (MEDIAS_DB_URL, else the compose database)
	psql "$$(echo "$${MEDIAS_DB_URL:-$(COMPOSE_MEDIAS_DB_URL)}" | sed 's/+asyncpg//')"

.PHONY: db-dental
db-dental: ## psql into dentaldb (DENTAL_DB_URL, else the compose database)
	psql "$$(echo "$${DENTAL_DB_URL:-$(COMPOSE_DENTAL_DB_URL)}" | sed 's/+asyncpg//')"

.PHONY: dental-seed
dental-seed: install ## A demo dental practice: two dentists, twenty patients, a week of appointments (DENTAL_DB_URL)
	$(RUN) python -m dental_service.main.seed

.PHONY: db-chat
db-chat: ## psql into chatdb (CHAT_DB_URL, else the compose database)
	psql "$$(echo "$${CHAT_DB_URL:-$(COMPOSE_CHAT_DB_URL)}" | sed 's/+asyncpg//')"

.PHONY: db-studio
db-studio: ## psql into studiodb (STUDIO_DB_URL, else the compose database)
	psql "$$(echo "$${STUDIO_DB_URL:-$(COMPOSE_STUDIO_DB_URL)}" | sed 's/+asyncpg//')"

.PHONY: create-admin
create-admin: install ## Create or promote an admin: make create-admin EMAIL=you@example.com [USERNAME=...] (or ADMIN_EMAIL)
	$(RUN) python -m main_service.main.cli create-admin $(if $(EMAIL),--email "$(EMAIL)") $(if $(USERNAME),--username "$(USERNAME)")

.PHONY: dlq
dlq: install ## A parking (dead-letter) queue: make dlq [SERVICE=medias|studio] CMD=inspect|requeue|purge (AMQP_URL)
	$(RUN) python -m $(or $(SERVICE),medias)_service.main.dlq $(or $(CMD),inspect)

.PHONY: bench
bench: install ## Run every benchmark script under bench/ (each prints its figures)
	@shopt -s nullglob; scripts=(bench/*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "no benchmarks yet (bench/*.py)"; exit 0; fi; \
	for script in "$${scripts[@]}"; do echo "== $$script"; $(RUN) python "$$script" || exit 1; done

.PHONY: mutation
mutation: install ## Mutation testing of the security-critical modules (slow, not part of test): kill rate per module
	rm -rf mutants
	@start=$$(date +%s); nice -n 10 $(RUN) mutmut run --max-children $(or $(JOBS),2) && \
	JOBS=$(or $(JOBS),2) $(RUN) python mutation/report.py --write --seconds $$(( $$(date +%s) - start ))

.PHONY: clean
clean: ## Remove the environment, caches and local data (make dev's SQLite databases, keys and media)
	rm -rf .venv .pytest_cache .ruff_cache .import_linter_cache data mutants
