"""Every service's OpenAPI document states the problems each operation can answer, in the problem+json shape,
the bodies the handlers stream themselves, and which operations take a token."""

from __future__ import annotations

from typing import Any

import pytest

from auth_service.main.app import create_http_app as create_auth_app
from auth_service.main.settings import AuthServiceSettings
from dental_service.main.app import create_http_app as create_dental_app
from main_service.main.app import create_http_app as create_main_app
from medias_service.main.app import create_http_app as create_medias_app

PROBLEM = {"$ref": "#/components/schemas/Problem"}
METHODS = {"get", "put", "post", "patch", "delete", "head", "options"}


def _documents(tmp_path) -> dict[str, dict[str, Any]]:
    auth = AuthServiceSettings.from_env({"APP_DATA_DIR": str(tmp_path)})
    apps = {"main": create_main_app(), "auth": create_auth_app(auth), "medias": create_medias_app()}
    apps["dental"] = create_dental_app()
    return {name: app.openapi_schema.to_schema() for name, app in apps.items()}


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, dict[str, Any]]:
    return _documents(tmp_path_factory.mktemp("auth-data"))


def operations(document: dict[str, Any]):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", path, operation


def test_every_error_is_documented_as_a_problem_never_in_litestars_shape(documents):
    for name, document in documents.items():
        assert "properties" in document["components"]["schemas"]["Problem"]
        for label, _, operation in operations(document):
            for status, response in operation["responses"].items():
                if int(status) < 400 or label == "GET /ready":
                    continue
                assert response["content"] == {"application/problem+json": {"schema": PROBLEM}}, (name, label, status)


def test_problems_follow_from_guards_parameters_and_bodies(documents):
    main = {label: set(op["responses"]) for label, _, op in operations(documents["main"])}
    assert {"401", "403", "404", "400", "422", "503"} <= main["GET /api/v1/users/{user_id}"]
    assert "403" not in main["GET /api/v1/users/me"] and "404" not in main["GET /api/v1/users/me"]
    assert {"409", "413"} <= main["PATCH /api/v1/users/me"]
    assert main["GET /health"] == {"200"}
    auth = {label: set(op["responses"]) for label, _, op in operations(documents["auth"])}
    assert {"401", "403", "429"} <= auth["POST /api/v1/auth/token"]
    assert auth["GET /.well-known/jwks.json"] == {"200"}


def test_security_is_optional_exactly_where_no_guard_asks_for_a_token(documents):
    medias = {label: op for label, _, op in operations(documents["medias"])}
    assert {} in medias["GET /api/v1/media/{media_id}"]["security"]
    assert {"BearerToken": []} in medias["GET /api/v1/media/{media_id}"]["security"]
    assert "security" not in medias["PATCH /api/v1/media/{media_id}"]  # the document's: a token is required
    assert medias["GET /health"]["security"] == [{}]


def test_uploads_document_their_multipart_form_with_a_file_field(documents):
    medias = {label: op for label, _, op in operations(documents["medias"])}
    for label in ("POST /api/v1/media", "POST /api/v1/media/{media_id}/versions"):
        form = medias[label]["requestBody"]["content"]["multipart/form-data"]["schema"]
        assert form["properties"]["file"]["format"] == "binary"  # what Swagger UI offers a file field for
        assert form["properties"]["file"]["contentMediaType"] == "application/octet-stream"
        assert form["required"] == ["file"]
        assert {"400", "413", "415", "507"} <= set(medias[label]["responses"])


def test_content_routes_document_bytes_ranges_and_conditional_answers(documents):
    medias = {label: op for label, _, op in operations(documents["medias"])}
    for label in (
        "GET /api/v1/media/{media_id}/content",
        "GET /api/v1/media/{media_id}/versions/{number}/content",
        "GET /api/v1/media/{media_id}/sizes/{name}/content",
    ):
        responses = medias[label]["responses"]
        assert {"200", "206", "304", "416"} <= set(responses)
        assert responses["200"]["content"]["image/*"]["schema"] == {"type": "string", "format": "binary"}
        assert "Content-Range" in responses["206"]["headers"]


def test_bodies_that_refuse_unknown_members_say_so(documents):
    schemas = documents["main"]["components"]["schemas"]
    assert schemas["SessionCreate"]["additionalProperties"] is False
    assert "additionalProperties" not in schemas["UserOut"]


def test_the_shared_mailed_token_body_keeps_its_name_and_bounds_in_auth_and_main(documents):
    """MailedTokenIn lives in qhitz_shared (auth passes the token on to main): both documents name it alike and
    bound it alike; EmailIn stays per service, as auth refuses an empty address and main's internal route not."""
    auth, main = (documents[name]["components"]["schemas"] for name in ("auth", "main"))
    assert auth["MailedTokenIn"] == main["MailedTokenIn"]
    assert auth["MailedTokenIn"]["properties"]["token"]["maxLength"] == 128
    assert auth["MailedTokenIn"]["additionalProperties"] is False
    assert [name for name in {*auth, *main} if "MailedToken" in name] == ["MailedTokenIn"]  # not a module path
    assert auth["EmailIn"]["properties"]["email"]["minLength"] == 1
    assert "minLength" not in main["EmailIn"]["properties"]["email"]


def test_a_new_service_gets_its_problems_documented_without_saying_anything():
    """The plugin alone, on routes no service has: what a new service inherits from build_http_app."""
    from litestar import Litestar, get, post
    from litestar.params import FromPath, JSONBody

    from qhitz_shared.http.openapi import NEEDS_NO_DEPENDENCY, ProblemResponses
    from qhitz_shared.http.security import UNAUTHENTICATED_PATHS, require_permission, require_user

    @get("/things/{thing_id:int}", guards=[require_permission("things:read")])
    async def read(thing_id: FromPath[int]) -> dict[str, int]:
        return {"id": thing_id}

    @post("/things", guards=[require_user])
    async def create(data: JSONBody[dict[str, str]]) -> dict[str, str]:
        return data

    @get("/public", exclude_from_auth=True, opt={NEEDS_NO_DEPENDENCY: True})
    async def public() -> str:
        return "hello"

    app = Litestar([read, create, public], plugins=[ProblemResponses(UNAUTHENTICATED_PATHS)])
    document = app.openapi_schema.to_schema()
    responses = {label: set(op["responses"]) for label, _, op in operations(document)}
    assert responses["GET /things/{thing_id}"] == {"200", "400", "401", "403", "404", "422", "503"}
    assert responses["POST /things"] == {"201", "400", "401", "413", "422", "503"}
    assert responses["GET /public"] == {"200"}
    security = {label: op.get("security") for label, _, op in operations(document)}
    assert security["GET /public"] == [{}] and security["POST /things"] is None
