"""chat_service answers as its OpenAPI document says — anonymous, as a group's owner, as a plain member and as a
stranger to the group (schemathesis with all its checks; any 5xx fails). A seeded group with members and messages
gives the path ids real rows to name."""

from __future__ import annotations

import uuid

import httpx

from tests.support.contract import Identity, run_contract


def test_chat_service_honours_its_openapi_document(chat_server: str, make_user) -> None:
    owner, member, stranger = make_user(), make_user(), make_user()
    with httpx.Client(base_url=chat_server, timeout=10) as http:
        group = http.post("/api/v1/groups", json={"name": "Contract"}, headers=owner.headers).json()
        added = http.post(f"/api/v1/groups/{group['id']}/members", json={"email": member.email}, headers=owner.headers)
        assert added.status_code == 201, added.text
        for number in range(3):
            sent = http.post(
                f"/api/v1/groups/{group['id']}/messages",
                json={"text": f"seed {number}", "client_msg_id": uuid.uuid4().hex},
                headers=member.headers,
            )
            assert sent.status_code == 201, sent.text
        known = {"group_id": [group["id"]], "user_id": [str(member.id), str(owner.id)], "seq": [1, 2, 3]}
        identities = [
            Identity("anonymous"),
            Identity("owner", owner.headers),
            Identity("member", member.headers),
            Identity("stranger", stranger.headers),
        ]
        run = run_contract(chat_server, identities, known, examples=5)
    print(f"chat_service: {run.calls} calls in {run.seconds:.1f}s")
    assert not run.server_errors, run.report()
    assert not run.failures, run.report()
