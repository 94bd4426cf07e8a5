"""Token revocation everywhere without a call per request.

main_service logs every change that makes a token worthless (a token_version bump, a status change, an ended
session) in the same transaction as the change, and publishes it. Every service that verifies user tokens keeps
the small deny state those events imply (``state.DenyState``), fed by a live stream (RabbitMQ fanout, Redis
pub/sub, or polling main's log) and caught up from main's log on every (re)connect (``feed.RevocationFeed``).
"""
