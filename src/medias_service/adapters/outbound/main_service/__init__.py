"""main_service's internal API: the owner's limits, with a service token."""
