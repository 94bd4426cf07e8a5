"""A tuspy client run as its own process, so a test can kill it half-way: creates the upload, prints its URL,
then sends the file chunk by chunk. Usage: python -m tests.medias_service.tus.client_process ENDPOINT TOKEN PATH
CHUNK_BYTES."""

from __future__ import annotations

import sys

from tusclient.client import TusClient


def main() -> None:
    endpoint, token, path, chunk = sys.argv[1:5]
    client = TusClient(endpoint, headers={"Authorization": f"Bearer {token}"})
    uploader = client.uploader(path, chunk_size=int(chunk), metadata={"filename": "big.png", "title": "Big"})
    uploader.set_url(uploader.create_url())
    print(uploader.url, flush=True)
    uploader.upload()


if __name__ == "__main__":
    main()
