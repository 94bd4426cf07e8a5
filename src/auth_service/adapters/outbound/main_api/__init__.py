"""main_service's internal API over HTTP (httpx), authenticated with auth_service's own service token."""
