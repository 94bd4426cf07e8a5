"""Use cases: the only layer that commits, through the UnitOfWork port."""
