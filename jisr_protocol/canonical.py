"""Canonical JSON: the one byte form both sides hash (digests, content checks)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import orjson


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: byte for byte what ``json.dumps(value, sort_keys=True,
    separators=(",", ":"), ensure_ascii=False)`` gives, several times faster (orjson). Values
    holding floats (orjson writes some differently) or integers past 64 bits take json's way."""
    if not _has_float(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _has_float(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        items = value.values()
    elif kind is list or kind is tuple:
        items = value
    else:
        return kind is float
    for item in items:  # a plain loop: this runs for every event of every push
        kind = type(item)
        if kind is float or ((kind is dict or kind is list or kind is tuple) and _has_float(item)):
            return True
    return False


def content_digest(value: Any) -> str:
    """SHA-256 of canonical JSON, the same on both sides."""
    return hashlib.sha256(canonical_json(value)).hexdigest()
