"""python -m deploy.healthcheck: the image's HEALTHCHECK. GET $HEALTHCHECK_URL must answer 2xx.

A process without an HTTP port (the media worker) sets no HEALTHCHECK_URL and is healthy while it runs; its
container restarts when it exits.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    url = os.environ.get("HEALTHCHECK_URL")
    if not url:
        return 0
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - a URL from our own configuration
            return 0 if 200 <= response.status < 300 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
