"""Use cases: the only layer that commits."""
