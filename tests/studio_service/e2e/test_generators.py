"""Each local generator makes a real file that lands in the user's media library (uploaded on their behalf by
studio_service's service token) as an asset of the project, and the user downloads it from medias_service."""

from __future__ import annotations

import shutil

import httpx
import pytest

from tests.studio_service.conftest import create_job, grant, new_project, wait_for

CASES = [
    ("storyboard", {"text": "INT. LIGHTHOUSE \u2013 NIGHT. Café au lait, waves."}, "image", b"\x89PNG"),
    ("title_card", {"text": "The Keeper", "seconds": 2}, "video", b"ftyp"),
    ("narration", {"text": "The keeper climbs the stairs.", "voice": "en"}, "audio", b"RIFF"),
]


@pytest.mark.parametrize(("job_type", "parameters", "kind", "magic"), CASES, ids=[case[0] for case in CASES])
def test_each_local_generator_puts_a_downloadable_file_in_the_library(
    studio_url, medias_server, make_user, admin, job_type, parameters, kind, magic
) -> None:
    if job_type == "narration" and shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is not installed (apt-get install espeak-ng; .ci/run installs it)")
    user = make_user()
    with httpx.Client(base_url=studio_url, timeout=60) as http:
        grant(http, admin, user, 20)
        project = new_project(http, user)
        created = create_job(http, user, project, job_type, **parameters)
        assert created.status_code == 201, created.text
        job = wait_for(http, user, created.json()["id"], lambda j: j["status"] not in ("queued", "running"), 120)
        assert job["status"] == "succeeded", job
        [output] = job["outputs"]
        assert output["kind"] == kind
        assets = http.get(f"/api/v1/projects/{project}/assets", headers=user.headers).json()["items"]
        assert [(a["media_id"], a["derived_from_job"], a["kind"]) for a in assets] == [
            (output["media_id"], job["id"], kind)
        ]
    with httpx.Client(base_url=medias_server, timeout=30) as medias:
        media = medias.get(f"/api/v1/media/{output['media_id']}", headers=user.headers)
        assert media.status_code == 200, media.text
        assert media.json()["owner_id"] == str(user.id)
        content = medias.get(f"/api/v1/media/{output['media_id']}/content", headers=user.headers)
        assert content.status_code == 200
        assert magic in content.content[:12]
        assert len(content.content) > 1000
        stranger = make_user()
        assert medias.get(f"/api/v1/media/{output['media_id']}", headers=stranger.headers).status_code == 404


def test_only_the_named_service_clients_upload_on_a_users_behalf(medias_server, make_user, tokens) -> None:
    user = make_user()
    url = f"{medias_server}/internal/v1/media/?owner_id={user.id}"
    files = {"file": ("x.txt", b"hello\n")}
    for headers in (
        {},
        user.headers,
        {"Authorization": f"Bearer {tokens.service('medias_service')}"},
    ):
        assert httpx.post(url, files=files, headers=headers).status_code in (401, 403)
    allowed = httpx.post(url, files=files, headers={"Authorization": f"Bearer {tokens.service('studio_service')}"})
    assert allowed.status_code == 201, allowed.text
    assert allowed.json()["owner_id"] == str(user.id)
