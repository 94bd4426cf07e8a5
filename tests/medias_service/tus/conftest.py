"""Resumable upload fixtures: medias_service served over real HTTP (tuspy speaks HTTP through requests), on the
storage backend the test asks for."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from tusclient.client import TusClient

from medias_service.main.app import create_http_app
from medias_service.main.settings import MediasSettings
from tests.medias_service.conftest import SignedServiceTokens, SignedTokensProvider
from tests.support.servers import serve_app


@pytest.fixture
def tus_url(medias_settings: MediasSettings, service_tokens: SignedServiceTokens) -> Iterator[str]:
    app = create_http_app(medias_settings, overrides=[SignedTokensProvider(service_tokens)])
    with serve_app(app) as url:
        yield url


def tus_client(url: str, token: str) -> TusClient:
    return TusClient(f"{url}/api/v1/uploads", headers={"Authorization": f"Bearer {token}"})


def write_file(path: Path, head: bytes, size: int, block: int = 8 * 1024 * 1024) -> str:
    """``head`` then filler bytes up to ``size`` (every block different), written without holding it all; the
    sha256 of the whole."""
    sha = hashlib.sha256()
    with path.open("wb") as file:
        file.write(head)
        sha.update(head)
        written, number = len(head), 0
        while written < size:
            piece = (number.to_bytes(8, "big") * (block // 8))[: min(block, size - written)]
            file.write(piece)
            sha.update(piece)
            written, number = written + len(piece), number + 1
    return sha.hexdigest()
