"""main_service: users, roles, permissions and feature flags; the internal user directory."""
