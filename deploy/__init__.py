"""Running the platform: the service catalogue, the `make dev` runner, migrations, the configuration reference."""
