"""Litestar controllers: parse the request, call a use case, answer a DTO."""
