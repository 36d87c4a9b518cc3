"""The desktop sync client: enroll once, then sync = capture dirty rows, push, pull.

Runs off the GUI thread with its OWN database connection (`SyncClient.open(root)`). Push
sends each epoch's unacknowledged ops in contiguous batches (a 409 gap resends from HQ's
expected seq); pull applies each page with its cursor in one local transaction
(`apply.PageApplier`). HQ's clock is merged into the persisted HLC after every answer; a
desktop clock more than 5 minutes off HQ's is reported (it never blocks a push).

Identity: HQ issues the device id at enrollment; it names this desktop on the wire. The local
`meta.device_id` (made at install) keeps naming it in HLC strings, before and after
enrollment, so clocks already written stay valid. At enrollment the local center is re-keyed to
HQ's center id (rows, outbox patches, accounts) before anything is sent.

Trust (docs/security.md): the enrollment code may carry HQ's pin (jisr_protocol/pins.py); the
pin is checked on the very connection that carries the code, stored in `sync_state.tls_pins`,
and every later connection must present a pinned key ("untrusted_server" otherwise). A pin HQ
announces for its next key is added; once a sync has seen the new key, the old one is dropped.
"""

from __future__ import annotations

import json
import logging
import platform
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

import jisr_protocol as p
from jisr_desktop import __version__, ledger
from jisr_desktop.context import SYSTEM_USER, Context, User
from jisr_desktop.db import meta, rows
from jisr_desktop.db.connection import open_database, transaction
from jisr_desktop.i18n import N_
from jisr_desktop.sync import apply, pusher, quarantine, sealed
from jisr_desktop.sync.transport import (
    HqError,
    HqUnreachable,
    InsecureServer,
    SyncTransport,
    check_server_url,
)
from jisr_protocol import pins as pinning
from jisr_protocol.hlc import Timestamp

log = logging.getLogger("jisr.sync")

SKEW_WARNING_MS = 5 * 60 * 1000

MESSAGES: dict[str, str] = {
    "unreachable": N_("HQ cannot be reached. Your work is kept and will be sent at the next sync."),
    "not_enrolled": N_("This desktop is not enrolled with HQ yet."),
    "already_enrolled": N_("This desktop is already enrolled with HQ."),
    "bad_code": N_("HQ refused the enrollment code: it is wrong, used already or expired."),
    "device_revoked": N_("HQ has revoked this desktop. Its data is kept here; ask HQ to enroll it again."),
    "unauthenticated": N_("HQ did not recognise this desktop. Ask HQ to enroll it again."),
    "please_update": N_("HQ needs a newer version of Jisr Desktop. Please update this program."),
    "rebootstrap": N_("This desktop was away too long; it is downloading its center's data again."),
    "seq_reused": N_("HQ holds different changes under the same numbers. Restore procedure needed: contact support."),
    "clock_skew": N_("This computer's clock is more than 5 minutes off HQ's. Please set the date and time."),
    "untrusted_server": N_("The server does not prove it is your HQ: call HQ."),
    "insecure_url": N_("HQ's address must begin with https:// (http:// only for an HQ on this"
                       " computer)."),
    "bad_pin": N_("The enrollment code is not complete: copy it again exactly as HQ gave it."),
    "quota_exceeded": N_("HQ has taken what this desktop may send at once or in one day; the rest"
                         " is kept here and sent at a later sync."),
    "rate_limited": N_("Too many wrong enrollment codes were tried from this computer's network:"
                       " wait a few minutes, then enter the code exactly as HQ gave it."),
    "other": N_("Sync failed: {detail}"),
}
"""Plain-words messages by error code (translate with `i18n._` where shown)."""


PULL_LIMIT = p.MAX_PULL_LIMIT
"""Rows per pull page: HQ's largest (fewer requests and local commits; HQ's cost per page
grows with the rows it holds, not with the size of the center)."""

REPORTED_KEY = "sync_reported_health"
"""`meta` key: the version and rows kept aside last told HQ's sync health (sent again only when
they change)."""
BODY_CODING_KEY = "sync_body_coding"
"""`meta` key: the coding HQ last read in push bodies (zstd once HQ said it reads it)."""


REENROLL_CODES = frozenset({"device_revoked", "unauthenticated"})
"""Last errors that mean HQ no longer accepts this desktop's identity: enrolling again is allowed."""


class SyncFailed(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail

    def message(self) -> str:
        from jisr_desktop.i18n import _

        return _(MESSAGES.get(self.code, MESSAGES["other"]), **(
            {"detail": self.detail} if self.code not in MESSAGES or self.code == "other" else {}))


class WrongCenter(SyncFailed):
    """Enrolling again with a code of another center: refused, nothing changed here."""

    def __init__(self, other: str, mine: str) -> None:
        super().__init__("wrong_center", f"code for {other}, desktop of {mine}")
        self.other, self.mine = other, mine

    def message(self) -> str:
        from jisr_desktop.i18n import _

        return _("This enrollment code is for the center {other}, but this desktop belongs to the"
                 " center {mine}. Nothing was changed here. Ask HQ for a code of the center {mine}.",
                 other=self.other, mine=self.mine)


@dataclass
class SyncReport:
    captured: int = 0
    pushed: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    pulled: int = 0
    quarantined: int = 0
    new_conflicts: int = 0
    open_conflicts: int = 0
    requests: int = 0
    bytes_up: int = 0
    bytes_down: int = 0
    clock_skew_ms: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SyncState:
    server_url: str
    device_id: str
    secret: str
    cursor: str
    last_success_at: str | None
    last_error_code: str
    last_error: str
    clock_skew_ms: int
    pins: tuple[str, ...] = ()
    """HQ's accepted key pins (`sha256:…`); empty: certificate authorities (or loopback HTTP)."""

    @property
    def enrolled(self) -> bool:
        return bool(self.device_id and self.secret)


def state(db: sqlite_utils.Database) -> SyncState:
    row = db.execute(
        "SELECT server_url, device_id, device_secret, cursor, last_success_at, last_error_code,"
        " last_error, clock_skew_ms, tls_pins FROM sync_state WHERE id = 1").fetchone()
    server_url, device_id, secret, cursor, success, code, error, skew, pins = row
    return SyncState(server_url, device_id, secret, cursor, success, code, error, skew,
                     tuple(json.loads(pins or "[]")))


def _store_pins(db: sqlite_utils.Database, accepted: set[str] | list[str]) -> None:
    db.execute("UPDATE sync_state SET tls_pins = ? WHERE id = 1", [json.dumps(sorted(accepted))])


def pins_after(stored: tuple[str, ...], t: SyncTransport) -> set[str]:
    """The pins to keep after a sync: the keys HQ presented (every one was accepted) and the
    next key it announced; an old key HQ no longer presents nor announces is dropped. Nothing
    seen (no TLS, no connection): the stored pins stay."""
    seen, announced = t.seen_pins, t.announced_pins
    if not seen:
        return set(stored) | announced
    return seen | announced


def open_conflicts(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Conflicts waiting for a coordinator. Case-note conflicts are not theirs to see (the
    counsellor settles them in the Case notes section: `services.case_notes`)."""
    hidden = ", ".join("?" * len(p.COUNSELLING_ENTITIES))
    cur = db.execute("SELECT * FROM conflict WHERE resolution IS NULL AND resolved_locally IS NULL"
                     f" AND entity NOT IN ({hidden}) ORDER BY received_at, id",
                     list(p.COUNSELLING_ENTITIES))
    return rows.dicts(cur)


class SyncClient:
    push_batch_bytes = p.TARGET_BATCH_COMPRESSED_BYTES
    """Push batches are cut at about this many bytes on the wire (`pusher.push_epoch`)."""

    def __init__(self, db: sqlite_utils.Database, *, user: User = SYSTEM_USER,
                 clock: Callable[[], datetime] | None = None,
                 transport_factory: Callable[..., SyncTransport] = SyncTransport,
                 owns_db: bool = False) -> None:
        self.db = db
        self.ctx = Context(db=db, user=user, clock=clock or (lambda: datetime.now(UTC)))
        self.transport_factory = transport_factory
        self._owns_db = owns_db

    @classmethod
    def open(cls, root: Path, **kw: Any) -> SyncClient:
        """A client with its own connection (call in the thread that will use it)."""
        return cls(open_database(root), owns_db=True, **kw)

    def close(self) -> None:
        if self._owns_db:
            self.db.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wall_ms(self) -> int:
        return int(self.ctx.now().timestamp() * 1000)

    # -- enrollment ------------------------------------------------------------------------

    def enroll(self, server_url: str, code: str, device_name: str | None = None, *,
               again: bool = False, pin: str | None = None) -> p.EnrollResponse:
        """Trade HQ's single-use code for a device id and secret, and adopt HQ's center.

        An enrolled desktop is enrolled again only when HQ revoked it or no longer knows it
        (the last sync said so), or when `again` says a coordinator confirmed it. The new code
        must be for this desktop's center (`WrongCenter`, nothing changed here). Enrolling again
        keeps every local change: the ops HQ has not acknowledged move to a new outbox epoch
        (the new device's stream starts at seq 1) and the pull cursor restarts (see
        `_reenrolled`).

        HQ's key is checked on the connection that carries the code: against the pin the code
        carries (or `pin`), else against the system's certificate authorities; the key seen is
        then pinned. `http://` is refused except to this computer (loopback)."""
        st = state(self.db)
        if st.enrolled and not (again or st.last_error_code in REENROLL_CODES):
            raise SyncFailed("already_enrolled")
        try:
            check_server_url(server_url)
        except InsecureServer:
            raise SyncFailed("insecure_url", server_url) from None
        try:
            bare, code_pin = pinning.split_code(code)
        except ValueError:
            raise SyncFailed("bad_pin") from None
        if pin is not None and (pin := pinning.normalise_pin(pin)) is None:
            raise SyncFailed("bad_pin")
        expected = {x for x in (code_pin, pin) if x}
        if len(expected) > 1:  # the code and --pin disagree: neither can be trusted
            raise SyncFailed("untrusted_server", "the code's pin and the pin given differ")
        mine = meta.get(self.db, "center_id") if st.enrolled else None
        with self.transport_factory(server_url, pins=expected) as t:
            try:
                answer = t.enroll(bare, device_name or platform.node() or "desktop",
                                  __version__, expect_center=mine)
                accepted = pins_after((), t) if server_url.startswith("https:") else set()
            except HqError as exc:
                if exc.code == "wrong_center":  # HQ refused it and left it unspent
                    other = str((exc.body.detail or [{}])[0].get("center", "?"))
                    raise WrongCenter(other, meta.get(self.db, "center_code") or str(mine)) from exc
                raise SyncFailed(exc.code, exc.body.message) from exc
            except HqUnreachable as exc:
                raise SyncFailed("unreachable", str(exc)) from exc
        with transaction(self.db):
            if st.enrolled:
                mine = meta.get(self.db, "center_id")
                if mine and mine != str(answer.center.id):
                    # _adopt_center would re-key every local row to the other center.
                    log.warning("enroll again refused: code for center %s, this desktop is %s",
                                answer.center.code, meta.get(self.db, "center_code"))
                    raise WrongCenter(answer.center.code, meta.get(self.db, "center_code") or mine)
                moved = _reenrolled(self.db)
                log.info("enrolled again as %s (was %s); %d unacknowledged ops moved to epoch %d",
                         answer.device_id, st.device_id, moved, ledger.epoch(self.db))
            _adopt_center(self.db, answer.center)
            self.db.execute(
                "UPDATE sync_state SET server_url = ?, device_id = ?, device_secret = ?,"
                " counselling = ?, enrolled_at = ?, cursor = '', last_error_code = '',"
                " last_error = '' WHERE id = 1",
                [server_url.rstrip("/"), str(answer.device_id), answer.device_secret,
                 int(answer.counselling), self.ctx.now().isoformat()])
            _store_pins(self.db, accepted)
            meta.put(self.db, BODY_CODING_KEY, t.body_coding)  # zstd if HQ said it reads it
            self._merge_clock(answer.server_hlc)
        return answer

    # -- sync ------------------------------------------------------------------------------

    def sync(self) -> SyncReport:
        """Capture, push, pull. Raises SyncFailed (its state is recorded first)."""
        st = state(self.db)
        if not st.enrolled:
            raise SyncFailed("not_enrolled")
        report = SyncReport()
        now = self.ctx.now().isoformat()
        self.db.execute("UPDATE sync_state SET last_attempt_at = ? WHERE id = 1", [now])
        user = None if self.ctx.user.id == SYSTEM_USER.id else self.ctx.user.id
        try:
            transport = self.transport_factory(st.server_url, device_id=st.device_id,
                                               secret=st.secret, user=user, pins=st.pins)
        except InsecureServer:  # enrolled over http:// before HTTPS was required
            self._fail("insecure_url", st.server_url)
            raise SyncFailed("insecure_url", st.server_url) from None
        learnt = meta.get(self.db, BODY_CODING_KEY)
        if learnt in transport.codings:  # HQ read zstd bodies last time: push in zstd at once
            transport.body_coding = learnt
        health = {p.APP_VERSION_HEADER: __version__,
                  p.KEPT_ASIDE_HEADER: str(quarantine.count(self.db))}
        if meta.get(self.db, REPORTED_KEY) != json.dumps(health, sort_keys=True):
            transport.report_headers = health  # only when it changed: a no-op sync stays small
        if user is not None:  # a counsellor signs her pull, and her notes not signed yet
            transport.user_proof = sealed.pull_proof(self.db, st.device_id, user, self._wall_ms)
            with transaction(self.db):
                sealed.sign_pending(self.db, user)
        try:
            report.captured = ledger.capture_dirty(self.ctx)
            self._push(transport, st.device_id, report)
            self._pull(transport, report)
        except HqError as exc:
            self._fail(exc.code, exc.body.message)
            raise SyncFailed(exc.code, exc.body.message) from exc
        except HqUnreachable as exc:
            self._fail("unreachable", str(exc))
            raise SyncFailed("unreachable", str(exc)) from exc
        finally:
            report.requests = transport.stats.requests
            report.bytes_up, report.bytes_down = transport.stats.bytes_up, transport.stats.bytes_down
            transport.close()
        if (kept := pins_after(st.pins, transport)) != set(st.pins):
            log.info("HQ key pins now %s (were %s)", sorted(kept), list(st.pins))
            _store_pins(self.db, kept)
        if transport.body_coding != learnt:
            meta.put(self.db, BODY_CODING_KEY, transport.body_coding)
        if transport.report_headers:
            meta.put(self.db, REPORTED_KEY, json.dumps(transport.report_headers, sort_keys=True))
        report.open_conflicts = len(open_conflicts(self.db))
        if abs(report.clock_skew_ms) > SKEW_WARNING_MS:
            report.warnings.append("clock_skew")
        self.db.execute(
            "UPDATE sync_state SET last_success_at = ?, last_error_code = ?, last_error = ?,"
            " clock_skew_ms = ? WHERE id = 1",
            [self.ctx.now().isoformat(), "clock_skew" if report.warnings else "", "",
             report.clock_skew_ms])
        return report

    def register_case_key(self, password: str, *, timeout: float = 10.0) -> str:
        """The signed-in counsellor's key for sealed notes (docs/security.md, "Sealed notes"):
        HQ checks her password once and registers the public half for this device; the key is
        kept here wrapped with her password (`sealed.store_key`). The key she already has is
        registered again after this desktop was enrolled again. Returns the key id; raises
        SyncFailed (`unreachable` when HQ cannot be reached)."""
        st = state(self.db)
        if not st.enrolled:
            raise SyncFailed("not_enrolled")
        user = self.ctx.user
        key = sealed.signer(self.db, user.id)
        if key is None:
            key, public = sealed.new_key()
        else:
            public = sealed.public_text(key)
        req = p.CaseKeyRequest(protocol_v=p.PROTOCOL_VERSION, username=user.username,
                               password=password, public_key=public)
        try:
            with self.transport_factory(st.server_url, device_id=st.device_id, secret=st.secret,
                                        pins=st.pins, timeout=timeout) as t:
                answer = t.case_key(req)
        except HqError as exc:
            raise SyncFailed(exc.code, exc.body.message) from exc
        except HqUnreachable as exc:
            raise SyncFailed("unreachable", str(exc)) from exc
        with transaction(self.db):
            sealed.store_key(self.db, user.id, key, password, st.device_id,
                             self.ctx.now().isoformat())
            sealed.sign_pending(self.db, user.id)
        return answer.key_id

    def _fail(self, code: str, detail: str) -> None:
        log.warning("sync failed: %s %s", code, detail)
        self.db.execute("UPDATE sync_state SET last_error_code = ?, last_error = ? WHERE id = 1",
                        [code, detail[:500]])

    def _push(self, t: SyncTransport, device_id: str, report: SyncReport) -> None:
        for epoch, acked in ledger.epochs_with_pending(self.db):

            def on_answer(batch: ledger.WireBatch, answer: p.PushResponse,
                          epoch: int = epoch) -> None:
                with transaction(self.db):
                    ledger.set_acked(self.db, epoch, answer.acked_through)
                    for r in answer.rejected:
                        self.db.execute(
                            "INSERT OR IGNORE INTO sync_rejected(op_id, epoch, seq, reason, at)"
                            " VALUES (?,?,?,?,?)",
                            [str(r.op_id), epoch, r.seq, r.reason, self.ctx.now().isoformat()])
                        report.rejected.append((r.seq, r.reason))
                    self._merge_clock(answer.server_hlc, report)
                report.pushed += batch.count

            pusher.push_epoch(self.db, t, device_id, epoch, acked, on_answer,
                              target_bytes=self.push_batch_bytes)

    def _pull(self, t: SyncTransport, report: SyncReport) -> None:
        """Pages of PULL_LIMIT rows, each applied with its cursor in one transaction. The next
        page's request (its cursor is in the page's answer) is in flight on a worker thread
        while a page is applied here: the database stays on this thread, only HTTP and the
        answer's parsing run over there (the transport is thread-safe)."""
        applier = apply.PageApplier(self.db, self.ctx.now().isoformat())
        result = apply.Applied()
        if quarantine.due(self.db):  # the first sync of a newer program: rows kept aside again
            quarantine.retry(self.db, applier)
        restarted = False
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="jisr-pull") as fetcher:
            ahead = fetcher.submit(t.pull, state(self.db).cursor, PULL_LIMIT)
            while True:
                try:
                    page = ahead.result()
                except HqError as exc:
                    if exc.code == "rebootstrap" and not restarted:
                        restarted = True
                        report.warnings.append("rebootstrap")
                        ahead = fetcher.submit(t.pull, "", PULL_LIMIT)
                        continue
                    raise
                if page.more:
                    # an error there surfaces when it is waited for, after this page is kept;
                    # leaving the block (on any error here) waits for it first
                    ahead = fetcher.submit(t.pull, page.next_cursor, PULL_LIMIT)
                applier.apply(page, result)
                with transaction(self.db):
                    self._merge_clock(page.server_hlc, report)
                    if result.max_clock:
                        self._merge_clock(result.max_clock)
                if not page.more:
                    break
        report.pulled = result.rows
        report.quarantined = result.quarantined
        report.new_conflicts = len(result.new_conflicts)

    def _merge_clock(self, remote: str, report: SyncReport | None = None) -> None:
        """Advance the persisted HLC past HQ's clock; note how far off our wall clock is."""
        ts = Timestamp.parse(remote)
        wall = self._wall_ms()
        if report is not None:
            report.clock_skew_ms = wall - ts.wall_ms
        ledger.merge_remote_clock(self.db, ts, wall)


def _reenrolled(db: sqlite_utils.Database) -> int:
    """Prepare the outbox for a new device identity (inside the enrollment's transaction).

    HQ keeps a high-water mark per (device, epoch), so the new device's streams start at seq 1.
    Every op HQ has not acknowledged under the old identity (past its epoch's mark) moves, in
    order and with its op id, clocks and content, to a new epoch numbered from 1; the old
    epochs keep only acknowledged ops, so they are never sent again. An op HQ did apply but whose
    answer was lost is harmless when sent again: a record op with the same clock changes
    nothing, an event with the same id and content is a no-op. Later local changes follow in
    the same new epoch. Returns how many ops moved."""
    pending = [(e, s) for e, mark in ledger.acked_marks(db) for (s,) in db.execute(
        "SELECT seq FROM outbox WHERE epoch = ? AND seq > ? ORDER BY seq", [e, mark]).fetchall()]
    new_epoch = ledger.start_new_epoch(db)
    top = db.execute("SELECT max(epoch) FROM outbox").fetchone()[0] or 0
    if new_epoch <= top:  # never write into an epoch that holds ops already
        new_epoch = int(top) + 1
        meta.put(db, "epoch", str(new_epoch))
    db.execute("DELETE FROM sync_acked WHERE epoch >= ?", [new_epoch])
    for n, (epoch, seq) in enumerate(pending, start=1):
        db.execute("UPDATE outbox SET epoch = ?, seq = ? WHERE epoch = ? AND seq = ?",
                   [new_epoch, n, epoch, seq])
    return len(pending)


def _adopt_center(db: sqlite_utils.Database, center: p.CenterInfo) -> None:
    """Make HQ's center this database's center, re-keying a center created locally."""
    new_id = str(center.id)
    old_id = meta.get(db, "center_id")
    province = center.province_code if db.execute(
        "SELECT 1 FROM admin_division WHERE code = ?", [center.province_code]).fetchone() else None
    if old_id and old_id != new_id:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('center', 'meta')"
            " AND name NOT LIKE '%fts%'").fetchall()]
        for table in tables:
            cols = ledger.table_columns(db, table)
            if "center_id" not in cols:
                continue
            bump = ", rev = rev + 1" if "rev" in cols and "dirty" in cols else ""
            db.execute(f"UPDATE {table} SET center_id = ?{bump} WHERE center_id = ?", [new_id, old_id])
        db.execute("UPDATE outbox SET patch = json_set(patch, '$.center_id', ?)"
                   " WHERE json_extract(patch, '$.center_id') = ?", [new_id, old_id])
        db.execute("DELETE FROM center WHERE id = ?", [old_id])
    db.execute("DELETE FROM center WHERE code = ? AND id != ?", [center.code, new_id])
    db.execute(
        "INSERT INTO center(id, code, name_fr, name_ar, province_code) VALUES (?,?,?,?,?)"
        " ON CONFLICT(id) DO UPDATE SET code = excluded.code, name_fr = excluded.name_fr,"
        " name_ar = excluded.name_ar, province_code = excluded.province_code",
        [new_id, center.code, center.name_fr, center.name_ar, province])
    meta.put(db, "center_id", new_id)
    meta.put(db, "center_code", center.code)
    ledger.device_id(db)
