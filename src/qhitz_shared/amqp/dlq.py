"""The parking queue's command line, shared by every service with a work queue: ``inspect`` (list parked messages
with their error; they stay parked), ``requeue`` (back to the work queue, attempts reset), ``purge``.
``python -m medias_service.main.dlq …`` and ``python -m studio_service.main.dlq …`` call it with their settings."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys

from qhitz_shared.amqp.parking import ParkingLot, ParkingQueueMissing
from qhitz_shared.amqp.topology import Topology


async def run(args: argparse.Namespace, url: str, topology: Topology, subject_key: str) -> int:
    if not url:
        print("no broker URL is set: without a broker there is no parking queue", file=sys.stderr)
        return 2
    try:
        async with ParkingLot(url, topology, subject_key) as lot:
            await command(lot, args, subject_key, topology.work)
    except ParkingQueueMissing:
        print(f"no queue {topology.parking.name}: no worker has declared the topology yet", file=sys.stderr)
        return 1
    return 0


async def command(lot: ParkingLot, args: argparse.Namespace, subject_key: str, work: str) -> None:
    if args.command == "inspect":
        total = await lot.count()  # before taking any: held messages are not counted
        parked = await lot.inspect(args.limit)
        if args.json:
            print(json.dumps([dataclasses.asdict(message) for message in parked], indent=2))
        else:
            print(f"{total} message(s) parked; showing {len(parked)}")
            label = subject_key.removesuffix("_id")
            for message in parked:
                print(
                    f"- {message.message_id}  {message.event or '?'}  {label}={message.subject or '?'}  "
                    f"attempts={message.attempts or '?'}  at={message.failed_at or '?'}\n    {message.error}"
                )
    elif args.command == "requeue":
        moved = await lot.requeue(args.limit, args.id)
        print(f"requeued {moved} message(s) to {work}")
    else:
        print(f"purged {await lot.purge()} message(s)")


def main(prog: str, description: str, url: str, topology: Topology, subject_key: str, argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="list parked messages with their error (they stay parked)")
    inspect.add_argument("--limit", type=int, default=50)
    inspect.add_argument("--json", action="store_true", help="machine-readable output")
    requeue = commands.add_parser("requeue", help="send parked messages back to the work queue, attempts reset")
    requeue.add_argument("--id", help="only the message with this message id")
    requeue.add_argument("--limit", type=int, default=None)
    commands.add_parser("purge", help="delete every parked message")
    return asyncio.run(run(parser.parse_args(argv), url, topology, subject_key))
