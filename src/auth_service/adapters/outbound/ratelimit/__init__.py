"""Rate limiting with the `limits` package: Redis when REDIS_URL is set, process memory otherwise."""
