"""Sealed notes on the desktop: each counsellor's signing key (docs/security.md, "Sealed notes").

A counsellor's Ed25519 key is made the first time she signs in on a counselling desktop
while HQ can be reached; HQ registers its public half after checking her password. Its
private half is stored in `case_key` encrypted (AES-GCM) with a key derived from her password
(argon2id), so only her own sign-in, online or offline, unlocks it; once unlocked it is held
in memory for this program's run (`forget` drops it at sign-out). With it the desktop:

- signs every case-note op she writes, in the transaction that writes it (`sign_pending`,
  kept in `outbox_proof`, sent as `Op.proof` by `with_proofs`); whoever's sync sends the op
  later, the proof is hers;
- signs the counselling pull while she is the signed-in user (`pull_proof`).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable

import sqlite_utils
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from jisr_desktop import ledger
from jisr_desktop.db import meta
from jisr_desktop.ledger.outbox import _scalars as wire_scalars
from jisr_protocol import sealed as ps

_UNLOCKED: dict[tuple[str, str], Ed25519PrivateKey] = {}
"""(this install's device id, user id) → her unlocked key, for this program's run."""
_LOCK = threading.Lock()
_PROOF_ENTITIES = sorted(ps.PROOF_ENTITIES)
_MARKERS = tuple(f'"{name}"'.encode() for name in _PROOF_ENTITIES)


def _slot(db: sqlite_utils.Database, user_id: str) -> tuple[str, str]:
    return (meta.get(db, "device_id") or "", user_id)


def _kek(password: str, salt: bytes) -> bytes:
    return hash_secret_raw(password.encode(), salt, time_cost=2, memory_cost=19 * 1024,
                           parallelism=1, hash_len=32, type=Type.ID)


def _public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def signer(db: sqlite_utils.Database, user_id: str) -> Ed25519PrivateKey | None:
    with _LOCK:
        return _UNLOCKED.get(_slot(db, user_id))


def registered_for(db: sqlite_utils.Database, user_id: str) -> str:
    """The HQ device id her key is registered for ('' when none)."""
    row = db.execute("SELECT registered_for FROM case_key WHERE user_id = ?", [user_id]).fetchone()
    return str(row[0]) if row else ""


def unlock(db: sqlite_utils.Database, user_id: str, password: str) -> bool:
    """Her stored key, opened with her password; False when there is none or the password
    does not open it (it changed since: the next online sign-in makes a new key)."""
    row = db.execute("SELECT salt, nonce, wrapped FROM case_key WHERE user_id = ?",
                     [user_id]).fetchone()
    if row is None:
        return False
    salt, nonce, wrapped = row
    try:
        raw = AESGCM(_kek(password, salt)).decrypt(nonce, wrapped, user_id.encode())
    except InvalidTag:
        return False
    with _LOCK:
        _UNLOCKED[_slot(db, user_id)] = Ed25519PrivateKey.from_private_bytes(raw)
    return True


def forget(db: sqlite_utils.Database | None = None, *, keep: str | None = None) -> None:
    """Drop unlocked keys from memory: those of this database's users but `keep`, or (no
    database) every key."""
    install = meta.get(db, "device_id") or "" if db is not None else None
    with _LOCK:
        for slot in [s for s in _UNLOCKED
                     if (install is None or s[0] == install) and s[1] != keep]:
            del _UNLOCKED[slot]


def new_key() -> tuple[Ed25519PrivateKey, str]:
    """A fresh key and its public half (base64url) to register at HQ."""
    key = Ed25519PrivateKey.generate()
    return key, public_text(key)


def public_text(key: Ed25519PrivateKey) -> str:
    return ps.b64(_public(key))


def store_key(db: sqlite_utils.Database, user_id: str, key: Ed25519PrivateKey, password: str,
              hq_device_id: str, now_iso: str) -> None:
    """Keep her key (registered at HQ for `hq_device_id`), wrapped with her password, and
    hold it unlocked."""
    salt, nonce = os.urandom(16), os.urandom(12)
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    wrapped = AESGCM(_kek(password, salt)).encrypt(nonce, raw, user_id.encode())
    public = _public(key)
    db.execute(
        "INSERT INTO case_key(user_id, key_id, public_key, salt, nonce, wrapped, registered_for,"
        " created_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(user_id) DO UPDATE SET"
        " key_id = excluded.key_id, public_key = excluded.public_key, salt = excluded.salt,"
        " nonce = excluded.nonce, wrapped = excluded.wrapped,"
        " registered_for = excluded.registered_for",
        [user_id, ps.key_id(public), ps.b64(public), salt, nonce, wrapped, hq_device_id, now_iso])
    with _LOCK:
        _UNLOCKED[_slot(db, user_id)] = key


def _key_id(db: sqlite_utils.Database, user_id: str) -> str:
    row = db.execute("SELECT key_id FROM case_key WHERE user_id = ?", [user_id]).fetchone()
    return str(row[0]) if row else ""


def sign_pending(db: sqlite_utils.Database, user_id: str) -> int:
    """Sign her unacknowledged case-note ops that have no proof yet (call in the transaction
    that wrote them); returns how many. Nothing without her unlocked key."""
    key = signer(db, user_id)
    key_id = _key_id(db, user_id)
    if key is None or not key_id:
        return 0
    marks = ", ".join("?" * len(_PROOF_ENTITIES))
    made: list[tuple[str, str]] = []
    for epoch, mark in ledger.acked_marks(db):
        for op_id, entity, entity_id, kind, patch, base, schema_v, hlc in db.execute(
                "SELECT op_id, entity, entity_id, kind, patch, base, schema_v, hlc FROM outbox"
                f" WHERE epoch = ? AND seq > ? AND user_id = ? AND entity IN ({marks})"
                " AND op_id NOT IN (SELECT op_id FROM outbox_proof)",
                [epoch, mark, user_id, *_PROOF_ENTITIES]).fetchall():
            message = ps.op_message_of(
                op_id=op_id, entity=entity, entity_id=entity_id, kind=kind,
                patch=wire_scalars(json.loads(patch)), base=json.loads(base),
                schema_v=schema_v, user_id=user_id, hlc=hlc)
            made.append((op_id, f"{key_id}.{ps.b64(key.sign(message))}"))
    if made:
        db.conn.executemany("INSERT OR REPLACE INTO outbox_proof(op_id, proof) VALUES (?, ?)",
                            made)
    return len(made)


def with_proofs(db: sqlite_utils.Database, body: bytes) -> bytes:
    """A push batch's JSON with each case-note op's stored proof (`Op.proof`); batches
    without such ops (nearly all) are returned as they are."""
    if not any(marker in body for marker in _MARKERS):
        return body
    req = json.loads(body)
    ids = [op["op_id"] for op in req["ops"] if op["entity"] in ps.PROOF_ENTITIES]
    if not ids:
        return body
    proofs = dict(db.execute(
        f"SELECT op_id, proof FROM outbox_proof WHERE op_id IN ({', '.join('?' * len(ids))})",
        ids).fetchall())
    if not proofs:
        return body
    for op in req["ops"]:
        if op["op_id"] in proofs:
            op["proof"] = proofs[op["op_id"]]
    return json.dumps(req, ensure_ascii=False, separators=(",", ":")).encode()


def pull_proof(db: sqlite_utils.Database, hq_device_id: str, user_id: str,
               wall_ms: Callable[[], int]) -> Callable[[], str] | None:
    """Her signature for each pull request (the counselling partition needs it), or None
    when her key is not unlocked here or not registered for this device. Dated by HQ's clock
    as this desktop last saw it: `wall_ms` (this desktop's clock, maybe off) less the skew
    the last sync measured."""
    key = signer(db, user_id)
    key_id = _key_id(db, user_id)
    if key is None or not key_id or registered_for(db, user_id) != hq_device_id:
        return None
    row = db.execute("SELECT clock_skew_ms FROM sync_state WHERE id = 1").fetchone()
    skew = int(row[0] or 0) if row else 0

    def proof() -> str:
        at = wall_ms() - skew
        signature = key.sign(ps.pull_message(hq_device_id, user_id, at))
        return f"{key_id}.{at}.{ps.b64(signature)}"

    return proof

