"""A small fault-injecting TCP proxy for sync tests (127.0.0.1 only, threads).

Each accepted connection takes the next `Fault` from the plan (or the default): delay the
forwarding, cut the request or the response after N bytes, or send the client's HTTP request
to the server twice (the client sees the second answer). It counts bytes each way, which is
how the tests measure what a sync costs on the wire.

In front of an HQ that serves HTTPS (tests/hq/hqkit.py), the proxy terminates TLS with HQ's
own certificate and key and speaks TLS to HQ again, so the faults act on HTTP messages as
they do in front of plain HTTP, and a desktop that pinned HQ's key accepts the proxy (it holds
that key). The byte counts are then those of the HTTP messages, without TLS's overhead.
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass
from types import TracebackType

from tests.hq.hqkit import TlsFiles, tls_of_port


@dataclass(frozen=True)
class Fault:
    delay_s: float = 0.0
    cut_request_after: int | None = None
    cut_response_after: int | None = None
    duplicate_request: bool = False


class FaultProxy:
    def __init__(
        self, target_port: int, target_host: str = "127.0.0.1", *, tls: TlsFiles | None = None
    ) -> None:
        """`tls`: terminate TLS with these files (default: those of the HqServer on the
        target port, if it serves HTTPS)."""
        self.target = (target_host, target_port)
        self.tls = tls or tls_of_port(target_port)
        self._server_tls: ssl.SSLContext | None = None
        self._client_tls: ssl.SSLContext | None = None
        if self.tls is not None:
            self._server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._server_tls.load_cert_chain(self.tls.cert, self.tls.key)
            self._client_tls = self.tls.client_context()
        self.plan: deque[Fault] = deque()
        self.default = Fault()
        self.bytes_up = 0
        self.bytes_down = 0
        self.connections = 0
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.1)  # lets the accept loop notice close()
        self.port: int = self._sock.getsockname()[1]
        self._closing = False
        self._threads: list[threading.Thread] = []
        self._open: set[socket.socket] = set()
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def __enter__(self) -> FaultProxy:
        self._acceptor.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._closing = True
        with contextlib.suppress(OSError):
            self._sock.close()
        with self._lock:
            for s in list(self._open):
                with contextlib.suppress(OSError):
                    s.close()
        for t in self._threads:
            t.join(5)
        if self._acceptor.is_alive():
            self._acceptor.join(5)

    def reset_counts(self) -> None:
        with self._lock:
            self.bytes_up = self.bytes_down = self.connections = 0

    # -- internals ---------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._closing:
            try:
                client, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            with self._lock:
                fault = self.plan.popleft() if self.plan else self.default
                self.connections += 1
                self._open.add(client)
            t = threading.Thread(target=self._serve, args=(client, fault), daemon=True)
            self._threads.append(t)
            t.start()

    def _count(self, up: int = 0, down: int = 0) -> None:
        with self._lock:
            self.bytes_up += up
            self.bytes_down += down

    def _upstream(self) -> socket.socket:
        sock = socket.create_connection(self.target)
        if self._client_tls is None:
            return sock
        return self._client_tls.wrap_socket(sock, server_hostname=self.target[0])

    def _serve(self, client: socket.socket, fault: Fault) -> None:
        try:
            if self._server_tls is not None:
                raw, client = client, self._server_tls.wrap_socket(client, server_side=True)
                with self._lock:
                    self._open.discard(raw)
                    self._open.add(client)
            upstream = self._upstream()
        except (OSError, ValueError):  # a client refusing the handshake, HQ gone
            with contextlib.suppress(OSError):
                client.close()
            return
        with self._lock:
            self._open.add(upstream)
        try:
            if fault.delay_s:
                time.sleep(fault.delay_s)
            if fault.duplicate_request:
                request = _read_http_message(client)
                self._count(up=len(request))
                with self._upstream() as first:
                    first.sendall(request)
                    _read_http_message(first)  # the first answer is lost on the way back
                upstream.sendall(request)
            if self.tls is not None:
                self._relay(client, upstream, fault)
                return
            down = threading.Thread(
                target=self._pipe, args=(upstream, client, fault.cut_response_after, "down")
            )
            down.start()
            self._pipe(client, upstream, fault.cut_request_after, "up")
            down.join()
        finally:
            for s in (client, upstream):
                with contextlib.suppress(OSError):
                    s.close()
                with self._lock:
                    self._open.discard(s)

    def _relay(self, client: socket.socket, upstream: socket.socket, fault: Fault) -> None:
        """Both ways on this one thread: a TLS socket must not be read and written from two
        threads at once. A short timeout on reads lets a TLS record that carries no data
        (a session ticket) pass without blocking the other way."""
        ends = {client: (upstream, "up", fault.cut_request_after),
                upstream: (client, "down", fault.cut_response_after)}
        sent = {"up": 0, "down": 0}
        for s in ends:
            s.settimeout(0.05)
        try:
            while not self._closing:
                ready: list[socket.socket] = [
                    s for s in ends if isinstance(s, ssl.SSLSocket) and s.pending()]
                if not ready:
                    ready = select.select(list(ends), [], [], 0.5)[0]
                for src in ready:
                    dst, way, cut = ends[src]
                    try:
                        data = src.recv(65536)
                    except (TimeoutError, ssl.SSLWantReadError):
                        continue
                    if not data:
                        return
                    if cut is not None and sent[way] + len(data) >= cut:
                        data = data[: cut - sent[way]]
                        if data:
                            self._send(dst, data, way)
                        return
                    self._send(dst, data, way)
                    sent[way] += len(data)
        except (OSError, ValueError):
            pass
        finally:
            for s in ends:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def _send(self, dst: socket.socket, data: bytes, way: str) -> None:
        self._count(**{way: len(data)})
        dst.settimeout(None)
        try:
            dst.sendall(data)
        finally:
            dst.settimeout(0.05)

    def _pipe(self, src: socket.socket, dst: socket.socket, cut: int | None, way: str) -> None:
        sent = 0
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if cut is not None and sent + len(data) >= cut:
                    data = data[: cut - sent]
                    if data:
                        self._count(**{way: len(data)})
                        dst.sendall(data)
                    break
                # counted before it is forwarded, so a reader that has the bytes sees them counted
                self._count(**{way: len(data)})
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):  # closing both ends makes the other pipe stop too
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


def _read_http_message(sock: socket.socket) -> bytes:
    """One HTTP/1.1 message with a Content-Length body (enough for these tests)."""
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
