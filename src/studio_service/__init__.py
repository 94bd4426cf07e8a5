"""studio_service: film projects, a credit ledger with Stripe billing, and a queue of generation jobs."""
