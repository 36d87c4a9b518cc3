"""Reading request bodies safely: size-bounded, gzip- and zstd-aware (bomb-safe), strictly
validated."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from pydantic import BaseModel, ValidationError

from jisr_hq import encoding
from jisr_hq.errors import ApiError
from jisr_protocol import MAX_WIRE_BODY_BYTES

M = TypeVar("M", bound=BaseModel)


def raw_body(request: HttpRequest) -> bytes:
    """The decompressed body; never inflates more than MAX_DECOMPRESSED_BYTES."""
    try:
        data = request.body
    except RequestDataTooBig as exc:
        raise ApiError("too_large", "Request body is too large.") from exc
    if len(data) > MAX_WIRE_BODY_BYTES:
        raise ApiError("too_large", "Request body is too large.")
    # identity, gzip or zstd; inflation stops at MAX_DECOMPRESSED_BYTES (jisr_hq/encoding.py)
    return encoding.decode(data, request.headers.get("Content-Encoding", "identity"))


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
