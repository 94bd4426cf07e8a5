"""Composition root: settings, dishka providers, the ServiceSpec (app.py)."""
