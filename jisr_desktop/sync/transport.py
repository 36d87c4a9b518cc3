"""HTTP transport to HQ: one call per endpoint, gzip bodies, typed answers and errors.

This is the wire half of the desktop sync client (the outbox reader and the apply step build
on it). It knows nothing of the local database. It counts requests and bytes on the wire so
that the sync screen, the benchmarks and the tests can report what a sync cost.
"""

from __future__ import annotations

import gzip
import logging
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError

import jisr_protocol as p

log = logging.getLogger("jisr.sync.transport")


class HqError(Exception):
    """HQ refused a request; `code` is the stable protocol error code (see ERROR_CODES)."""

    def __init__(self, status: int, body: p.ErrorBody) -> None:
        super().__init__(f"{status} {body.code}: {body.message}")
        self.status = status
        self.code = body.code
        self.body = body
        self.expected_seq = body.expected_seq


class HqUnreachable(Exception):
    """No answer (network down, timeout, cut connection): retry later, nothing is lost."""


@dataclass
class WireStats:
    requests: int = 0
    bytes_up: int = 0
    bytes_down: int = 0
    by_path: dict[str, int] = field(default_factory=dict)


class SyncTransport:
    def __init__(
        self,
        base_url: str,
        *,
        device_id: str | None = None,
        secret: str | None = None,
        user: str | None = None,
        timeout: float = 60.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.device_id = device_id
        self.secret = secret
        self.user = user
        self.stats = WireStats()
        self._stats_lock = threading.Lock()  # pushes may run on several threads (pipelined)
        self._client = client or httpx.Client(timeout=timeout)
        self._owns_client = client is None

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> SyncTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- endpoints ---------------------------------------------------------------------------

    def enroll(
        self,
        code: str,
        device_name: str,
        app_version: str = "",
        *,
        expect_center: str | None = None,
    ) -> p.EnrollResponse:
        req = p.EnrollRequest(
            protocol_v=p.PROTOCOL_VERSION,
            code=code,
            device_name=device_name,
            app_version=app_version,
            expect_center=uuid.UUID(expect_center) if expect_center else None,
        )
        answer = self._call("POST", "/enroll", p.EnrollResponse, body=req, auth=False)
        self.device_id, self.secret = str(answer.device_id), answer.device_secret
        return answer

    def push(self, req: p.PushRequest, *, pipelined: bool = False) -> p.PushResponse:
        """One batch. `pipelined`: the caller may have PIPELINE_DEPTH batches in flight (from
        several threads; this client is thread-safe), so HQ holds an early batch back briefly
        rather than answering 409 at once."""
        return self.push_body(req.model_dump_json().encode(), pipelined=pipelined)

    def push_body(self, body: bytes, *, pipelined: bool = False) -> p.PushResponse:
        """`push` of a PushRequest already written as JSON (`outbox.load_wire_batch`)."""
        extra = {p.PIPELINE_HEADER: "1"} if pipelined else None
        return self._call("POST", "/push", p.PushResponse, payload=body, extra_headers=extra)

    def pull(self, cursor: str, limit: int = p.DEFAULT_PULL_LIMIT) -> p.PullResponse:
        params = {"cursor": cursor, "limit": str(limit)}
        return self._call("GET", "/pull", p.PullResponse, params=params)

    # -- plumbing ----------------------------------------------------------------------------

    def _headers(self, auth: bool) -> dict[str, str]:
        headers = {
            p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION),
            "Accept-Encoding": "gzip",
            "Accept": "application/json",
        }
        if auth:
            if not (self.device_id and self.secret):
                raise RuntimeError("this desktop is not enrolled")
            headers[p.DEVICE_HEADER] = self.device_id
            headers[p.SECRET_HEADER] = self.secret
            if self.user:
                headers[p.USER_HEADER] = self.user
        return headers

    def _call(
        self,
        method: str,
        path: str,
        answer: type[Any],
        *,
        body: BaseModel | None = None,
        payload: bytes | None = None,
        params: dict[str, str] | None = None,
        auth: bool = True,
        extra_headers: dict[str, str] | None = None,
    ) -> Any:
        headers = self._headers(auth)
        headers.update(extra_headers or {})
        content = None
        if body is not None:
            payload = body.model_dump_json().encode()
        if payload is not None:
            content = gzip.compress(payload, compresslevel=6)
            headers["Content-Encoding"] = "gzip"
            headers["Content-Type"] = "application/json"
        url = f"{self.base_url}/api/sync{path}"
        try:
            response = self._client.request(
                method, url, content=content, params=params, headers=headers
            )
            raw = response.read()
        except httpx.HTTPError as exc:
            raise HqUnreachable(f"{method} {path}: {exc}") from exc
        self._count(response, path, len(content or b""))
        if response.status_code != 200:
            raise HqError(response.status_code, _error_body(response.status_code, raw))
        try:
            return answer.model_validate_json(raw)
        except ValidationError as exc:
            raise HqUnreachable(f"{method} {path}: unexpected answer from HQ") from exc

    def _count(self, response: httpx.Response, path: str, body_up: int) -> None:
        req = response.request
        head_up = len(req.method) + len(str(req.url.raw_path)) + 12
        head_up += sum(len(k) + len(v) + 4 for k, v in req.headers.raw)
        head_down = 17 + sum(len(k) + len(v) + 4 for k, v in response.headers.raw)
        with self._stats_lock:
            self.stats.requests += 1
            self.stats.bytes_up += head_up + body_up
            self.stats.bytes_down += head_down + response.num_bytes_downloaded
            self.stats.by_path[path] = self.stats.by_path.get(path, 0) + 1


def _error_body(status: int, raw: bytes) -> p.ErrorBody:
    try:
        return p.ErrorBody.model_validate_json(raw)
    except ValidationError:
        return p.ErrorBody(code=f"http_{status}", message=raw[:200].decode(errors="replace"))
