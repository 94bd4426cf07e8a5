"""What marks an API key (a personal access token) among bearer credentials: its prefix."""

API_KEY_PREFIX = "qhz_"
API_KEY_METHOD = "api_key"  # the amr (RFC 8176) of an access token an API key was exchanged for
