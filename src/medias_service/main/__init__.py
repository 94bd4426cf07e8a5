"""Composition root: settings, dishka providers, create_http_app()."""
