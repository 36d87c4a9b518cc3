"""The sync wire format shared by the desktop and HQ (see docs/sync.md).

Every body that crosses the wire is one of these pydantic models: strict types, unknown fields
refused, sizes bounded. Both sides import this package (``jisr_protocol``), so they
cannot drift apart. Validate raw bytes with ``Model.model_validate_json``: the JSON
parser refuses deep nesting and the models refuse wrong types before anything is written.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from uuid import UUID

import orjson
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from jisr_protocol.canonical import canonical_json
from jisr_protocol.entities import EntityName

PROTOCOL_VERSION = 1
"""Version of this wire format; sent in every push and pull."""

MIN_PULL_PROTOCOL = 1
"""Desktops older than this are told to update before they may pull (they may still push)."""

MAX_OPS_PER_BATCH = 500
MAX_WIRE_BODY_BYTES = 2 * 1024 * 1024
"""Largest request body accepted on the wire (compressed or not)."""
MAX_DECOMPRESSED_BYTES = 8 * 1024 * 1024
"""Largest request body after gzip decompression (compression-bomb bound)."""
TARGET_BATCH_COMPRESSED_BYTES = 256 * 1024
"""Clients cut batches at about this many compressed bytes (or 500 ops)."""
PIPELINE_DEPTH = 3
"""Push batches a client may have in flight at once (it says so with PIPELINE_HEADER)."""
MAX_FIELDS_PER_OP = 120
MAX_STRING_CHARS = 20_000
MAX_ID_CHARS = 64
MAX_PULL_LIMIT = 2000
DEFAULT_PULL_LIMIT = 500

DEVICE_HEADER = "X-Jisr-Device"
SECRET_HEADER = "X-Jisr-Secret"
USER_HEADER = "X-Jisr-User"
"""Optional on pull: the staff account signed in on the desktop (used for counselling rows)."""
PROTOCOL_HEADER = "X-Jisr-Protocol"
PIPELINE_HEADER = "X-Jisr-Pipeline"
"""On push: "1" when the client may have several batches in flight, so a batch that arrives
before its predecessor has committed is held back briefly instead of answered 409 at once."""
APP_VERSION_HEADER = "X-Jisr-App-Version"
"""The desktop program's version, sent with each authenticated request (HQ's sync health)."""
KEPT_ASIDE_HEADER = "X-Jisr-Kept-Aside"
"""How many pulled rows the desktop keeps aside (quarantined), sent with each authenticated
request so HQ's sync health can show a center that needs a repair."""


_FIELD_NAME = r"^[a-z][a-z0-9_]{0,62}$"
FieldName = Annotated[str, StringConstraints(pattern=_FIELD_NAME)]
ShortId = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID_CHARS)]


HLC_PATTERN = r"^[0-9]{13}:[0-9a-f]{4}:[^:\s][^\s]*$"
"""The string form of ``hlc.Timestamp`` (checked in the Rust validator: one op carries many)."""

HlcText = Annotated[
    str,
    StringConstraints(min_length=20, max_length=20 + MAX_ID_CHARS, pattern=HLC_PATTERN),
]
Scalar = Annotated[str, StringConstraints(max_length=MAX_STRING_CHARS)] | int | float | bool | None
PositiveInt = Annotated[int, Field(ge=1, le=2**62)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)


class Op(_Strict):
    """One outbox operation: a patch of changed fields with the clocks they had before."""

    op_id: UUID
    device_id: UUID
    epoch: PositiveInt
    seq: PositiveInt
    entity: EntityName
    entity_id: UUID
    kind: Literal["upsert", "delete", "restore", "event"]
    patch: dict[FieldName, Scalar] = Field(default_factory=dict, max_length=MAX_FIELDS_PER_OP)
    base: dict[FieldName, HlcText | None] = Field(
        default_factory=dict, max_length=MAX_FIELDS_PER_OP
    )
    schema_v: Annotated[int, Field(ge=1, le=10_000)]
    user_id: ShortId | None = None
    hlc: HlcText
    proof: Annotated[str, StringConstraints(max_length=200)] | None = None
    """Case notes: the author's signature (`jisr_protocol/sealed.py`). Not part of `digest`:
    a proof made again for the same op is the same op."""

    def digest(self) -> bytes:
        """Content hash (SHA-256, version 2) used to tell a harmless replay from a reused
        seq (key order of `patch` and `base` does not matter)."""
        head = (
            f"{self.epoch}|{self.seq}|{self.entity}|{self.kind}|{self.schema_v}|"
            f"{self.user_id}|{self.hlc}|"
        )
        h = hashlib.sha256(self.op_id.bytes + self.device_id.bytes + self.entity_id.bytes)
        h.update(head.encode())
        try:  # any stable encoding will do here: version 2 never had another
            h.update(orjson.dumps([self.patch, self.base], option=orjson.OPT_SORT_KEYS))
        except orjson.JSONEncodeError:  # integers past 64 bits
            h.update(canonical_json([self.patch, self.base]))
        return h.digest()

    def digest_v1(self) -> str:
        """The first version of `digest` (hex), still needed to recognise a replay of a
        batch that HQ received before version 2."""
        head = (
            f"{self.op_id}|{self.device_id}|{self.epoch}|{self.seq}|{self.entity}|"
            f"{self.entity_id}|{self.kind}|{self.schema_v}|{self.user_id}|{self.hlc}|"
        )
        body = json.dumps([self.patch, self.base], sort_keys=True, separators=(",", ":"))
        return hashlib.sha256((head + body).encode()).hexdigest()


class PushRequest(_Strict):
    protocol_v: Annotated[int, Field(ge=1, le=10_000)]
    device_id: UUID
    epoch: PositiveInt
    first_seq: PositiveInt
    ops: list[Op] = Field(max_length=MAX_OPS_PER_BATCH)


class Rejected(_Strict):
    seq: int
    op_id: UUID
    reason: str


class PushResponse(_Strict):
    acked_through: int
    server_hlc: str
    rejected: list[Rejected] = Field(default_factory=list)


class Row(_Strict):
    """Current state of one HQ row (state, not history: only the last change is sent)."""

    entity: str
    entity_id: UUID
    center_id: UUID | None
    fields: dict[str, Any]
    clocks: dict[str, str]
    deleted: bool
    counter: int


class PullResponse(_Strict):
    rows: list[Row]
    next_cursor: str
    more: bool
    server_hlc: str


class EnrollRequest(_Strict):
    protocol_v: Annotated[int, Field(ge=1, le=10_000)]
    code: Annotated[str, StringConstraints(min_length=4, max_length=160)]
    """The code; HQ ignores a pin after a dot (jisr_protocol/pins.py), so a code pasted whole
    is accepted too."""
    device_name: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    app_version: Annotated[str, StringConstraints(max_length=40)] = ""
    expect_center: UUID | None = None
    """Set by a desktop enrolling again: a code of another center is refused (409
    wrong_center) and stays unused."""


class CenterInfo(_Strict):
    id: UUID
    code: str
    name_fr: str
    name_ar: str
    province_code: str


class EnrollResponse(_Strict):
    device_id: UUID
    device_secret: str
    center: CenterInfo
    counselling: bool
    server_hlc: str
    protocol_v: int


class CaseKeyRequest(_Strict):
    """A counsellor's sign-in on a counselling desktop, once, online: HQ checks the password
    against her staff account and registers the public key for this (device, counsellor)."""

    protocol_v: Annotated[int, Field(ge=1, le=10_000)]
    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    public_key: Annotated[str, StringConstraints(min_length=40, max_length=60)]
    """Raw Ed25519 public key, base64url."""


class CaseKeyResponse(_Strict):
    key_id: str
    staff_id: UUID


class ErrorBody(_Strict):
    """Every non-2xx answer: a stable machine `code` and a plain-words `message`."""

    code: str
    message: str
    expected_seq: int | None = None
    detail: list[dict[str, Any]] | None = None


ERROR_CODES = {
    "bad_json": 400,
    "invalid": 400,
    "bad_cursor": 400,
    "batch_not_contiguous": 400,
    "unauthenticated": 401,
    "device_revoked": 403,
    "device_mismatch": 403,
    "bad_code": 403,
    "not_counselling": 403,
    "bad_credentials": 403,
    "seq_gap": 409,
    "seq_reused": 409,
    "wrong_center": 409,
    "rebootstrap": 410,
    "too_large": 413,
    "bad_encoding": 415,
    "please_update": 426,
}

REJECT_REASONS = (
    "unknown_entity",
    "wrong_kind",
    "unknown_field",
    "wrong_center",
    "entity_of_other_center",
    "author_not_member",
    "author_role",
    "schema_too_new",
    "event_conflict",
    "unknown_conflict",
    "invalid_value",
    "device_not_counselling",
    "author_unproven",
    "unknown_reference",
)


_CURSOR = re.compile(r"^1\.(\d{1,18})\.(\d{1,18})\.(\d{1,18})$")


@dataclass(frozen=True)
class Cursor:
    """Opaque pull position: one counter per stream (reference, center, counselling)."""

    ref: int = 0
    center: int = 0
    counselling: int = 0

    def __str__(self) -> str:
        return f"1.{self.ref}.{self.center}.{self.counselling}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor:
        if not text:
            return cls()
        m = _CURSOR.match(text)
        if not m:
            raise ValueError("malformed cursor")
        return cls(int(m[1]), int(m[2]), int(m[3]))


