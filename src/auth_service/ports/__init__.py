"""Interfaces auth_service's use cases need, named by role."""
