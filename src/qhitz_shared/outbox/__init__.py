"""The transactional outbox every service with events shares: the table, the relay, the publishers."""
