"""An attacker's TLS-intercepting proxy on loopback, for the pinning tests (docs/security.md).

It terminates TLS with its OWN certificate, reads each HTTP request in clear (kept in
`captured`, gunzipped or un-zstd-ed), re-encrypts it to the real HQ, and may rewrite HQ's answer on the way back
(`inject`: path prefix → answer body to send instead). One request per connection (it answers
`Connection: close`). A client that accepts the proxy's certificate is fully exposed to it; a
client that checks HQ's pin drops the connection after the handshake, and `captured` stays
empty.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import ssl
import threading
from pathlib import Path
from types import TracebackType

import zstandard


class Interceptor:
    def __init__(self, cert: Path, key: Path, target_port: int, target_trust: ssl.SSLContext
                 ) -> None:
        self.target = ("127.0.0.1", target_port)
        self._server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._server.load_cert_chain(cert, key)
        self._upstream = target_trust
        self.captured: list[bytes] = []
        """Every request read in clear (head and body, decompressed)."""
        self.handshakes = 0
        self.inject: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port: int = self._sock.getsockname()[1]
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def __enter__(self) -> Interceptor:
        self._thread.start()
        return self

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop = True
        with contextlib.suppress(OSError):
            # wake the accept() up: a connection that is closed at once
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        self._sock.close()
        self._thread.join(5)

    def plaintext(self) -> bytes:
        with self._lock:
            return b"".join(self.captured)

    def _accept(self) -> None:
        while not self._stop:
            try:
                raw, _ = self._sock.accept()
            except OSError:
                return
            if self._stop:
                raw.close()
                return
            threading.Thread(target=self._serve, args=(raw,), daemon=True).start()

    def _serve(self, raw: socket.socket) -> None:
        raw.settimeout(10)
        try:
            client = self._server.wrap_socket(raw, server_side=True)
        except (OSError, ValueError):
            raw.close()
            return
        with self._lock:
            self.handshakes += 1
        try:
            with client:
                request = _read_message(client)
                if not request:
                    return
                head, _, body = request.partition(b"\r\n\r\n")
                clear = body
                if b"content-encoding: gzip" in head.lower() and body:
                    clear = gzip.decompress(body)
                elif b"content-encoding: zstd" in head.lower() and body:
                    clear = zstandard.ZstdDecompressor().decompressobj().decompress(body)
                with self._lock:
                    self.captured.append(head + b"\r\n\r\n" + clear)
                with socket.create_connection(self.target, timeout=30) as up_raw, \
                        self._upstream.wrap_socket(up_raw, server_hostname="127.0.0.1") as up:
                    up.sendall(request)
                    answer = _read_message(up)
                path = head.split(b" ", 2)[1].decode()
                forged = next((b for prefix, b in self.inject.items() if path.startswith(prefix)),
                              None)
                client.sendall(_rewritten(answer, forged))
        except (OSError, ValueError):
            return


def _rewritten(answer: bytes, body: bytes | None) -> bytes:
    head, _, old = answer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    keep = [line for line in lines[1:] if line.split(b":", 1)[0].strip().lower() not in {
        b"content-length", b"connection", b"content-encoding", b"transfer-encoding"}]
    new = old if body is None else body
    if body is None:  # HQ's own answer: keep its coding
        keep += [line for line in lines[1:]
                 if line.split(b":", 1)[0].strip().lower() == b"content-encoding"]
    return b"\r\n".join([lines[0], *keep, b"Content-Length: %d" % len(new),
                         b"Connection: close"]) + b"\r\n\r\n" + new


def _read_message(sock: socket.socket) -> bytes:
    """One HTTP/1.1 message with a Content-Length body (HQ's answers and httpx's requests)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body
