"""HQ's public-key pin, and enrollment codes that carry it (docs/security.md, "The pin").

A pin is ``sha256:`` followed by the hex SHA-256 of a certificate's SubjectPublicKeyInfo (its
public key with the algorithm, DER): it stays the same when a certificate is renewed on the
same key, and changes with the key. HQ prints it (`jisr-hq tls-init`, `jisr-hq
enrollment-code`); the desktop checks the key of every TLS connection against the pins it
holds. An enrollment code may carry the pin after a dot: ``ABCD-EFGH-JKMN.sha256-<hex>``
(``sha256:`` is accepted there too); a bare code is still a valid code (protocol 1).

Only the standard library: the desktop bundle has no X.509 library, so the few DER headers
between a certificate and its public key are walked here.
"""

from __future__ import annotations

import hashlib
import re

PIN_PREFIX = "sha256:"
TLS_NEXT_PIN_HEADER = "X-Jisr-Tls-Next-Pin"
"""Answer header by which HQ announces, under its current key, the pin of its next key
(planned rollover); optional, so protocol 1 clients ignore it."""

_PIN = re.compile(r"sha256[:\-]([0-9a-fA-F]{64})")


class BadCertificate(ValueError):
    """Not a DER X.509 certificate this module can read."""


def _tlv(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the DER element at `at`."""
    if at + 2 > len(data):
        raise BadCertificate("truncated")
    tag, first = data[at], data[at + 1]
    at += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or at + count > len(data):
            raise BadCertificate("bad length")
        length = int.from_bytes(data[at:at + count], "big")
        at += count
    if at + length > len(data):
        raise BadCertificate("truncated")
    return tag, at, at + length


def spki_der(cert_der: bytes) -> bytes:
    """The SubjectPublicKeyInfo element of a DER certificate (RFC 5280, 4.1)."""
    tag, start, _ = _tlv(cert_der, 0)  # Certificate
    if tag != 0x30:
        raise BadCertificate("not a certificate")
    tag, at, tbs_end = _tlv(cert_der, start)  # tbsCertificate
    if tag != 0x30:
        raise BadCertificate("not a certificate")
    if cert_der[at] == 0xA0:  # [0] EXPLICIT version
        at = _tlv(cert_der, at)[2]
    # serialNumber, signature, issuer, validity, subject: skipped
    for _ in range(5):
        at = _tlv(cert_der, at)[2]
    tag, _, end = _tlv(cert_der, at)
    if tag != 0x30 or end > tbs_end:
        raise BadCertificate("no public key")
    return cert_der[at:end]


def pin_of_certificate(cert_der: bytes) -> str:
    """``sha256:<hex>`` of the certificate's public key."""
    return PIN_PREFIX + hashlib.sha256(spki_der(cert_der)).hexdigest()


def normalise_pin(text: str) -> str | None:
    """A pin in its one spelling (``sha256:`` + lower-case hex), or None if `text` is not one."""
    m = _PIN.fullmatch(text.strip())
    return PIN_PREFIX + m.group(1).lower() if m else None


def join_code(code: str, pin: str | None) -> str:
    """The code as HQ prints it: with the pin when HQ has a certificate."""
    if not pin:
        return code
    return f"{code}.sha256-{pin.removeprefix(PIN_PREFIX)}"


def split_code(text: str) -> tuple[str, str | None]:
    """(the code to send to HQ, the pin it carries or None). Raises ValueError when the part
    after the dot is not a pin."""
    code, dot, tail = text.strip().partition(".")
    if not dot:
        return code.strip(), None
    pin = normalise_pin(tail)
    if pin is None:
        raise ValueError("the part after the dot is not a pin")
    return code.strip(), pin
