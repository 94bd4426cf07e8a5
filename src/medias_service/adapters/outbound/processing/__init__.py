"""Where new versions are announced for processing (an outbox comes with the worker)."""
