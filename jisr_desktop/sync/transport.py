"""HTTP transport to HQ: one call per endpoint, compressed bodies, typed answers and errors.

This is the wire half of the desktop sync client (the outbox reader and the apply step build
on it). It knows nothing of the local database. It counts requests and bytes on the wire so
that the sync screen, the benchmarks and the tests can report what a sync cost.

Trust (docs/security.md): HQ is reached over HTTPS (plain HTTP only on loopback). With pins
(`sha256:` of HQ's public key, jisr_protocol/pins.py) every TLS connection's key is checked
right after its handshake, inside the socket's handshake, so nothing (no enrollment code, no
device secret) is written on a connection whose key is not pinned. Without pins the
certificate must verify against the system's certificate authorities and name the host; the
key seen is recorded (`seen_pins`) for the client to pin. A pin HQ announces for its next
key (`pins.TLS_NEXT_PIN_HEADER`) is collected in `announced_pins`. A connection that cannot
be made is tried again a few times with exponential backoff (`RETRY_DELAYS`).

Codings (docs/sync.md, "Compact transfers"): answers are asked for in zstd or gzip
(`Accept-Encoding: zstd, gzip`; HQ chooses, an older HQ answers gzip). Request bodies go in
gzip until HQ says it reads zstd (its answers' `Accept-Encoding`, RFC 7694; `body_coding`
carries what an earlier sync learnt), then in zstd; a zstd body HQ refuses as `415
bad_encoding` (an HQ rolled back to an older version) is sent once more in gzip, which is
safe: HQ refused it before reading it. The compressed size of each body is measured
(`body_ratio`) so that the pusher can cut batches by compressed bytes.
"""

from __future__ import annotations

import gzip
import ipaddress
import logging
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import zstandard
from pydantic import BaseModel, ValidationError

import jisr_protocol as p
from jisr_protocol import pins as pinning
from jisr_protocol.sealed import USER_PROOF_HEADER

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


class HqNotProven(HqError):
    """The server's TLS key is none of the pinned ones, or (without pins) its certificate does
    not verify: the connection was dropped before anything was sent (code `untrusted_server`)."""

    def __init__(self, detail: str) -> None:
        super().__init__(0, p.ErrorBody(code="untrusted_server", message=detail))


class InsecureServer(ValueError):
    """An address that is not https:// (http:// is allowed for loopback only)."""


RETRY_DELAYS = (0.25, 0.5, 1.0)
"""Seconds to wait before each new attempt when a connection cannot be made (refused, timed
out, no route): exponential, capped, three retries. Only connecting is retried: a request
that was sent is never resent here (the sync resends what HQ did not acknowledge)."""


def is_loopback(host: str) -> bool:
    if host.lower() in {"localhost", "localhost."}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_server_url(url: str) -> None:
    """Raise InsecureServer unless `url` is https://HOST…, or http:// to this computer."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        raise InsecureServer(url) from None
    if not host or parts.scheme not in {"https", "http"}:
        raise InsecureServer(url)
    if parts.scheme == "http" and not is_loopback(host):
        raise InsecureServer(url)


class _PinnedError(ssl.SSLCertVerificationError):
    """Raised inside the handshake: the socket is closed by `ssl` before any byte is sent."""


class _CheckedSocket(ssl.SSLSocket):
    def do_handshake(self, block: bool = False) -> None:
        super().do_handshake(block)
        context = self.context
        if isinstance(context, PinningContext):
            context.check(self.getpeercert(binary_form=True))


class _CheckedObject(ssl.SSLObject):
    """The same check for TLS over a memory BIO (httpcore's TLS inside an HTTPS proxy)."""

    def do_handshake(self) -> None:
        super().do_handshake()
        context = self.context
        if isinstance(context, PinningContext):
            context.check(self.getpeercert(binary_form=True))


class PinningContext(ssl.SSLContext):
    """A client TLS context whose sockets check HQ's key as part of their handshake."""

    sslsocket_class = _CheckedSocket
    sslobject_class = _CheckedObject
    pins: frozenset[str]
    seen: set[str]

    def setup(self, accepted: frozenset[str]) -> None:
        self.pins = accepted
        self.seen = set()
        self._lock = threading.Lock()
        self.minimum_version = ssl.TLSVersion.TLSv1_2
        if accepted:  # the pin replaces the authorities and the name (docs/security.md)
            self.check_hostname = False
            self.verify_mode = ssl.CERT_NONE
        else:
            self.verify_mode = ssl.CERT_REQUIRED
            self.check_hostname = True
            self.load_default_certs()  # the system's authorities (and SSL_CERT_FILE)
            try:
                import certifi

                self.load_verify_locations(certifi.where())
            except (ImportError, OSError):  # pragma: no cover - httpx brings certifi
                pass

    def check(self, der: bytes | None) -> None:
        pin = pinning.pin_of_certificate(der) if der else ""
        with self._lock:
            self.seen.add(pin)
        if self.pins and pin not in self.pins:
            log.warning("HQ's key %s is not the pinned one: connection dropped", pin or "(none)")
            raise _PinnedError(f"the server's key {pin or '(none)'} is not pinned")


def tls_context(accepted: Iterable[str] = ()) -> PinningContext:
    context = PinningContext(ssl.PROTOCOL_TLS_CLIENT)
    context.setup(frozenset(accepted))
    return context


def _certificate_refusal(exc: BaseException) -> BaseException | None:
    """The certificate verification error behind an httpx error, if that is what it was."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _tls_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


CODINGS = ("zstd", "gzip")
"""The codings this desktop reads in answers and may write in bodies, preferred first."""
ZSTD_LEVEL = 9
"""zstd level of push bodies: on the bench's push 0.84x the bytes of gzip 6 for less CPU
(bench/results/sync-bytes.json, `push_batches_by_coding`)."""
GZIP_LEVEL = 6


def encode_body(payload: bytes, coding: str) -> bytes:
    if coding == "zstd":
        return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(payload)  # type: ignore[no-any-return]
    return gzip.compress(payload, compresslevel=GZIP_LEVEL)


def _codings(header: str) -> set[str]:
    """The coding names of an `Accept-Encoding` header (those not refused with q=0)."""
    names = set()
    for item in header.split(","):
        name, *params = (part.strip() for part in item.split(";"))
        q = next((x[2:] for x in params if x.lower().startswith("q=")), "1")
        try:
            accepted = float(q) > 0
        except ValueError:
            accepted = False
        if name and accepted:
            names.add(name.lower())
    return names


@dataclass
class WireStats:
    requests: int = 0
    bytes_up: int = 0
    bytes_down: int = 0
    by_path: dict[str, int] = field(default_factory=dict)
    codings: dict[str, int] = field(default_factory=dict)
    """Bodies per direction and coding: {"up:zstd": 3, "down:gzip": 1, "down:identity": 2}."""


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
        pins: Iterable[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
        codings: tuple[str, ...] = CODINGS,
        body_coding: str = "",
    ) -> None:
        """`codings`: what to accept in answers and may send in bodies (an older desktop:
        ("gzip",)); `body_coding`: the body coding an earlier sync learnt HQ reads."""
        check_server_url(base_url)
        self.base_url = base_url.rstrip("/")
        self.device_id = device_id
        self.secret = secret
        self.user = user
        self.user_proof: Callable[[], str] | None = None
        """Signs each pull as the signed-in counsellor (jisr_desktop/sync/sealed.py)."""
        self.report_headers: dict[str, str] = {}
        """What the desktop tells HQ's sync health with each request (version, rows kept aside)."""
        self.stats = WireStats()
        unknown = set(codings) - set(CODINGS)
        if unknown:
            raise ValueError(f"unknown codings {sorted(unknown)}")
        self.codings = tuple(codings)
        self.body_coding = body_coding if body_coding in self.codings else (
            "gzip" if "gzip" in self.codings else "")
        """How request bodies are sent now ("" = not compressed)."""
        self.body_ratio = 0.0
        """Compressed ÷ JSON size of the last body sent (0 before any)."""
        self._stats_lock = threading.Lock()  # pushes may run on several threads (pipelined)
        self._tls = tls_context(pins) if self.base_url.startswith("https:") else None
        self.announced_pins: set[str] = set()
        self._sleep = sleep
        self._retry_delays = retry_delays
        self._client = client or httpx.Client(
            timeout=timeout, verify=self._tls if self._tls is not None else True)
        self._owns_client = client is None

    @property
    def seen_pins(self) -> set[str]:
        """The pins of the keys this transport's TLS connections presented (and accepted)."""
        if self._tls is None:
            return set()
        with self._tls._lock:
            return set(self._tls.seen) - {""}

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

    def case_key(self, req: p.CaseKeyRequest) -> p.CaseKeyResponse:
        """Register a counsellor's public key for this device (docs/security.md)."""
        return self._call("POST", "/case-key", p.CaseKeyResponse, body=req)

    def pull(self, cursor: str, limit: int = p.DEFAULT_PULL_LIMIT) -> p.PullResponse:
        params = {"cursor": cursor, "limit": str(limit)}
        return self._call("GET", "/pull", p.PullResponse, params=params)

    # -- plumbing ----------------------------------------------------------------------------

    def _headers(self, auth: bool) -> dict[str, str]:
        headers = {
            p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION),
            "Accept-Encoding": ", ".join(self.codings) or "identity",
            "Accept": "application/json",
        }
        if auth:
            if not (self.device_id and self.secret):
                raise RuntimeError("this desktop is not enrolled")
            headers[p.DEVICE_HEADER] = self.device_id
            headers[p.SECRET_HEADER] = self.secret
            headers.update(self.report_headers)
            if self.user:
                headers[p.USER_HEADER] = self.user
                if self.user_proof is not None:
                    headers[USER_PROOF_HEADER] = self.user_proof()
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
        coding = self.body_coding
        if payload is not None:
            content = self._encode(payload, coding, headers)
        url = f"{self.base_url}/api/sync{path}"
        delays = iter(self._retry_delays)
        while True:
            try:
                response = self._client.request(
                    method, url, content=content, params=params, headers=headers
                )
                raw = response.read()
                if (response.status_code == 415 and coding == "zstd" and payload is not None
                        and "gzip" in self.codings):
                    # an HQ that does not read zstd (rolled back): refused unread, so resend
                    log.info("%s %s: HQ refused a zstd body; sending gzip", method, path)
                    self._count(response, path, len(content or b""))
                    coding = self.body_coding = "gzip"
                    content = self._encode(payload, coding, headers)
                    continue
                break
            except httpx.HTTPError as exc:
                if (refusal := _certificate_refusal(exc)) is not None:
                    raise HqNotProven(str(refusal)) from exc
                delay = next(delays, None) if isinstance(
                    exc, httpx.ConnectError | httpx.ConnectTimeout) and not _tls_failure(exc) else None
                if delay is None:
                    raise HqUnreachable(f"{method} {path}: {exc}") from exc
                log.info("%s %s: %s; trying again in %.2f s", method, path, exc, delay)
                self._sleep(delay)
        self._count(response, path, len(content or b""))
        if "zstd" in self.codings and "zstd" in _codings(response.headers.get("Accept-Encoding", "")):
            self.body_coding = "zstd"  # HQ reads zstd bodies (RFC 7694)
        announced = response.headers.get(pinning.TLS_NEXT_PIN_HEADER)
        pin = pinning.normalise_pin(announced) if announced and self._tls is not None else None
        if pin is not None:  # said under a key already checked: HQ's next key (rollover)
            with self._stats_lock:
                self.announced_pins.add(pin)
        if response.status_code != 200:
            raise HqError(response.status_code, _error_body(response.status_code, raw))
        try:
            return answer.model_validate_json(raw)
        except ValidationError as exc:
            raise HqUnreachable(f"{method} {path}: unexpected answer from HQ") from exc

    def _encode(self, payload: bytes, coding: str, headers: dict[str, str]) -> bytes:
        headers["Content-Type"] = "application/json"
        if not coding:
            headers.pop("Content-Encoding", None)
            return payload
        content = encode_body(payload, coding)
        headers["Content-Encoding"] = coding
        with self._stats_lock:
            self.body_ratio = len(content) / max(1, len(payload))
        return content

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
            codings = self.stats.codings
            if body_up:
                up = "up:" + req.headers.get("Content-Encoding", "identity")
                codings[up] = codings.get(up, 0) + 1
            down = "down:" + response.headers.get("Content-Encoding", "identity")
            codings[down] = codings.get(down, 0) + 1


def _error_body(status: int, raw: bytes) -> p.ErrorBody:
    try:
        return p.ErrorBody.model_validate_json(raw)
    except ValidationError:
        return p.ErrorBody(code=f"http_{status}", message=raw[:200].decode(errors="replace"))
