"""HQ's TLS certificate: where it is, its pin, and a self-signed pair (docs/security.md).

The certificate and key files are `settings.JISR_HQ_TLS_CERT` / `JISR_HQ_TLS_KEY` (by default
`<JISR_HQ_HOME>/tls/cert.pem` and `key.pem`, where `jisr-hq tls-init` writes them). `serve`
serves HTTPS with them when they exist; enrollment codes then carry the certificate's pin.
"""

from __future__ import annotations

import ipaddress
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings

from jisr_protocol import pins


def cert_path() -> Path:
    return Path(settings.JISR_HQ_TLS_CERT)


def key_path() -> Path:
    return Path(settings.JISR_HQ_TLS_KEY)


def first_certificate_der(pem: bytes) -> bytes:
    """The first certificate of a PEM file (the server's own; a chain follows it)."""
    import ssl

    text = pem.decode("ascii", errors="replace")
    begin, end = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"
    start = text.find(begin)
    stop = text.find(end, start)
    if start < 0 or stop < 0:
        raise pins.BadCertificate("no certificate in the file")
    return ssl.PEM_cert_to_DER_cert(text[start:stop + len(end)])


def pin_of_file(path: Path) -> str:
    return pins.pin_of_certificate(first_certificate_der(path.read_bytes()))


def current_pin() -> str | None:
    """The pin of the certificate HQ serves, or None when HQ has none (behind a reverse
    proxy, or plain HTTP on loopback)."""
    path = cert_path()
    return pin_of_file(path) if path.is_file() else None


def next_pin() -> str | None:
    """The pin HQ announces for its next key (`JISR_HQ_TLS_NEXT_PIN`), in its one spelling."""
    raw = getattr(settings, "JISR_HQ_TLS_NEXT_PIN", "")
    return pins.normalise_pin(raw) if raw else None


def self_signed(hosts: list[str], days: int) -> tuple[bytes, bytes]:
    """A self-signed certificate for `hosts` (DNS names or IP addresses) and its key
    (ECDSA P-256, PEM, unencrypted: the file's mode protects it)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, hosts[0]),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Jisr HQ"),
    ])
    now = datetime.now(UTC)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only (mode 0600 from its creation)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
