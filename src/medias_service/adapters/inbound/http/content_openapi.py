"""The OpenAPI description of the content routes, which stream bytes Litestar cannot describe by itself."""

from __future__ import annotations

from litestar.openapi.spec import OpenAPIHeader, OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Schema

from medias_service.adapters.inbound.http.uploads import UploadSettings
from qhitz_shared.http.openapi import documented, problems

_BYTES = Schema(type=OpenAPIType.STRING, format="binary")
_TEXT = Schema(type=OpenAPIType.STRING)
# The stored type, sniffed from the bytes at upload: one of the accepted types (MEDIAS_UPLOAD_ALLOWED_TYPES;
# these are the defaults), or a generated size's own type (image/webp, image/jpeg).
CONTENT_TYPES = UploadSettings().allowed_types
_VALIDATORS = {
    "ETag": OpenAPIHeader(schema=_TEXT, description="the SHA-256 of the bytes, quoted"),
    "Last-Modified": OpenAPIHeader(schema=_TEXT, description="an HTTP date"),
}
_HEADERS = {
    **_VALIDATORS,
    "Accept-Ranges": OpenAPIHeader(schema=_TEXT, description="bytes"),
    "Content-Length": OpenAPIHeader(schema=Schema(type=OpenAPIType.INTEGER)),
    "Content-Disposition": OpenAPIHeader(
        schema=_TEXT, description="inline for images, video, audio and PDF, else attachment; with the file name"
    ),
}


def _bytes(description: str, **headers: OpenAPIHeader) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=description,
        content={media_type: OpenAPIMediaType(schema=_BYTES) for media_type in CONTENT_TYPES},
        headers={**_HEADERS, **headers},
    )


CONTENT = documented(
    responses={
        "200": _bytes("The whole content"),
        "206": _bytes(
            "The one byte range asked for with Range (several ranges are answered whole)",
            **{"Content-Range": OpenAPIHeader(schema=_TEXT, description="bytes first-last/size")},
        ),
        "304": OpenAPIResponse(
            description="Not modified: If-None-Match or If-Modified-Since matches", headers=_VALIDATORS
        ),
    }
)
CONTENT_PROBLEMS = problems(416)
