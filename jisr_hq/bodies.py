"""Reading request bodies safely: size-bounded, gzip- and zstd-aware (bomb-safe), strictly
validated."""

from __future__ import annotations

import json
from typing import Any, TypeVar

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
        fixed = _integral_numbers(data, exc)
        if fixed is not None:
            try:
                return model.model_validate_json(json.dumps(fixed), strict=True)
            except ValidationError as again:
                exc = again
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        json_error = any(e["type"] == "json_invalid" for e in errors)
        code = "bad_json" if json_error else "invalid"
        detail = [{"loc": [str(p) for p in e["loc"]], "msg": e["msg"]} for e in errors[:20]]
        raise ApiError(code, "Request body is not valid.", detail=detail) from exc


def _integral_numbers(data: bytes, exc: ValidationError) -> Any | None:
    """The body with each integer field written as an integral number (`7.0`) taken as that
    integer, when those are all that was refused; None otherwise. JSON Schema, in which the
    OpenAPI document describes these fields, counts 7.0 as an integer; a value with a
    fraction, a string or a boolean stays refused. Only refused bodies come here."""
    errors = exc.errors(include_url=False, include_context=False)
    if not errors or any(
        e["type"] != "int_type" or not (isinstance(e["input"], float) and e["input"].is_integer())
        for e in errors
    ):
        return None
    body = json.loads(data)
    for e in errors:
        *path, last = e["loc"]
        node = body
        for key in path:
            node = node[key]
        node[last] = int(node[last])
    return body


def json_response(model: BaseModel, status: int = 200) -> HttpResponse:
    return HttpResponse(model.model_dump_json(), status=status, content_type="application/json")


def openapi_schema(model: type[BaseModel]) -> dict[str, Any]:
    """`model`'s JSON schema for a request body in the OpenAPI document, with its `$defs`
    written in place: inside the document a `#/$defs/Op` reference points at the document's
    root, which has no `$defs`, so validators and generators could not resolve it (the push
    body lost its ops). The protocol's models are not recursive."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, list):
            return [inline(x) for x in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref", "")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return inline({**defs[ref.removeprefix("#/$defs/")], **rest})
        return {k: inline(v) for k, v in node.items()}

    def closed(node: Any) -> Any:
        # a map with a key pattern (an op's patch and base) has no other keys: pydantic's
        # schema leaves this implied, JSON Schema would allow any other key
        if isinstance(node, list):
            return [closed(x) for x in node]
        if not isinstance(node, dict):
            return node
        out = {k: closed(v) for k, v in node.items()}
        if "patternProperties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out

    inlined: dict[str, Any] = closed(inline(schema))
    return inlined
