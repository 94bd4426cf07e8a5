"""Use cases. auth_service has no database: its state lives in main_service, reached through ports."""
