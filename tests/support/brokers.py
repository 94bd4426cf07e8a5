"""RabbitMQ clean-up for tests and benchmarks that declare a work queue's topology under a prefix of their own."""

from __future__ import annotations

import aio_pika

from qhitz_shared.amqp.topology import Topology


async def delete_topology(url: str, topology: Topology) -> None:
    """Delete the work and parking queues (and delay queues) and the exchanges ``topology`` names."""
    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel()
        for name in topology.queue_names():
            await channel.queue_delete(name)
        for name in topology.exchange_names():
            await channel.exchange_delete(name)
    finally:
        await connection.close()
