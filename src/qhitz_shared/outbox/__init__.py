"""The transactional outbox every service with a database can use: events recorded in the transaction that caused
them (``sqla.outbox_table``, ``sqla.record``), published after commit by a relay (``relay.OutboxRelay``, run by
``runner.RelayRunner``) to RabbitMQ or to handlers in the same process (``inprocess.InProcessEventPublisher``)."""
