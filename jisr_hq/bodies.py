"""Reading request bodies safely: size-bounded, gzip-aware (bomb-safe), strictly validated."""

from __future__ import annotations

import zlib
from typing import TypeVar

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from pydantic import BaseModel, ValidationError

from jisr_hq.errors import ApiError
from jisr_protocol import MAX_DECOMPRESSED_BYTES, MAX_WIRE_BODY_BYTES

M = TypeVar("M", bound=BaseModel)


def raw_body(request: HttpRequest) -> bytes:
    """The decompressed body; never inflates more than MAX_DECOMPRESSED_BYTES."""
    try:
        data = request.body
    except RequestDataTooBig as exc:
        raise ApiError("too_large", "Request body is too large.") from exc
    if len(data) > MAX_WIRE_BODY_BYTES:
        raise ApiError("too_large", "Request body is too large.")
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in {"", "identity"}:
        return data
    if encoding != "gzip":
        raise ApiError("bad_encoding", f"Unsupported Content-Encoding: {encoding[:20]}.")
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, MAX_DECOMPRESSED_BYTES + 1)
    except zlib.error as exc:
        raise ApiError("bad_encoding", "Body is not valid gzip.") from exc
    if len(out) > MAX_DECOMPRESSED_BYTES or inflater.unconsumed_tail:
        raise ApiError("too_large", "Decompressed request body is too large.")
    if not inflater.eof:
        raise ApiError("bad_encoding", "Body is truncated gzip.")
    return out


def parse(request: HttpRequest, model: type[M]) -> M:
    """Validate the body against `model`: bad JSON, deep JSON, unknown fields, wrong types
    are all refused here, before any database work."""
    data = raw_body(request)
    try:
        return model.model_validate_json(data, strict=True)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        json_error = any(e["type"] == "json_invalid" for e in errors)
        code = "bad_json" if json_error else "invalid"
        detail = [{"loc": [str(p) for p in e["loc"]], "msg": e["msg"]} for e in errors[:20]]
        raise ApiError(code, "Request body is not valid.", detail=detail) from exc


def json_response(model: BaseModel, status: int = 200) -> HttpResponse:
    return HttpResponse(model.model_dump_json(), status=status, content_type="application/json")
