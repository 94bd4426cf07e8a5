"""SQLAlchemy models and repositories of mediasdb; ORM objects never leave this package."""
