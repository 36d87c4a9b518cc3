"""The fault proxy itself: it must really delay, cut and duplicate, or the sync fault tests
would prove nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.sync.faultproxy import Fault, FaultProxy


class _Counter(BaseHTTPRequestHandler):
    hits = 0

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).hits += 1
        payload = b"echo:" + body + b":" + str(type(self).hits).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def upstream() -> Iterator[ThreadingHTTPServer]:
    _Counter.hits = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def _post(url: str) -> httpx.Response:
    with httpx.Client(limits=httpx.Limits(max_keepalive_connections=0)) as client:
        return client.post(url + "/x", content=b"hello")


def test_passes_through_and_counts_bytes(upstream: ThreadingHTTPServer) -> None:
    with FaultProxy(upstream.server_address[1]) as proxy:
        r = _post(proxy.url)
        assert r.content == b"echo:hello:1"
        assert proxy.bytes_up > len(b"hello") and proxy.bytes_down > len(r.content)


def test_cut_response_loses_the_answer_but_server_handled_it(
    upstream: ThreadingHTTPServer,
) -> None:
    with FaultProxy(upstream.server_address[1]) as proxy:
        proxy.plan.append(Fault(cut_response_after=0))
        with pytest.raises(httpx.HTTPError):
            _post(proxy.url)
        assert _Counter.hits == 1


def test_cut_request_never_reaches_the_handler(upstream: ThreadingHTTPServer) -> None:
    with FaultProxy(upstream.server_address[1]) as proxy:
        proxy.plan.append(Fault(cut_request_after=10))
        with pytest.raises(httpx.HTTPError):
            _post(proxy.url)
        assert _Counter.hits == 0


def test_duplicate_request_reaches_server_twice(upstream: ThreadingHTTPServer) -> None:
    with FaultProxy(upstream.server_address[1]) as proxy:
        proxy.plan.append(Fault(duplicate_request=True, delay_s=0.05))
        assert _post(proxy.url).content == b"echo:hello:2"
        assert _Counter.hits == 2
