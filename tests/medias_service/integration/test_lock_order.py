"""One lock order (media, then version, then sizes) on every path: reprocess requests, the worker's job steps,
edits, trash and purge run side by side on the same media, round after round on PostgreSQL, and none of them
meets a deadlock (it would answer 500, or 503 now; the worker would log it)."""

from __future__ import annotations

import asyncio
import uuid

from medias_service.services.pipeline import VersionPipeline
from qhitz_shared.errors import NotFoundError
from tests.medias_service.e2e.helpers import upload
from tests.medias_service.support import png_bytes

ROUNDS = 12
REPROCESS = 8


async def job(app, action: str, version_id: uuid.UUID) -> str:
    """A step of the worker, as it runs it: a whole job, or the bookkeeping of a failed attempt."""
    async with app.state.dishka_container() as request:
        pipeline = await request.get(VersionPipeline)
        if action == "run":
            await pipeline.run(version_id)
        elif action == "postpone":
            await pipeline.postpone(version_id)
        else:
            await pipeline.give_up(version_id, "test", attempts=5)
    return action


async def test_concurrent_paths_on_one_media_never_deadlock(client, medias_app, make_user, db_probe) -> None:
    user = await make_user()
    answers: list[tuple[str, int]] = []

    async def call(label: str, method: str, url: str, **kwargs) -> None:
        response = await client.request(method, url, headers=user.headers, **kwargs)
        answers.append((label, response.status_code))

    for round_number in range(ROUNDS):
        media = await upload(client, user, png_bytes(extra=round_number), filename=f"{round_number}.png")
        url = f"/api/v1/media/{media['id']}"
        [version] = await db_probe.fetch("SELECT id FROM media_version WHERE media_id = $1", uuid.UUID(media["id"]))
        version_id = version["id"]
        last = round_number == ROUNDS - 1
        work = [
            *(call("reprocess", "POST", f"{url}/reprocess") for _ in range(REPROCESS)),
            job(medias_app, "run", version_id),
            job(medias_app, "run", version_id),
            job(medias_app, "postpone", version_id),
            job(medias_app, "give_up", version_id),
            call("edit", "PATCH", url, json={"title": f"round {round_number}"}),
            call("purge", "DELETE", url, params={"permanent": "true"}) if last else call("trash", "DELETE", url),
        ]
        results = await asyncio.gather(*work, return_exceptions=True)
        gone = (NotFoundError,) if last else ()  # purged under a running job: the job finds its version gone
        crashes = [result for result in results if isinstance(result, BaseException) and not isinstance(result, gone)]
        assert not crashes, crashes
        if not last:
            await call("restore", "POST", f"{url}/restore")
    failures = [(label, status) for label, status in answers if status >= 500]
    assert not failures, failures
