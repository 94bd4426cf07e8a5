"""Concurrent crossing moves on PostgreSQL: A into B's subtree and B into A's at the same time. The folder and the
target's ancestry are locked before the cycle check, so one move wins and the other answers 409 folder_cycle."""

from __future__ import annotations

import asyncio

import pytest

from tests.medias_service.drive.test_folders import F, make


@pytest.fixture
def database(medias_db_url: str) -> str:
    return medias_db_url


async def test_crossing_moves_never_make_a_cycle(client, make_user):
    user = await make_user()
    for _ in range(8):
        a = await make(client, user, "a")
        a1 = await make(client, user, "a1", a["id"])
        b = await make(client, user, "b")
        b1 = await make(client, user, "b1", b["id"])
        answers = await asyncio.gather(
            client.patch(f"{F}/{a['id']}", json={"parent_id": b1["id"]}, headers=user.headers),
            client.patch(f"{F}/{b['id']}", json={"parent_id": a1["id"]}, headers=user.headers),
        )
        assert sorted(answer.status_code for answer in answers) == [200, 409], [a.text for a in answers]
        assert [answer.json()["code"] for answer in answers if answer.status_code == 409] == ["folder_cycle"]
        for folder in (a, a1, b, b1):
            details = (await client.get(f"{F}/{folder['id']}", headers=user.headers)).json()
            path = [crumb["id"] for crumb in details["breadcrumbs"]]
            assert folder["id"] not in path and len(path) == len(set(path))
            assert details["breadcrumbs"][0]["id"] in (a["id"], b["id"]) if path else True
        # one of the two is still at the root, holding the other: clear the root for the next round
        root = (await client.get(f"{F}/root/children", headers=user.headers)).json()
        assert root["folder_total"] == 1
        assert (await client.delete(f"{F}/{root['folders'][0]['id']}", headers=user.headers)).status_code == 200
