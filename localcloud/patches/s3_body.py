"""Addition: S3 object bodies are stored byte for byte, whatever Content-Type the client sends.

S3 stores the bytes of a PutObject / UploadPart body as they arrive; `Content-Type` is only metadata
(S3 API Reference, PutObject: "Body: Object data"; the header is stored and returned on GET).
moto's server reads bodies through werkzeug, which parses `application/x-www-form-urlencoded` and
`multipart/form-data` as a form: `curl -X PUT --data-binary @file.csv URL` (curl's default content
type is the urlencoded form one) stored an *empty* object, and moto's dispatcher decoded such bodies
as UTF-8 (any non-UTF-8 byte lost the body). The WSGI layer here hides the form content type of a
signed S3 PUT (and of a urlencoded S3 POST) from werkzeug, and `setup_class` puts the client's
header back once moto has read the raw body, so the object's stored Content-Type is what was sent.
A `multipart/form-data` POST (the browser form upload, POST Object) is left to moto's form parsing.
"""

from __future__ import annotations

from typing import Any

from localcloud.patches.s3_request import is_s3_request

ORIGINAL = "localcloud.s3_body.content_type"
URLENCODED = "application/x-www-form-urlencoded"
FORM_DATA = "multipart/form-data"


def keeps_raw_body(environ: dict[str, Any]) -> bool:
    """True for an S3 request whose body werkzeug would otherwise parse as a form."""
    content_type = str(environ.get("CONTENT_TYPE", "")).lower()
    method = environ.get("REQUEST_METHOD", "")
    if method == "PUT":
        form = content_type.startswith((URLENCODED, FORM_DATA))
    elif method == "POST":
        form = content_type.startswith(URLENCODED)
    else:
        return False
    headers = {"Authorization": str(environ.get("HTTP_AUTHORIZATION", ""))}
    return form and is_s3_request(headers, str(environ.get("QUERY_STRING", "")))


def wrap(app: Any) -> Any:
    """WSGI middleware: an S3 body with a form content type reaches moto as raw bytes (installs the moto half)."""
    install()

    def middleware(environ: dict[str, Any], start_response: Any) -> Any:
        if keeps_raw_body(environ):
            environ[ORIGINAL] = environ["CONTENT_TYPE"]
            environ["CONTENT_TYPE"] = "application/octet-stream"
        return app(environ, start_response)

    return middleware


def install() -> None:
    """Give moto's S3 request its original Content-Type back after the raw body was read."""
    from moto.s3.responses import S3Response

    original = getattr(S3Response.setup_class, "__wrapped__", S3Response.setup_class)

    def setup_class(self: Any, request: Any, full_url: str | None = None, headers: Any = None) -> None:
        original(self, request, full_url, headers)
        saved = getattr(request, "environ", {}).pop(ORIGINAL, None)
        if saved is None:
            return
        request.environ["CONTENT_TYPE"] = saved  # request.headers is a live view of the environ
        querystring = getattr(self, "querystring", {})
        for name in [n for n in querystring if n.lower() == "content-type"]:  # moto copied the headers in there
            querystring[name] = [saved] if isinstance(querystring[name], list) else saved

    setup_class.__wrapped__ = original  # type: ignore[attr-defined]
    S3Response.setup_class = setup_class  # type: ignore[method-assign]
