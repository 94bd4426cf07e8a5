"""Accounts compare in NFC across both services: auth_service passes registration on to main_service (issue 9 §4)."""

from __future__ import annotations

import unicodedata
import uuid

PASSWORD = "Velvet-Orbit-Canyon-42"


async def test_an_nfd_spelling_of_a_registered_email_is_taken_and_logs_in(auth, main) -> None:
    suffix = uuid.uuid4().hex[:8]
    nfc_email = f"j\u00fcrgen{suffix}@example.com"
    nfd_email = unicodedata.normalize("NFD", nfc_email)
    assert nfd_email != nfc_email

    first = await auth.post(
        "/api/v1/auth/register",
        json={"email": nfc_email, "username": f"j{suffix}", "password": PASSWORD, "first_name": "Ju\u0308rgen"},
    )
    assert first.status_code == 201, first.text
    second = await auth.post(
        "/api/v1/auth/register", json={"email": nfd_email, "username": f"k{suffix}", "password": PASSWORD}
    )
    assert (second.status_code, second.json()["code"]) == (409, "email_taken")

    login = await auth.post("/api/v1/auth/login", json={"email": nfd_email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    me = await main.get("/api/v1/users/me", headers={"Authorization": f"Bearer {login.json()['access_token']}"})
    assert (me.json()["email"], me.json()["first_name"]) == (nfc_email, "J\u00fcrgen")


async def test_control_characters_in_a_login_are_400_not_500(auth) -> None:
    response = await auth.post("/api/v1/auth/login", json={"email": "a\u0000b@example.com", "password": PASSWORD})
    assert (response.status_code, response.json()["errors"][0]["key"]) == (400, "email")
    form = await auth.post("/api/v1/auth/token", data={"username": "a\u0000b", "password": PASSWORD})
    assert (form.status_code, form.json()["errors"][0]["key"]) == (400, "username")
