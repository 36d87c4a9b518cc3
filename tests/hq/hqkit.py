"""Test kit: a real HQ server subprocess on loopback, and a minimal protocol client.

`SimDesktop` speaks the wire protocol with httpx the way the desktop client will (outbox seq
per epoch, HLC, base clocks from the last pulled state) so server rules are tested without
the desktop package. Assertions on HQ's database use plain SQL through the DB driver.

HQ serves HTTPS by default, with one certificate made once per test process by the real
`jisr-hq tls-init` (`session_tls()`); enrollment codes then carry its pin, so the desktop
client pins it as it does in production. That certificate is also added to the authorities
the test process trusts (`SSL_CERT_FILE`, read by httpx and OpenSSL), so plain `httpx` calls
in the tests reach HQ like a client of a real PKI would. `HqServer(..., tls=False)` serves
plain HTTP on loopback (which the desktop allows).
"""

from __future__ import annotations

import atexit
import contextlib
import gzip
import json
import os
import re
import shutil
import signal
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from jisr_protocol.hlc import HybridLogicalClock

REPO = Path(__file__).resolve().parents[2]
YEAR_MS = 365 * 24 * 3600 * 1000


TEST_HOOKS = {"JISR_HQ_TEST_HOOKS": "1", "JISR_HQ_DEBUG": "1"}
"""Server environment that turns jisr_hq/testhooks.py on (refused without debug mode)."""


def visit(person_id: object, **fields: Any) -> dict[str, Any]:
    """A reception visit that fits the synced schema (jisr_protocol/schema.py)."""
    return {"person_id": str(person_id), "visited_at": "2026-03-02T10:15:00+00:00",
            "day": "2026-03-02", "program_code": "rsu", "channel": "in_person",
            "outcome": "informed", **fields}


def attendance(session_id: object, person_id: object, **fields: Any) -> dict[str, Any]:
    """A workshop attendance mark that fits the synced schema."""
    return {"context": "workshop", "session_id": str(session_id), "person_id": str(person_id),
            "status": "present", "day": "2026-03-02", "at": "2026-03-02T10:15:00+00:00",
            **fields}


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True)
class TlsFiles:
    """A certificate and key written by `jisr-hq tls-init`, and the pin it printed."""

    cert: Path
    key: Path
    pin: str

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts this certificate (and verifies the host name)."""
        return ssl.create_default_context(cafile=str(self.cert))


def tls_init(folder: Path, *hosts: str) -> TlsFiles:
    """Run the real `jisr-hq tls-init` into `folder` (no database needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    args = [a for h in hosts for a in ("--host", h)]
    result = subprocess.run(
        [sys.executable, "-m", "jisr_hq", "tls-init", "--cert", str(folder / "cert.pem"),
         "--key", str(folder / "key.pem"), *args],
        env={**os.environ, "JISR_HQ_HOME": str(folder / "home"), "PYTHONPATH": str(REPO),
             "DATABASE_URL": f"sqlite:///{folder / 'home' / 'unused.sqlite3'}"},
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    if result.returncode != 0:
        raise AssertionError(f"tls-init failed: {result.stderr}")
    pin = re.search(r"^pin:\s+(sha256:[0-9a-f]{64})$", result.stdout, re.M)
    assert pin is not None, result.stdout
    return TlsFiles(folder / "cert.pem", folder / "key.pem", pin.group(1))


_SESSION_TLS: TlsFiles | None = None
_TLS_PORTS: dict[int, TlsFiles] = {}


def session_tls() -> TlsFiles:
    """The tests' HQ certificate (localhost, 127.0.0.1), made once per process, and trusted by
    this process's HTTPS clients from then on (see the module's docstring)."""
    global _SESSION_TLS
    if _SESSION_TLS is None:
        folder = Path(tempfile.mkdtemp(prefix="jisr-test-tls-"))
        atexit.register(shutil.rmtree, folder, True)
        files = tls_init(folder)
        import certifi

        bundle = folder / "trusted.pem"
        bundle.write_bytes(Path(certifi.where()).read_bytes() + b"\n" + files.cert.read_bytes())
        os.environ["SSL_CERT_FILE"] = str(bundle)
        _SESSION_TLS = files
    return _SESSION_TLS


def tls_of_port(port: int) -> TlsFiles | None:
    """The certificate the HqServer on this loopback port serves, None for plain HTTP."""
    return _TLS_PORTS.get(port)


class HqServer:
    """`python -m jisr_hq serve` on 127.0.0.1 with its own data folder and database."""

    def __init__(
        self, home: Path, database_url: str, port: int, backend: str, *, tls: bool = True
    ) -> None:
        self.home = home
        self.database_url = database_url
        self.port = port
        self.backend = backend
        self.tls: TlsFiles | None = session_tls() if tls else None
        self.base_url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.extra_env: dict[str, str] = {}

    @property
    def pin(self) -> str | None:
        """The pin of the certificate HQ serves (its enrollment codes carry it)."""
        return self.tls.pin if self.tls else None

    def served_tls(self) -> TlsFiles | None:
        """The files HQ serves now: the session's, or those `start(JISR_HQ_TLS_CERT=…,
        JISR_HQ_TLS_KEY=…)` gave."""
        if not self.tls:
            return None
        cert = self.extra_env.get("JISR_HQ_TLS_CERT")
        if not cert:
            return self.tls
        from jisr_protocol.pins import pin_of_certificate

        der = ssl.PEM_cert_to_DER_cert(Path(cert).read_text())
        return TlsFiles(Path(cert), Path(self.extra_env["JISR_HQ_TLS_KEY"]), pin_of_certificate(der))

    def verify(self) -> ssl.SSLContext | bool:
        """What an httpx client passes as `verify` to trust this HQ."""
        return self.tls.client_context() if self.tls else True

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            JISR_HQ_HOME=str(self.home),
            DATABASE_URL=self.database_url,
            DJANGO_SECRET_KEY="test-only-secret-key-not-for-production-0123456789",
            PYTHONPATH=str(REPO),
        )
        if self.tls:
            env.update(JISR_HQ_TLS_CERT=str(self.tls.cert), JISR_HQ_TLS_KEY=str(self.tls.key))
        else:
            env["JISR_HQ_PLAIN_HTTP"] = "1"
        env.update(self.extra_env)
        return env

    def cli(
        self,
        *args: str,
        check: bool = True,
        env: dict[str, str] | None = None,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "jisr_hq", *args],
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=REPO,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"jisr-hq {args} failed: {result.stderr}")
        return result

    def migrate(self) -> None:
        """`jisr-hq migrate`: `serve` refuses a database that is not migrated."""
        self.cli("migrate")

    def start(self, *serve_args: str, **extra_env: str) -> None:
        """Start `serve` (on a migrated database) and wait until it answers; `serve_args` are
        appended to the command line (e.g. "--workers", "2"), so they override the defaults
        given here."""
        self.extra_env = extra_env
        log = open(self.home / "server.log", "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jisr_hq",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                *serve_args,
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )
        log.close()
        served = self.served_tls()
        if served:
            _TLS_PORTS[self.port] = served
        else:
            _TLS_PORTS.pop(self.port, None)
        verify: ssl.SSLContext | bool = served.client_context() if served else True
        if "--certfile" in serve_args:  # HTTPS with the files given on the command line
            cert = serve_args[serve_args.index("--certfile") + 1]
            verify = ssl.create_default_context(cafile=cert)
            self.base_url = f"https://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"HQ exited: {(self.home / 'server.log').read_text()[-2000:]}")
            with contextlib.suppress(httpx.HTTPError):
                ping = httpx.get(self.base_url + "/api/sync/ping", timeout=1, verify=verify)
                if ping.status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError("HQ did not start in time")

    def start_with_test_hooks(self, **hook_env: str) -> None:
        """Start `serve` with the test hooks of jisr_hq/testhooks.py on (which HQ accepts in
        debug mode only), e.g. JISR_HQ_FAULT_PAUSE_FILE=path."""
        self.start(**TEST_HOOKS, **hook_env)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill(self) -> None:
        """SIGKILL: no cleanup, no rollback handler, like a power cut."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc = None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # -- database assertions -----------------------------------------------------------------

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        if self.backend == "sqlite":
            con = sqlite3.connect(self.home / "hq.sqlite3", timeout=30)
            try:
                return con.execute(sql, params).fetchall()
            finally:
                con.close()
        import psycopg

        with psycopg.connect(self.database_url) as pg:
            return pg.execute(sql.replace("?", "%s"), params).fetchall()  # type: ignore[arg-type]

    def execute(self, sql: str, *params: Any) -> None:
        """Change HQ's database behind its back (committed), e.g. to hold what an older HQ
        stored."""
        if self.backend == "sqlite":
            con = sqlite3.connect(self.home / "hq.sqlite3", timeout=30)
            try:
                with con:
                    con.execute(sql, params)
            finally:
                con.close()
            return
        import psycopg

        with psycopg.connect(self.database_url) as pg:
            pg.execute(sql.replace("?", "%s"), params)  # type: ignore[arg-type]

    def scalar(self, sql: str, *params: Any) -> Any:
        return self.query(sql, *params)[0][0]

    def uid(self, value: uuid.UUID | str) -> str:
        """A uuid as this backend stores it (Django keeps 32 hex chars on SQLite)."""
        u = uuid.UUID(str(value))
        return u.hex if self.backend == "sqlite" else str(u)

    # -- fixtures helpers --------------------------------------------------------------------

    def new_center(self, *, codes: int = 2, counselling: bool = False) -> tuple[str, list[str]]:
        """A new center and `codes` enrollment codes, in one CLI call."""
        code = "C" + uuid.uuid4().hex[:8].upper()
        extra = ["--counselling"] if counselling else []
        out = self.cli(
            "create-center",
            "--code",
            code,
            "--name-fr",
            f"Centre {code}",
            "--name-ar",
            f"مركز {code}",
            "--province",
            "CAS",
            "--codes",
            str(codes),
            *extra,
        ).stdout.split()
        return code, out[1:]


@dataclass
class SimDesktop:
    """A protocol-level stand-in for one desktop: outbox seqs, HLC, last pulled state."""

    base_url: str
    device_id: str = ""
    secret: str = ""
    center_id: str = ""
    epoch: int = 1
    next_seq: int = 1
    clock_offset_ms: int = 0
    cursor: str = ""
    user: str | None = None
    state: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    bytes_up: int = 0
    bytes_down: int = 0
    keepalive: bool = True

    def __post_init__(self) -> None:
        limits = httpx.Limits() if self.keepalive else httpx.Limits(max_keepalive_connections=0)
        verify = session_tls().client_context() if self.base_url.startswith("https:") else True
        self.http = httpx.Client(
            base_url=self.base_url + "/api/sync", timeout=30, limits=limits, verify=verify
        )
        self.hlc = HybridLogicalClock("pending")

    @classmethod
    def enroll(cls, base_url: str, code: str, **kw: Any) -> SimDesktop:
        desk = cls(base_url, **kw)
        desk.requests += 1
        code = code.partition(".")[0]  # the desktop sends the code without HQ's pin
        r = desk.http.post("/enroll", json={"protocol_v": 1, "code": code, "device_name": "t"})
        assert r.status_code == 200, r.text
        body = r.json()
        desk.device_id, desk.secret = body["device_id"], body["device_secret"]
        desk.center_id = body["center"]["id"]
        desk.hlc = HybridLogicalClock(desk.device_id)
        return desk

    def close(self) -> None:
        self.http.close()

    @property
    def headers(self) -> dict[str, str]:
        h = {"X-Jisr-Device": self.device_id, "X-Jisr-Secret": self.secret, "X-Jisr-Protocol": "1"}
        if self.user:
            h["X-Jisr-User"] = self.user
        return h

    def now(self) -> str:
        return str(self.hlc.now(wall_ms() + self.clock_offset_ms))

    def op(
        self,
        entity: str,
        entity_id: str | uuid.UUID,
        kind: str = "upsert",
        patch: dict[str, Any] | None = None,
        *,
        base: dict[str, Any] | None = None,
        schema_v: int = 1,
        user_id: str | None = None,
        op_id: str | None = None,
        **override: Any,
    ) -> dict[str, Any]:
        """Next outbox op; `base` defaults to the clocks last pulled for the patched fields."""
        patch = patch or {}
        known = self.state.get((entity, str(entity_id)), {}).get("clocks", {})
        if base is None:
            base = {k: known.get(k) for k in patch}
        op = {
            "op_id": op_id or str(uuid.uuid4()),
            "device_id": self.device_id,
            "epoch": self.epoch,
            "seq": self.next_seq,
            "entity": entity,
            "entity_id": str(entity_id),
            "kind": kind,
            "patch": patch,
            "base": base,
            "schema_v": schema_v,
            "user_id": user_id,
            "hlc": self.now(),
        }
        op.update(override)
        self.next_seq += 1
        self.sent.append(op)
        return op

    def batch(self, ops: list[dict[str, Any]], first_seq: int | None = None) -> dict[str, Any]:
        return {
            "protocol_v": 1,
            "device_id": self.device_id,
            "epoch": self.epoch,
            "first_seq": ops[0]["seq"] if first_seq is None and ops else (first_seq or 1),
            "ops": ops,
        }

    def post(
        self,
        path: str,
        body: bytes | dict[str, Any],
        *,
        gzip_body: bool = True,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        hdrs = {**self.headers, "Content-Type": "application/json", **(headers or {})}
        if gzip_body:
            raw = gzip.compress(raw)
            hdrs["Content-Encoding"] = "gzip"
        self.requests += 1
        self.bytes_up += len(raw)
        r = self.http.post(path, content=raw, headers=hdrs)
        self.bytes_down += len(r.content)  # decoded size is an upper bound of wire bytes
        return r

    def push(self, ops: list[dict[str, Any]], **kw: Any) -> httpx.Response:
        r = self.post("/push", self.batch(ops, kw.pop("first_seq", None)), **kw)
        if r.status_code == 200:
            self.hlc.merge(_ts(r.json()["server_hlc"]), wall_ms() + self.clock_offset_ms)
            refused = {x["seq"] for x in r.json()["rejected"]}
            for op in ops:
                if op["seq"] not in refused:
                    self._keep_own(op)
        return r

    def _keep_own(self, op: dict[str, Any]) -> None:
        """What a desktop holds of its own write: HQ does not send it back (docs/sync.md,
        "Own rows"), so the next op's `base` is this op's clock, as on a real desktop."""
        key = (op["entity"], op["entity_id"])
        row = self.state.setdefault(key, {"entity": op["entity"], "entity_id": op["entity_id"],
                                          "center_id": self.center_id, "fields": {},
                                          "clocks": {}, "deleted": False})
        if op["kind"] == "event":
            row["fields"], row["clocks"] = dict(op["patch"]), {"_event": op["hlc"]}
        elif op["kind"] in ("delete", "restore"):
            row["deleted"] = op["kind"] == "delete"
        else:
            row["fields"].update(op["patch"])
            row["clocks"].update(dict.fromkeys(op["patch"], op["hlc"]))

    def pull_page(self, limit: int = 500, cursor: str | None = None) -> httpx.Response:
        self.requests += 1
        params: dict[str, str | int] = {
            "cursor": self.cursor if cursor is None else cursor,
            "limit": limit,
        }
        return self.http.get("/pull", params=params, headers=self.headers)

    def apply_page(self, body: dict[str, Any]) -> None:
        for row in body["rows"]:
            self.state[(row["entity"], row["entity_id"])] = row
            for clock in row["clocks"].values():
                self.hlc.merge(_ts(clock), wall_ms() + self.clock_offset_ms)
        self.cursor = body["next_cursor"]

    def pull_all(self, limit: int = 500) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        while True:
            r = self.pull_page(limit)
            assert r.status_code == 200, r.text
            body = r.json()
            rows.extend(body["rows"])
            self.apply_page(body)
            if not body["more"]:
                return rows

    def row(self, entity: str, entity_id: str | uuid.UUID) -> dict[str, Any] | None:
        return self.state.get((entity, str(entity_id)))


def _ts(text: str) -> Any:
    from jisr_protocol.hlc import Timestamp

    return Timestamp.parse(text)
