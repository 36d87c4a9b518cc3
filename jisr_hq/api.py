"""The sync API under /api/sync/ (django-ninja; OpenAPI at /api/sync/openapi.json).

Bodies are read by jisr_hq.bodies rather than by ninja so that gzip, the decompressed-size
bound and strict validation happen before anything else; the schemas are still declared for
the OpenAPI description.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django import db
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BaseModel

import jisr_protocol as p
from jisr_hq import clock, devices, limits, querylog, sealed
from jisr_hq import pull as pull_mod
from jisr_hq import push as push_mod
from jisr_hq.bodies import json_response, openapi_schema, parse
from jisr_hq.errors import ApiError, error_response
from jisr_hq.models import Device
from jisr_protocol.sealed import USER_PROOF_HEADER

log = logging.getLogger(__name__)
querylog.install()  # a test hook, inert in production (jisr_hq/querylog.py)

P = ParamSpec("P")
R = TypeVar("R")

api = NinjaAPI(
    title="Jisr HQ sync API",
    version=str(p.PROTOCOL_VERSION),
    urls_namespace="sync",
    description="Wire protocol between Jisr Desktop and HQ; see docs/sync.md.",
)

_ERRORS = {code: p.ErrorBody for code in {400, 401, 403, 409, 410, 413, 415, 426, 429}}
_AUTH_DOC = {
    "parameters": [
        {"in": "header", "name": p.DEVICE_HEADER, "required": True, "schema": {"type": "string"}},
        {"in": "header", "name": p.SECRET_HEADER, "required": True, "schema": {"type": "string"}},
    ]
}


def _body_doc(model: type[BaseModel]) -> dict[str, object]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": openapi_schema(model)}},
        }
    }


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return exc.response()


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Never a traceback or an HTML page to a desktop (in debug mode ninja would answer one)."""
    log.error("unexpected failure serving %s %s", request.method, request.path, exc_info=exc)
    return error_response("server_error", "HQ failed to handle this request; it has been logged.")


@api.exception_handler(NinjaValidationError)
def _param_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    detail = [
        {"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in exc.errors[:20]
    ]
    body = ApiError("invalid", "Request parameters are not valid.", detail=detail)
    return json_response(body.body, status=body.status)


@api.post(
    "/enroll",
    response={200: p.EnrollResponse, **_ERRORS},
    openapi_extra=_body_doc(p.EnrollRequest),
    summary="Trade a single-use enrollment code for a device id and secret",
)
def enroll(request: HttpRequest) -> HttpResponse:
    address = limits.client_address(request)
    limits.check_enroll_rate(address)  # 429 rate_limited after too many failed attempts
    body = parse(request, p.EnrollRequest)
    try:
        device, secret = devices.redeem_code(
            body.code, device_name=body.device_name, expect_center=body.expect_center
        )
    except ApiError as exc:
        if exc.code == "bad_code":
            limits.count_enroll_failure(address)
        raise
    log.info("enrolled device %s for center %s", device.id, device.center.code)
    center = device.center
    return json_response(
        p.EnrollResponse(
            device_id=device.id,
            device_secret=secret,
            center=p.CenterInfo(
                id=center.id,
                code=center.code,
                name_fr=center.name_fr,
                name_ar=center.name_ar,
                province_code=center.province_code,
            ),
            counselling=device.counselling,
            server_hlc=clock.now_text(),
            protocol_v=p.PROTOCOL_VERSION,
        )
    )


@api.post(
    "/push",
    response={200: p.PushResponse, **_ERRORS},
    openapi_extra={**_body_doc(p.PushRequest), **_AUTH_DOC},
    summary="Apply one contiguous batch of outbox ops (idempotent)",
)
async def push(request: HttpRequest) -> HttpResponse:
    """Async so that a pipelined batch waiting for its predecessor holds no thread. Database
    work (authentication, the merge) runs on the request's sync thread, with one connection;
    parsing and preparation run on an executor thread, overlapping the previous batch's
    merge."""
    device = await sync_to_async(_released(devices.authenticate))(request)
    body, prepared, sizes = await sync_to_async(_admit, thread_sensitive=False)(request, device)
    if isinstance(prepared, ApiError):
        await sync_to_async(_released(push_mod.audit_refusal))(device, body, prepared)
        raise prepared
    pipelined = request.headers.get(p.PIPELINE_HEADER) == "1"
    deadline = time.monotonic() + push_mod.GAP_WAIT_SECONDS
    while True:
        try:
            answer = await sync_to_async(_released(push_mod.push_once))(
                device, body, prepared, sizes)
        except push_mod.Gap as gap:
            left = deadline - time.monotonic()
            if not (pipelined and gap.may_wait(body) and left > 0):
                error = gap.error()
                await sync_to_async(_released(push_mod.audit_refusal))(device, body, error)
                raise error from None
            # held, without a query of its own, until the predecessor's mark is reached
            await push_mod.wait_for_predecessor(device.id, body.epoch, body.first_seq - 1, left)
            continue
        except ApiError as exc:
            if exc.code == "quota_exceeded" and exc.body.expected_seq is not None:
                # a prefix was taken: batches held behind it see its mark
                push_mod.committed(device.id, body.epoch, exc.body.expected_seq - 1)
            raise
        push_mod.committed(device.id, body.epoch, answer.acked_through)
        return json_response(answer)


def _released(fn: Callable[P, R]) -> Callable[P, R]:
    """`fn`, then this thread's database connection goes back at once (to the pool), not at
    the end of the request: a slow client reading its answer must not hold a connection."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        finally:
            db.connection.close()

    return run


def _admit(
    request: HttpRequest, device: Device
) -> tuple[p.PushRequest, list[push_mod.Prepared] | ApiError, list[int]]:
    """Parse and prepare (no database, any thread): the batch, its prepared ops and their
    sizes (for the quotas). Bad bodies raise (not audited: nothing trustworthy to record); a
    well-formed batch that breaks the batch rules comes back as its error, to be audited."""
    body = parse(request, p.PushRequest)
    try:
        return body, push_mod.prepare_batch(device, body), push_mod.op_sizes(body)
    except ApiError as exc:
        return body, exc, []


@api.get(
    "/pull",
    response={200: p.PullResponse, **_ERRORS},
    openapi_extra=_AUTH_DOC,
    summary="Rows changed after the cursor: reference data, then the device's center",
)
def pull(
    request: HttpRequest, cursor: str = "", limit: int = p.DEFAULT_PULL_LIMIT, protocol_v: int = 0
) -> HttpResponse:
    device = devices.authenticate(request)
    version = protocol_v or _header_int(request, p.PROTOCOL_HEADER)
    if version < p.MIN_PULL_PROTOCOL:
        raise ApiError(
            "please_update",
            "This version of Jisr Desktop is too old to receive data; please update it.",
        )
    if version > p.PROTOCOL_VERSION:
        raise ApiError("invalid", f"This HQ speaks protocol {p.PROTOCOL_VERSION} at most.")
    if not 1 <= limit <= p.MAX_PULL_LIMIT:
        raise ApiError("invalid", f"limit must be between 1 and {p.MAX_PULL_LIMIT}.")
    try:
        position = p.Cursor.parse(cursor)
    except ValueError as exc:
        raise ApiError("bad_cursor", "The cursor is not one HQ gave out.") from exc
    user = request.headers.get(p.USER_HEADER) or None
    proof = request.headers.get(USER_PROOF_HEADER) or None
    try:
        page = pull_mod.pull(device, position, limit, user, proof)
        text = page.to_json()
    finally:
        db.connection.close()  # back to the pool before the page is sent (see _released)
    return HttpResponse(text, content_type="application/json")


@api.post(
    "/case-key",
    response={200: p.CaseKeyResponse, **_ERRORS},
    openapi_extra={**_body_doc(p.CaseKeyRequest), **_AUTH_DOC},
    summary="Register a counsellor's public key for this counselling device (sealed notes)",
)
def case_key(request: HttpRequest) -> HttpResponse:
    """docs/security.md, "Sealed notes": the counsellor's HQ password is checked once, here;
    her case notes and counselling pulls are then signed with the key."""
    device = devices.authenticate(request)
    body = parse(request, p.CaseKeyRequest)
    key = sealed.register_key(device, body.username, body.password, body.public_key)
    return json_response(p.CaseKeyResponse(key_id=key.key_id, staff_id=key.staff_id))


@api.get("/ping", summary="Cheap liveness check (no authentication, no database)")
def ping(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        f'{{"ok":true,"protocol_v":{p.PROTOCOL_VERSION},"server_hlc":"{clock.now_text()}"}}',
        content_type="application/json",
    )


def _header_int(request: HttpRequest, name: str) -> int:
    try:
        return int(request.headers.get(name, "0"))
    except ValueError:
        return 0
