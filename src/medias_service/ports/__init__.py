"""Interfaces the use cases need, named by role."""
