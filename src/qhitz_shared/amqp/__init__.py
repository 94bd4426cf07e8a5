"""RabbitMQ pieces every service with a queue shares: the topology, the confirming publisher."""
