"""auth_service's HTTP edge: thin Litestar controllers."""
