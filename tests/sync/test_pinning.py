"""HQ's key pinned at enrollment (docs/security.md, "The pin"), against a real HQ serving HTTPS.

An attacker's intercepting proxy on loopback, with its own certificate (even one the system
trusts), reads nothing and injects nothing: the desktop checks the key right after the TLS
handshake of the very connection that would carry the secret. The pin is stored at
enrollment and a changed key is refused later with one plain sentence; a rollover HQ
announced under the old key is followed; `http://` is refused except to this computer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import certifi
import httpx
import pytest

from jisr_desktop.i18n import _
from jisr_desktop.services import registry
from jisr_desktop.sync import client as sync_client
from jisr_desktop.sync.client import MESSAGES, SyncClient, SyncFailed
from jisr_desktop.sync.transport import SyncTransport
from tests.hq.hqkit import HqServer, TlsFiles, tls_init
from tests.sync.deskkit import Desk
from tests.sync.interceptor import Interceptor

SENTENCE = "The server does not prove it is your HQ: call HQ."


@pytest.fixture(scope="module")
def other_key(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """Another certificate for the same names: a new HQ key, or an attacker's."""
    return tls_init(tmp_path_factory.mktemp("other-key"))


@pytest.fixture
def serving(hq: HqServer) -> Iterator[Callable[..., None]]:
    """Restart HQ with other TLS files or settings; HQ is put back as it was after the test."""

    def restart(files: TlsFiles | None = None, **env: str) -> None:
        hq.stop()
        if files is not None:
            env.update(JISR_HQ_TLS_CERT=str(files.cert), JISR_HQ_TLS_KEY=str(files.key))
        hq.start(**env)

    yield restart
    if hq.extra_env:
        hq.stop()
        hq.start()


def _trusting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *certs: Path) -> None:
    """The authorities "the system" trusts in this test: the public ones and `certs`."""
    bundle = tmp_path / "system-authorities.pem"
    bundle.write_bytes(b"\n".join([Path(certifi.where()).read_bytes(),
                                   *(c.read_bytes() for c in certs)]))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))


def _enrolled(hq: HqServer, desks: Callable[..., Desk], name: str = "A") -> Desk:
    _, codes = hq.new_center(codes=1)
    desk = desks(name)
    desk.client().enroll(hq.base_url, codes[0], device_name=name)  # the code carries the pin
    return desk


def _person(desk: Desk, given: str) -> str:
    return registry.register_person(ctx=desk.ctx(), data={
        "given_name_lat": given, "family_name_lat": "Alaoui"}).id


def _secret(desk: Desk) -> str:
    return sync_client.state(desk.db).secret


def _pull_answer_with_forged_staff(center_id: str) -> bytes:
    row = {"entity": "ref.staff", "entity_id": str(uuid.uuid4()), "center_id": center_id,
           "fields": {"username": "intruder", "full_name": "Intruder", "role": "admin",
                      "password_hash": "x", "active": True},
           "clocks": {}, "deleted": False, "counter": 10**9}
    return json.dumps({"rows": [row], "next_cursor": "", "more": False,
                       "server_hlc": "9999999999999:0000:hq"}).encode()


def test_the_pin_is_stored_at_enrollment_and_a_changed_key_is_refused(
        hq: HqServer, desks: Callable[..., Desk], serving: Callable[..., None],
        other_key: TlsFiles) -> None:
    desk = _enrolled(hq, desks)
    assert sync_client.state(desk.db).pins == (hq.pin,)
    desk.sync()
    assert sync_client.state(desk.db).pins == (hq.pin,)

    serving(other_key)  # HQ now shows another key (a new server, or someone else's)
    pid = _person(desk, "Fatima")
    with pytest.raises(SyncFailed) as refused:
        desk.sync()
    assert refused.value.code == "untrusted_server"
    assert refused.value.message() == _(SENTENCE)
    st = sync_client.state(desk.db)
    assert st.last_error_code == "untrusted_server" and st.pins == (hq.pin,)
    assert hq.scalar("SELECT count(*) FROM jisr_hq_record WHERE entity_id = ?", hq.uid(pid)) == 0


def test_an_intercepting_proxy_reads_nothing_and_injects_nothing(
        hq: HqServer, desks: Callable[..., Desk], other_key: TlsFiles, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    desk = _enrolled(hq, desks)
    desk.sync()
    center_id = str(desk.db.execute("SELECT value FROM meta WHERE key = 'center_id'").fetchone()[0])
    pid = _person(desk, "Zineb-secret-name")
    _, (code,) = hq.new_center(codes=1)
    bare = code.partition(".")[0]
    # The proxy's certificate even verifies against the authorities this PC trusts (a rogue
    # authority, or a "security" product's): only the pin stands in the way.
    _trusting(monkeypatch, tmp_path, other_key.cert, hq.tls.cert)  # type: ignore[union-attr]
    with Interceptor(other_key.cert, other_key.key, hq.port, hq.tls.client_context()  # type: ignore[union-attr]
                     ) as mitm:
        mitm.inject["/api/sync/pull"] = _pull_answer_with_forged_staff(center_id)
        # The control: a client that accepts the proxy's certificate is read and fooled.
        with httpx.Client(verify=True) as victim:
            r = victim.get(mitm.url + "/api/sync/pull", headers={
                "X-Jisr-Device": sync_client.state(desk.db).device_id,
                "X-Jisr-Secret": _secret(desk), "X-Jisr-Protocol": "1"})
        assert r.status_code == 200 and r.json()["rows"][0]["fields"]["username"] == "intruder"
        assert _secret(desk).encode() in mitm.plaintext()
        mitm.captured.clear()

        # The enrolled desktop, routed to the proxy: refused, nothing sent.
        desk.db.execute("UPDATE sync_state SET server_url = ? WHERE id = 1", [mitm.url])
        with pytest.raises(SyncFailed) as refused:
            desk.sync()
        assert refused.value.code == "untrusted_server"
        # A new desktop enrolling through the proxy, with HQ's pin in the code: refused.
        fresh = desks("B")
        with pytest.raises(SyncFailed) as refused_enroll:
            fresh.client().enroll(mitm.url, code)
        assert refused_enroll.value.code == "untrusted_server"
        assert mitm.handshakes >= 2  # it was reached: the desktop dropped it after the handshake
        assert mitm.plaintext() == b""  # no secret, no code, no record, no header
    assert desk.db.execute(
        "SELECT count(*) FROM user_account WHERE username = 'intruder'").fetchone()[0] == 0
    assert hq.scalar("SELECT count(*) FROM jisr_hq_record WHERE entity_id = ?", hq.uid(pid)) == 0
    # The code never left the desktop: it is still good at the real HQ.
    assert sync_client.state(fresh.db).device_id == ""
    fresh.client().enroll(hq.base_url, bare, pin=hq.pin)
    assert sync_client.state(fresh.db).enrolled


def test_a_bare_code_pins_a_certificate_the_system_trusts_and_only_that(
        hq: HqServer, desks: Callable[..., Desk], other_key: TlsFiles, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """HQ behind a reverse proxy with a real PKI: the code needs no pin, the key seen is
    pinned. Without a pin, a certificate the system does not trust is refused."""
    _, codes = hq.new_center(codes=2)
    bare = [c.partition(".")[0] for c in codes]
    _trusting(monkeypatch, tmp_path)  # HQ's self-signed certificate is not trusted
    untrusting = desks("U")
    with pytest.raises(SyncFailed) as refused:
        untrusting.client().enroll(hq.base_url, bare[0])
    assert refused.value.code == "untrusted_server"

    _trusting(monkeypatch, tmp_path, hq.tls.cert)  # type: ignore[union-attr]  # "a real PKI"
    desk = desks("P")
    desk.client().enroll(hq.base_url, bare[1])
    assert sync_client.state(desk.db).pins == (hq.pin,)
    # the code refused above was never sent: it still enrolls
    untrusting.client().enroll(hq.base_url, bare[0], pin=hq.pin)

    # The system trusting another certificate for HQ's address does not move the pin.
    _trusting(monkeypatch, tmp_path, hq.tls.cert, other_key.cert)  # type: ignore[union-attr]
    with Interceptor(other_key.cert, other_key.key, hq.port,
                     hq.tls.client_context()) as mitm:  # type: ignore[union-attr]
        desk.db.execute("UPDATE sync_state SET server_url = ? WHERE id = 1", [mitm.url])
        with pytest.raises(SyncFailed) as again:
            desk.sync()
        assert again.value.code == "untrusted_server" and mitm.plaintext() == b""


def test_a_rollover_announced_under_the_old_key_is_followed(
        hq: HqServer, desks: Callable[..., Desk], serving: Callable[..., None],
        other_key: TlsFiles) -> None:
    desk, away = _enrolled(hq, desks, "A"), _enrolled(hq, desks, "B")
    serving(JISR_HQ_TLS_NEXT_PIN=other_key.pin)  # the old key still serves; the next is said
    desk.sync()
    assert set(sync_client.state(desk.db).pins) == {hq.pin, other_key.pin}

    serving(other_key)  # the new key serves; nothing more announced
    desk.sync()
    assert sync_client.state(desk.db).pins == (other_key.pin,)  # the old key is dropped
    with pytest.raises(SyncFailed) as refused:  # a desktop that slept through the announcement
        away.sync()
    assert refused.value.code == "untrusted_server"


@pytest.mark.parametrize("url", ["http://hq.example.ma:8000", "http://10.0.0.5", "ftp://hq.example.ma",
                                 "hq.example.ma", "https://"])
def test_plain_http_is_refused_except_to_this_computer(
        desks: Callable[..., Desk], url: str) -> None:
    desk = desks("A")
    with pytest.raises(SyncFailed) as refused:
        desk.client().enroll(url, "ABCD-EFGH-JKMN")
    assert refused.value.code == "insecure_url"
    assert refused.value.message() == _(MESSAGES["insecure_url"])
    assert not sync_client.state(desk.db).enrolled


def test_a_desktop_enrolled_over_plain_http_is_refused_at_its_next_sync(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    desk = _enrolled(hq, desks)
    desk.db.execute("UPDATE sync_state SET server_url = 'http://hq.example.ma:8000' WHERE id = 1")
    with pytest.raises(SyncFailed) as refused:
        desk.sync()
    assert refused.value.code == "insecure_url"


def test_plain_http_on_loopback_still_works(
        tmp_path: Path, desks: Callable[..., Desk]) -> None:
    from tests.hq.pg_server import free_port

    plain = HqServer(tmp_path / "hq", f"sqlite:///{tmp_path / 'hq' / 'hq.sqlite3'}", free_port(),
                     "sqlite", tls=False)
    plain.home.mkdir()
    plain.migrate()
    plain.start()
    try:
        _, codes = plain.new_center(codes=2)
        assert "." not in codes[0]  # no certificate: bare codes
        for n, host in enumerate(("127.0.0.1", "localhost")):
            desk = desks(f"L{n}")
            desk.client().enroll(f"http://{host}:{plain.port}", codes[n])
            assert sync_client.state(desk.db).pins == ()
            desk.sync()
    finally:
        plain.stop()


def test_a_code_whose_pin_is_damaged_or_contradicted_is_refused(
        hq: HqServer, desks: Callable[..., Desk], other_key: TlsFiles) -> None:
    _, (code,) = hq.new_center(codes=1)
    desk = desks("A")
    with pytest.raises(SyncFailed) as damaged:
        desk.client().enroll(hq.base_url, code[:-3])
    assert damaged.value.code == "bad_pin"
    with pytest.raises(SyncFailed) as contradicted:
        desk.client().enroll(hq.base_url, code, pin=other_key.pin)
    assert contradicted.value.code == "untrusted_server"
    with pytest.raises(SyncFailed) as wrong:  # the attacker's pin given alone: HQ is refused
        desk.client().enroll(hq.base_url, code.partition(".")[0], pin=other_key.pin)
    assert wrong.value.code == "untrusted_server"
    desk.client().enroll(hq.base_url, code)  # none of these spent the code
    assert sync_client.state(desk.db).enrolled


# -- connection retries (docs/security.md, "The desktop's HTTP client") -------------------------


def test_a_refused_connection_is_tried_again_with_backoff(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    """HQ is down when the sync starts and up again during the first wait: the sync goes
    through. The order is made by the waits themselves (no sleeping): the first attempt meets
    a closed port, the wait starts HQ, the next attempt meets HQ."""
    desk = _enrolled(hq, desks)
    pid = _person(desk, "Retry")
    waits: list[float] = []

    def wait_then_start_hq(seconds: float) -> None:
        waits.append(seconds)
        if not hq.alive():
            hq.start()

    hq.stop()
    client = SyncClient(desk.db, user=desk.receptionist, clock=desk.clock,
                        transport_factory=partial(SyncTransport, sleep=wait_then_start_hq))
    report = client.sync()
    assert waits == [0.25] and report.pushed >= 1
    assert hq.scalar("SELECT count(*) FROM jisr_hq_record WHERE entity_id = ?", hq.uid(pid)) == 1


def test_retries_are_bounded_and_an_answer_is_never_retried(
        hq: HqServer, desks: Callable[..., Desk]) -> None:
    desk = _enrolled(hq, desks)
    waits: list[float] = []
    hq.stop()
    try:
        client = SyncClient(desk.db, user=desk.receptionist, clock=desk.clock,
                            transport_factory=partial(SyncTransport, sleep=waits.append))
        with pytest.raises(SyncFailed) as down:
            client.sync()
        assert down.value.code == "unreachable"
        assert waits == [0.25, 0.5, 1.0]  # exponential, capped, then given up
    finally:
        hq.start()
    waits.clear()
    desk.db.execute("UPDATE sync_state SET device_secret = 'wrong' WHERE id = 1")
    client = SyncClient(desk.db, user=desk.receptionist, clock=desk.clock,
                        transport_factory=partial(SyncTransport, sleep=waits.append))
    with pytest.raises(SyncFailed) as refused:
        client.sync()
    assert refused.value.code == "unauthenticated" and waits == []


def _jisr(home: Path, *args: str, lang: str = "fr") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JISR_")}
    return subprocess.run([sys.executable, "-m", "jisr_desktop", "--home", str(home), "--lang", lang,
                           *args], capture_output=True, text=True, timeout=120,
                          env={**env, "JISR_NO_KEYRING": "1"})


def test_jisr_enroll_takes_the_pin_apart_and_says_the_sentence(
        hq: HqServer, tmp_path: Path, other_key: TlsFiles) -> None:
    """`jisr enroll --pin` for a code given without it; a wrong pin is one translated line and
    exit status 3, and the code is not spent."""
    _, (code,) = hq.new_center(codes=1)
    bare = code.partition(".")[0]
    home = tmp_path / "home"
    wrong = _jisr(home, "enroll", "--server", hq.base_url, "--code", bare, "--pin", other_key.pin)
    assert wrong.returncode == 3, wrong.stderr
    said = wrong.stderr.strip().splitlines()  # (the log's lines come first)
    assert said[-1] == "jisr: Le serveur ne prouve pas qu'il est votre siège : appelez le siège."
    assert "Traceback" not in wrong.stderr
    plain = _jisr(home, "enroll", "--server", "http://hq.example.ma", "--code", bare, lang="ar")
    assert plain.returncode == 3 and "https://" in plain.stderr and "Traceback" not in plain.stderr
    right = _jisr(home, "enroll", "--server", hq.base_url, "--code", bare, "--pin", hq.pin or "")
    assert right.returncode == 0, right.stderr
