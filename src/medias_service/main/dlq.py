"""python -m medias_service.main.dlq inspect|requeue|purge: operate the parking queue (the dead letters of media
processing), with the service's own settings (AMQP_URL, AMQP_PREFIX, MEDIAS_PROCESSING_*)."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys

from medias_service.adapters.outbound.rabbit.parking import ParkingLot, ParkingQueueMissing
from medias_service.main.processing import topology_of
from medias_service.main.settings import MediasSettings


async def run(args: argparse.Namespace, settings: MediasSettings) -> int:
    if not settings.amqp.url:
        print("AMQP_URL is not set: without a broker there is no parking queue", file=sys.stderr)
        return 2
    topology = topology_of(settings.amqp, settings.processing)
    try:
        async with ParkingLot(settings.amqp.url, topology) as lot:
            await command(lot, args)
    except ParkingQueueMissing:
        print(f"no queue {topology.parking.name}: no worker has declared the topology yet", file=sys.stderr)
        return 1
    return 0


async def command(lot: ParkingLot, args: argparse.Namespace) -> None:
    if args.command == "inspect":
        total = await lot.count()  # before taking any: held messages are not counted
        parked = await lot.inspect(args.limit)
        if args.json:
            print(json.dumps([dataclasses.asdict(message) for message in parked], indent=2))
        else:
            print(f"{total} message(s) parked; showing {len(parked)}")
            for message in parked:
                print(
                    f"- {message.message_id}  {message.event or '?'}  version={message.version_id or '?'}  "
                    f"attempts={message.attempts or '?'}  at={message.failed_at or '?'}\n    {message.error}"
                )
    elif args.command == "requeue":
        moved = await lot.requeue(args.limit, args.id)
        print(f"requeued {moved} message(s) to processing")
    else:
        print(f"purged {await lot.purge()} message(s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m medias_service.main.dlq", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser("inspect", help="list parked messages with their error (they stay parked)")
    inspect.add_argument("--limit", type=int, default=50)
    inspect.add_argument("--json", action="store_true", help="machine-readable output")
    requeue = commands.add_parser("requeue", help="send parked messages back to processing, attempts reset")
    requeue.add_argument("--id", help="only the message with this message id")
    requeue.add_argument("--limit", type=int, default=None)
    commands.add_parser("purge", help="delete every parked message")
    args = parser.parse_args(argv)
    return asyncio.run(run(args, MediasSettings.from_env()))


if __name__ == "__main__":
    sys.exit(main())
