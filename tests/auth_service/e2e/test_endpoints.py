"""Each auth endpoint's contract over real HTTP: the OAuth2 forms, policy refusals, verify, JWKS, service tokens."""

from __future__ import annotations

import base64
import uuid

import jwt
import pytest

from qhitz_shared.tokens import TokenSigner, public_keys_from_jwks
from tests.support.platform import bearer, register
from tests.support.waiting import eventually


async def test_jwks_is_at_the_root_and_verifies_issued_tokens(platform, auth) -> None:
    response = await auth.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert "max-age" in response.headers["cache-control"]
    keys = public_keys_from_jwks(response.json())
    assert list(keys) == [platform.signing_key().kid]
    account = await register(auth)
    kid = jwt.get_unverified_header(account["access_token"])["kid"]
    claims = jwt.decode(
        account["access_token"], keys[kid], algorithms=["EdDSA"], audience="qhitz-api", issuer="qhitz-auth"
    )
    assert claims["typ"] == "access"
    for entry in response.json()["keys"]:
        assert "d" not in entry  # never the private part


async def test_oauth2_password_form_on_token(auth, main) -> None:
    account = await register(auth)
    response = await auth.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": account["username"], "password": account["password"]},
    )
    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "Bearer"
    assert (await main.get("/api/v1/users/me", headers=bearer(response.json()["access_token"]))).status_code == 200
    by_email = await auth.post(
        "/api/v1/auth/token", data={"username": account["email"], "password": account["password"]}
    )
    assert by_email.status_code == 200
    wrong = await auth.post("/api/v1/auth/token", data={"username": account["username"], "password": "nope-nope"})
    assert wrong.status_code == 401
    assert wrong.headers["content-type"].startswith("application/problem+json")


async def test_login_errors(auth) -> None:
    account = await register(auth)
    neither = await auth.post("/api/v1/auth/login", json={"password": account["password"]})
    assert neither.status_code == 422
    unknown = await auth.post("/api/v1/auth/login", json={"email": "nobody-here@example.com", "password": "whatever-1"})
    wrong = await auth.post("/api/v1/auth/login", json={"email": account["email"], "password": "whatever-1"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json()["code"] == wrong.json()["code"] == "invalid_credentials"  # no account enumeration
    assert unknown.json()["detail"] == wrong.json()["detail"]
    stale_header = await auth.post(
        "/api/v1/auth/login",
        json={"email": account["email"], "password": account["password"]},
        headers=bearer("not-a-token"),
    )
    assert stale_header.status_code == 200  # public endpoints ignore a stale Authorization header


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Short1!", "too_short"),
        ("x" * 129, "too_long"),
        ("password123", "too_guessable"),
        ("qwertyuiop", "too_guessable"),
        ("{username}-Velvet-Orbit", "contains_personal_data"),
        ("Velvet-{local}-Orbit", "contains_personal_data"),
    ],
)
async def test_register_password_policy(auth, password: str, reason: str) -> None:
    suffix = uuid.uuid4().hex[:8]
    username, local = f"user{suffix}", f"mail{suffix}"
    response = await auth.post(
        "/api/v1/auth/register",
        json={
            "email": f"{local}@example.com",
            "username": username,
            "password": password.format(username=username, local=local),
        },
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert (body["code"], body["reason"]) == ("weak_password", reason)
    assert body["detail"]


async def test_register_conflicts_and_invalid_data(auth) -> None:
    account = await register(auth)
    same_email = await auth.post(
        "/api/v1/auth/register",
        json={
            "email": account["email"].upper(),
            "username": f"x{uuid.uuid4().hex[:8]}",
            "password": account["password"],
        },
    )
    assert (same_email.status_code, same_email.json()["code"]) == (409, "email_taken")
    same_username = await auth.post(
        "/api/v1/auth/register",
        json={
            "email": f"{uuid.uuid4().hex[:8]}@example.com",
            "username": account["username"],
            "password": account["password"],
        },
    )
    assert (same_username.status_code, same_username.json()["code"]) == (409, "username_taken")
    bad_email = await auth.post(
        "/api/v1/auth/register",
        json={"email": "not-an-email", "username": "fine-name", "password": account["password"]},
    )
    assert (bad_email.status_code, bad_email.json()["code"]) == (422, "invalid_user_data")


async def test_verify_introspects(auth) -> None:
    account = await register(auth)
    valid = (await auth.get("/api/v1/auth/verify", headers=bearer(account["access_token"]))).json()
    assert valid["valid"] is True
    assert valid["claims"]["sub"] == jwt.decode(account["access_token"], options={"verify_signature": False})["sub"]
    assert (await auth.get("/api/v1/auth/verify")).json()["valid"] is False
    garbage = (await auth.get("/api/v1/auth/verify", headers=bearer("abc.def.ghi"))).json()
    assert (garbage["valid"], garbage["claims"]) == (False, None)
    refresh = (await auth.get("/api/v1/auth/verify", headers=bearer(account["refresh_token"]))).json()
    assert refresh["valid"] is False

    assert (await auth.post("/api/v1/auth/logout", headers=bearer(account["access_token"]))).status_code == 204
    ended = (await auth.get("/api/v1/auth/verify", headers=bearer(account["access_token"]))).json()
    assert ended["valid"] is False
    assert ended["reason"] == "The session has ended"


async def test_verify_checks_the_token_kind(platform, auth) -> None:
    """A token signed with auth_service's own key but of the wrong kind for its audience is not valid."""
    account = await register(auth)
    claims = jwt.decode(account["access_token"], options={"verify_signature": False})
    signer = TokenSigner(platform.signing_key(), platform.jwt.issuer)
    user = {"subject": claims["sub"], "ttl_seconds": 60, "sid": claims["sid"], "ver": claims["ver"], "typ": "access"}
    for token in (
        signer.sign(audience=platform.jwt.internal_audience, **user),  # a user token for the internal audience
        signer.sign(audience=platform.jwt.audience, svc="medias_service", **user),  # a service token for the API
    ):
        answer = (await auth.get("/api/v1/auth/verify", headers=bearer(token))).json()
        assert (answer["valid"], answer["reason"]) == (False, "The token audience does not match its kind")
    same_kind = signer.sign(audience=platform.jwt.audience, **user)
    assert (await auth.get("/api/v1/auth/verify", headers=bearer(same_kind))).json()["valid"] is True


async def test_logout_all_revokes_every_token(auth, main) -> None:
    account = await register(auth)
    other = (
        await auth.post("/api/v1/auth/login", json={"email": account["email"], "password": account["password"]})
    ).json()
    assert (await auth.post("/api/v1/auth/logout-all", headers=bearer(account["access_token"]))).status_code == 204
    assert (await main.get("/api/v1/users/me", headers=bearer(other["access_token"]))).status_code == 401
    refused = await auth.post("/api/v1/auth/refresh", json={"refresh_token": other["refresh_token"]})
    assert refused.status_code == 401
    assert (await auth.get("/api/v1/auth/sessions", headers=bearer(account["access_token"]))).status_code == 401


async def test_change_password_errors(auth) -> None:
    account = await register(auth)
    wrong = await auth.post(
        "/api/v1/auth/change-password",
        json={"current_password": "not-it-at-all", "new_password": "Quartz-Lantern-Meadow-77"},
        headers=bearer(account["access_token"]),
    )
    assert (wrong.status_code, wrong.json()["code"]) == (422, "wrong_current_password")
    weak = await auth.post(
        "/api/v1/auth/change-password",
        json={"current_password": account["password"], "new_password": "password1"},
        headers=bearer(account["access_token"]),
    )
    assert (weak.status_code, weak.json()["code"]) == (422, "weak_password")
    anonymous = await auth.post("/api/v1/auth/change-password", json={"current_password": "a", "new_password": "b"})
    assert anonymous.status_code == 401


async def test_user_endpoints_refuse_service_tokens(platform, auth) -> None:
    client_id, secret = platform.service_client
    token = (
        await auth.post(
            "/api/v1/auth/service-token",
            data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
        )
    ).json()["access_token"]
    assert (await auth.get("/api/v1/auth/sessions", headers=bearer(token))).status_code == 401
    introspected = (await auth.get("/api/v1/auth/verify", headers=bearer(token))).json()
    assert (introspected["valid"], introspected["claims"]["svc"]) == (True, client_id)


async def test_service_token_grant(platform, auth) -> None:
    client_id, secret = platform.service_client
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    with_basic = await auth.post(
        "/api/v1/auth/service-token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert with_basic.status_code == 200, with_basic.text
    claims = jwt.decode(with_basic.json()["access_token"], options={"verify_signature": False})
    assert (claims["aud"], claims["svc"], claims["sub"]) == ("main-internal", client_id, f"service:{client_id}")
    assert with_basic.headers["cache-control"] == "no-store"

    wrong_secret = await auth.post(
        "/api/v1/auth/service-token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret + "x"},
    )
    unknown = await auth.post(
        "/api/v1/auth/service-token",
        data={"grant_type": "client_credentials", "client_id": "stranger", "client_secret": secret},
    )
    assert (wrong_secret.status_code, wrong_secret.json()["code"]) == (401, "invalid_client")
    assert (unknown.status_code, unknown.json()["code"]) == (401, "invalid_client")
    wrong_grant = await auth.post(
        "/api/v1/auth/service-token", data={"grant_type": "password", "client_id": client_id, "client_secret": secret}
    )
    assert (wrong_grant.status_code, wrong_grant.json()["code"]) == (400, "unsupported_grant_type")


async def test_the_shared_service_token_client_speaks_the_contract(platform) -> None:
    import httpx

    from qhitz_shared.service_tokens import ServiceClientSettings, ServiceTokenClient

    client_id, secret = platform.service_client
    async with httpx.AsyncClient() as http:
        tokens = ServiceTokenClient(
            ServiceClientSettings(auth_url=platform.auth_url, client_id=client_id, client_secret=secret), http
        )
        token = await tokens.token()
        assert await tokens.token() == token  # cached
        async with httpx.AsyncClient(base_url=platform.main_url) as main:
            limits = await main.get(f"/internal/v1/users/{uuid.uuid4()}/limits", headers=bearer(token))
            lookup = await main.get("/internal/v1/users/lookup", params={"login": "nobody"}, headers=bearer(token))
        assert limits.status_code == 404  # authenticated and allowed (not 401/403): the lookup of limits ran
        assert lookup.status_code == 403  # a media client may not read accounts


async def test_readiness_checks_main_and_redis(auth) -> None:
    # the revocation state loads once auth_service serves its keys (main checks its service token with them)
    ready = await eventually(
        lambda: auth.get("/ready"), lambda response: response.status_code == 200, timeout=10, every=0.05
    )
    assert ready.json()["checks"] == {"main_service": "ok", "redis": "ok", "revocations": "ok"}
