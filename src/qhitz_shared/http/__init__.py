"""Litestar kit shared by the services: problem details, bearer auth, observability, app assembly."""
