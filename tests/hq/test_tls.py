"""HQ over TLS (docs/security.md, "Deploying HQ with TLS"): `tls-init` makes a self-signed pair
and prints its pin, `serve` serves HTTPS with it, enrollment codes carry the pin (bare codes
still work: protocol 1), a next key's pin is announced, plain HTTP is served on loopback only,
and `check --deploy` finds nothing to warn about in the production settings."""

from __future__ import annotations

import hashlib
import ipaddress
import os
import secrets
import shutil
import ssl
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from jisr_protocol import pins
from tests.hq.hqkit import REPO, HqServer, SimDesktop, tls_init
from tests.hq.pg_server import free_port


def _spki_pin(cert_pem: bytes) -> str:
    """The pin computed with an X.509 library, to hold jisr_protocol/pins.py against."""
    cert = x509.load_pem_x509_certificate(cert_pem)
    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return "sha256:" + hashlib.sha256(spki).hexdigest()


def test_tls_init_writes_an_owner_only_key_and_prints_the_pin(tmp_path: Path) -> None:
    files = tls_init(tmp_path / "tls", "hq.example.ma", "10.0.0.5")
    assert stat.S_IMODE(files.key.stat().st_mode) == 0o600
    assert files.pin == _spki_pin(files.cert.read_bytes())
    cert = x509.load_pem_x509_certificate(files.cert.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["hq.example.ma"]
    assert names.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("10.0.0.5")]

    again = subprocess.run(
        [sys.executable, "-m", "jisr_hq", "tls-init", "--cert", str(files.cert), "--key",
         str(files.key)], capture_output=True, text=True, cwd=REPO, timeout=120,
        env={**os.environ, "JISR_HQ_HOME": str(tmp_path / "home"), "PYTHONPATH": str(REPO)})
    assert again.returncode == 2 and "--force" in again.stderr
    assert files.pin == _spki_pin(files.cert.read_bytes())  # untouched


def test_the_default_names_are_localhost_and_127_0_0_1(tmp_path: Path) -> None:
    cert = x509.load_pem_x509_certificate(tls_init(tmp_path).cert.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert names.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("127.0.0.1")]


@pytest.mark.parametrize("kind", ["ec", "rsa"])
def test_the_pin_is_the_sha256_of_the_public_key_info(tmp_path: Path, kind: str) -> None:
    if kind == "ec":
        pem = tls_init(tmp_path).cert.read_bytes()
    else:  # a certificate from somebody else's PKI: RSA, a long chain of extensions
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hq.example.ma")])
        import datetime as dt

        now = dt.datetime.now(dt.UTC)
        pem = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now).not_valid_after(now + dt.timedelta(days=90))
               .add_extension(x509.SubjectAlternativeName(
                   [x509.DNSName(f"n{i}.example.ma") for i in range(40)]), critical=False)
               .sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM))
    der = ssl.PEM_cert_to_DER_cert(pem.decode())
    assert pins.pin_of_certificate(der) == _spki_pin(pem)
    with pytest.raises(pins.BadCertificate):
        pins.pin_of_certificate(der[:40])


def test_codes_carry_the_pin_and_the_bare_code_still_enrolls(hq: HqServer) -> None:
    code, _ = hq.new_center(codes=0)
    printed = hq.cli("enrollment-code", "--center", code, "--count", "3").stdout.split()
    assert all(pins.split_code(c)[1] == hq.pin for c in printed)
    assert all(c.startswith(pins.split_code(c)[0] + ".sha256-") for c in printed)
    # a protocol-1 desktop sends the code alone; a client that sends it whole is served too
    SimDesktop.enroll(hq.base_url, pins.split_code(printed[0])[0]).close()
    with httpx.Client(base_url=hq.base_url + "/api/sync") as client:
        r = client.post("/enroll", json={"protocol_v": 1, "code": printed[1], "device_name": "w"})
        assert r.status_code == 200, r.text


def test_serve_with_certfile_and_keyfile_serves_https_only(tmp_path: Path) -> None:
    files = tls_init(tmp_path / "own", "127.0.0.1")
    home = tmp_path / "hq"
    home.mkdir()
    hq = HqServer(home, f"sqlite:///{home / 'hq.sqlite3'}", free_port(), "sqlite", tls=False)
    hq.migrate()
    code, _ = hq.new_center(codes=0)
    assert "." not in hq.cli("enrollment-code", "--center", code).stdout  # no certificate yet
    # the production settings (not JISR_HQ_PLAIN_HTTP), the files given on the command line
    hq.start("--certfile", str(files.cert), "--keyfile", str(files.key), JISR_HQ_PLAIN_HTTP="")
    try:
        assert hq.base_url.startswith("https://")
        served = httpx.get(hq.base_url + "/fr/admin/login/", verify=files.client_context())
        assert served.status_code == 200
        assert served.headers["strict-transport-security"].startswith("max-age=31536000")
        assert "; secure" in served.headers["set-cookie"].lower()  # the CSRF cookie
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{hq.port}/api/sync/ping")
        env = {"JISR_HQ_TLS_CERT": str(files.cert), "JISR_HQ_TLS_KEY": str(files.key)}
        printed = hq.cli("enrollment-code", "--center", code, env=env).stdout.strip()
        assert pins.split_code(printed)[1] == files.pin  # HQ's certificate: codes carry its pin
    finally:
        hq.stop()


def test_plain_http_is_served_on_loopback_only(tmp_path: Path) -> None:
    home = tmp_path / "hq"
    home.mkdir()
    hq = HqServer(home, f"sqlite:///{home / 'hq.sqlite3'}", free_port(), "sqlite", tls=False)
    hq.migrate()
    out = hq.cli("serve", "--host", "0.0.0.0", "--port", str(hq.port), check=False, timeout=60)
    assert out.returncode == 2 and "refusing plain HTTP" in out.stderr
    half = hq.cli("serve", "--certfile", str(home / "x.pem"), check=False, timeout=60)
    assert half.returncode == 2 and "both --certfile and --keyfile" in half.stderr


def test_a_next_key_is_announced_under_the_current_one(hq: HqServer) -> None:
    nxt = "sha256:" + secrets.token_hex(32)
    hq.stop()
    try:
        hq.start(JISR_HQ_TLS_NEXT_PIN=nxt.upper().replace("SHA256:", "sha256-"))
        _, codes = hq.new_center(codes=1)
        desk = SimDesktop.enroll(hq.base_url, codes[0])
        try:
            r = desk.pull_page()
            assert r.status_code == 200 and r.headers[pins.TLS_NEXT_PIN_HEADER] == nxt
        finally:
            desk.close()
        bad = hq.cli("check", check=False, env={"JISR_HQ_TLS_NEXT_PIN": "sha256:nothex"})
        assert bad.returncode != 0 and "JISR_HQ_TLS_NEXT_PIN" in bad.stderr
    finally:
        hq.stop()
        hq.start()


@pytest.mark.parametrize("behind_proxy", [False, True], ids=["direct", "reverse-proxy"])
def test_check_deploy_finds_nothing_in_the_production_settings(behind_proxy: bool) -> None:
    home = Path(tempfile.mkdtemp(prefix="jisr-hq-deploy-"))
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JISR_HQ_", "DJANGO_"))}
        env.update(JISR_HQ_HOME=str(home), PYTHONPATH=str(REPO),
                   DATABASE_URL=f"sqlite:///{home / 'hq.sqlite3'}",
                   DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
                   JISR_HQ_ALLOWED_HOSTS="hq.example.ma",
                   JISR_HQ_CSRF_TRUSTED_ORIGINS="https://hq.example.ma")
        if behind_proxy:
            env["JISR_HQ_BEHIND_PROXY"] = "1"
        out = subprocess.run([sys.executable, "-m", "jisr_hq", "check", "--deploy",
                              "--fail-level", "WARNING"], env=env, capture_output=True, text=True,
                             cwd=REPO, timeout=120)
        assert out.returncode == 0, out.stdout + out.stderr
        assert "System check identified no issues (0 silenced)" in out.stdout
    finally:
        shutil.rmtree(home, ignore_errors=True)
