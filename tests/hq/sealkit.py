"""A counsellor's key on a SimDesktop, made and used the way the desktop does
(jisr_desktop/sync/sealed.py; docs/security.md, "Sealed notes")."""

from __future__ import annotations

import json
import time
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

import jisr_protocol as p
from jisr_protocol import sealed as ps
from tests.hq.hqkit import SimDesktop

PASSWORD = "correct horse battery"


class Counsellor:
    """A counsellor's key on one SimDesktop, as the desktop keeps it."""

    def __init__(self, desk: SimDesktop, username: str, staff_id: str) -> None:
        self.desk, self.username, self.staff_id = desk, username, staff_id
        self.key = Ed25519PrivateKey.generate()
        raw = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public = ps.b64(raw)
        self.key_id = ps.key_id(raw)

    def register(self, password: str = PASSWORD) -> Any:
        return self.desk.post("/case-key", {"protocol_v": 1, "username": self.username,
                                            "password": password, "public_key": self.public})

    def sign(self, op: dict[str, Any]) -> dict[str, Any]:
        message = ps.op_message(p.Op.model_validate_json(json.dumps(op)))
        op["proof"] = f"{self.key_id}.{ps.b64(self.key.sign(message))}"
        return op

    def pull_proof(self, at_ms: int | None = None) -> str:
        at = at_ms if at_ms is not None else time.time_ns() // 1_000_000
        sig = self.key.sign(ps.pull_message(self.desk.device_id, self.staff_id, at))
        return f"{self.key_id}.{at}.{ps.b64(sig)}"
