"""Composition root: settings, dishka providers, the ServiceSpec (app.py), the worker (worker.py)."""
