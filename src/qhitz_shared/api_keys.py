"""What marks an API key (a personal access token) among bearer credentials: its prefix."""

API_KEY_PREFIX = "qhz_"
