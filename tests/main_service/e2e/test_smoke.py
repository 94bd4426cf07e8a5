async def test_health(client):
    response = await client.get("/health")
    assert response.json() == {"status": "ok"}


async def test_me(make_account, client):
    account = await make_account("user")
    response = await client.get("/api/v1/users/me", headers=account.headers)
    assert response.status_code == 200, response.text
    assert response.json()["roles"] == ["user"]
