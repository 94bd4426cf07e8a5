# Qhitz — `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: uv
uv: ## Install uv when the machine has none
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

.PHONY: install
install: uv ## Install the locked environment (runtime and dev tools)
	$(UV) sync --frozen

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

.PHONY: migrate
migrate: install ## Apply migrations to maindb (MAIN_DB_URL)
	$(RUN) alembic -n main upgrade head

.PHONY: create-admin
create-admin: install ## Create or promote the first admin: make create-admin EMAIL=you@example.com [USERNAME=...]
	$(RUN) python -m main_service.main.cli create-admin --email "$(EMAIL)" $(if $(USERNAME),--username "$(USERNAME)")

.PHONY: clean
clean: ## Remove caches and local data
	rm -rf .venv .pytest_cache .ruff_cache data
