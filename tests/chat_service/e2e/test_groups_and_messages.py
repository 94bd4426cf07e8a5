"""Groups, members and history over real HTTP: the rules of the issue, one test each."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from tests.chat_service.e2e.helpers import add_member, create_group, send


async def test_the_last_owner_hands_over_before_leaving_and_departures_are_history(chat_server, make_user) -> None:
    alice, bob = make_user(), make_user()
    async with httpx.AsyncClient(base_url=chat_server) as http:
        group = (await create_group(http, alice))["id"]
        await add_member(http, group, alice, bob)
        refused = await http.post(f"/api/v1/groups/{group}/leave", headers=alice.headers)
        assert (refused.status_code, refused.json()["code"]) == (409, "last_owner")
        handed = await http.patch(
            f"/api/v1/groups/{group}/members/{bob.id}", json={"role": "owner"}, headers=alice.headers
        )
        assert handed.json()["role"] == "owner"
        assert (await http.post(f"/api/v1/groups/{group}/leave", headers=alice.headers)).status_code == 204
        assert (await http.get(f"/api/v1/groups/{group}", headers=alice.headers)).status_code == 404
        history = (await http.get(f"/api/v1/groups/{group}/messages", headers=bob.headers)).json()
        assert [(m["seq"], m["event"], m["subject_id"]) for m in history] == [
            (2, "member_left", str(alice.id)),
            (1, "member_added", str(bob.id)),
        ]


async def test_an_unknown_email_is_404_and_a_second_add_409(chat_server, make_user) -> None:
    alice, bob = make_user(), make_user()
    async with httpx.AsyncClient(base_url=chat_server) as http:
        group = (await create_group(http, alice))["id"]
        unknown = await http.post(
            f"/api/v1/groups/{group}/members", json={"email": "nobody@example.com"}, headers=alice.headers
        )
        assert (unknown.status_code, unknown.json()["code"]) == (404, "user_not_found")
        await add_member(http, group, alice, bob)
        again = await http.post(f"/api/v1/groups/{group}/members", json={"email": bob.email}, headers=alice.headers)
        assert (again.status_code, again.json()["code"]) == (409, "already_member")


async def test_concurrent_senders_get_consecutive_sequence_numbers(chat_server, make_user) -> None:
    alice, bob = make_user(), make_user()
    async with httpx.AsyncClient(base_url=chat_server) as http:
        group = (await create_group(http, alice))["id"]
        await add_member(http, group, alice, bob)
        answers = await asyncio.gather(*(send(http, group, (alice, bob)[n % 2], f"m{n}") for n in range(30)))
        assert sorted(answer.json()["seq"] for answer in answers) == list(range(2, 32))


async def test_keyset_pages_edits_and_tombstones_keep_the_sequence(chat_server, make_user) -> None:
    alice = make_user()
    async with httpx.AsyncClient(base_url=chat_server) as http:
        group = (await create_group(http, alice))["id"]
        for number in range(1, 8):
            assert (await send(http, group, alice, f"m{number}")).json()["seq"] == number
        url, headers = f"/api/v1/groups/{group}/messages", alice.headers
        newest = (await http.get(url, params={"limit": 3}, headers=headers)).json()
        assert [m["seq"] for m in newest] == [7, 6, 5]
        older = (await http.get(url, params={"limit": 3, "before_seq": 5}, headers=headers)).json()
        assert [m["seq"] for m in older] == [4, 3, 2]
        after = (await http.get(url, params={"after_seq": 4}, headers=headers)).json()
        assert [m["seq"] for m in after] == [5, 6, 7]
        assert (await http.get(url, params={"limit": 101}, headers=headers)).status_code == 400
        edited = await http.patch(f"{url}/3", json={"text": "  e\u0301dited  "}, headers=headers)
        assert (edited.json()["seq"], edited.json()["text"], edited.json()["edited_at"] is not None) == (
            3,
            "\u00e9dited",
            True,
        )
        deleted = await http.delete(f"{url}/4", headers=headers)
        assert (deleted.json()["seq"], deleted.json()["deleted"], deleted.json()["text"]) == (4, True, "")
        again = await http.patch(f"{url}/4", json={"text": "back"}, headers=headers)
        assert (again.status_code, again.json()["code"]) == (409, "message_deleted")
        assert (await http.patch(f"{url}/99", json={"text": "x"}, headers=headers)).status_code == 404
        window = (await http.get(url, params={"after_seq": 2, "before_seq": 5}, headers=headers)).json()
        assert [(m["seq"], m["text"]) for m in window] == [(4, ""), (3, "\u00e9dited")]


async def test_read_markers_drive_unread_counts(chat_server, make_user) -> None:
    alice, bob = make_user(), make_user()
    async with httpx.AsyncClient(base_url=chat_server) as http:
        group = (await create_group(http, alice, "Unread"))["id"]
        await add_member(http, group, alice, bob)
        for number in range(5):
            await send(http, group, alice, f"m{number}")

        async def unread(user) -> int:
            groups = (await http.get("/api/v1/groups", headers=user.headers)).json()
            return next(g["unread_count"] for g in groups if g["id"] == group)

        assert await unread(alice) == 0  # her own messages; the member_added entry is hers too
        assert await unread(bob) == 6  # the system entry and five messages
        marked = await http.put(f"/api/v1/groups/{group}/read", json={"seq": 4}, headers=bob.headers)
        assert marked.json() == {"last_read_seq": 4}
        assert await unread(bob) == 2
        back = await http.put(f"/api/v1/groups/{group}/read", json={"seq": 1}, headers=bob.headers)
        assert back.json() == {"last_read_seq": 4}  # forward only
        await send(http, group, bob, "mine")
        assert await unread(bob) == 0  # sending reads up to one's own message


async def test_text_bounds_and_bad_client_ids(chat_server, make_user) -> None:
    alice = make_user()
    async with httpx.AsyncClient(base_url=chat_server) as http:
        group = (await create_group(http, alice))["id"]
        assert (await send(http, group, alice, "x" * 4000)).status_code == 201
        assert (await send(http, group, alice, "x" * 4001)).status_code == 422
        assert (await send(http, group, alice, "   ")).status_code == 422
        assert (await send(http, group, alice, "ok", "not ascii é")).status_code == 422
        assert (await send(http, group, alice, "ok", "x" * 65)).status_code == 400
        archived = await http.delete(f"/api/v1/groups/{group}", headers=alice.headers)
        assert archived.status_code == 204
        closed = await send(http, group, alice, "late", uuid.uuid4().hex)
        assert (closed.status_code, closed.json()["code"]) == (409, "group_archived")
        assert (await http.get(f"/api/v1/groups/{group}/messages", headers=alice.headers)).status_code == 200
