"""RabbitMQ: the processing topology and the outbox relay's publisher."""
