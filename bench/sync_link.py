"""Sync over a shaped link: a real desktop syncing with a real HQ through rural 3G and 2G.

The link is a loopback proxy (`LinkProxy`) between desktop B and HQ: one link per direction
shared by every connection, a rate in bits per second (a token bucket: each chunk waits for
the link to be free, then for its own length at the rate), a one-way delay of half the
round trip (chunks are pipelined, as on a real link), and a cut every `cut_every` seconds
that closes every open connection at once. (On this machine `tc netem` is missing; the proxy
does what netem would, and nothing in the program knows it is there: it relays TCP, so the
desktop's TLS runs end to end to HQ, pinned key and all, and the bytes counted are those a
real link carries, TLS records included.)

For a typical center (bench/sync.py's desktop A, built through the services, N = 20,000
persons and about 100,000 events): A pushes everything to HQ straight (not timed); then
through the link desktop B makes its **first pull** (enrollment included), a **day's push**
(1% of its persons edited through `registry.update_person`) and, after A pushed a day's
edits straight, a **day's pull**. A sync that a cut breaks fails as it does at a center (the
transport resends nothing that was sent) and is started again at once, as the program's
sync agent would at its next try; the transfer ends when a sync completes.

Per transfer: seconds, bytes each way on the link, syncs started (1 + cuts that broke one),
requests, the link's floor (bytes ÷ rate each way + a round trip per request and two per
connection, for the TCP and TLS handshakes) and the ratio
seconds ÷ floor (target ≤ 1.2), and the bytes the link carried beyond what the desktop
counted in completed answers (TLS and HTTP headers, and what cuts made it fetch or send
again).

Profiles: 3g (1 Mbit/s down, 384 kbit/s up, 300 ms round trip, a cut every 60 s) and
2g (128 kbit/s both ways, 700 ms, a cut every 60 s). Writes bench/results/sync_link.json.

    python bench/sync_link.py [--n 20000] [--profiles 3g 2g] [--workers 2]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

from _common import machine, write_result  # noqa: E402
from sync import PASSWORD, Desktop, cached_desktop, edit_persons  # noqa: E402

from jisr_desktop.context import SYSTEM_USER, Context  # noqa: E402
from jisr_desktop.services import accounts  # noqa: E402
from jisr_desktop.sync.client import SyncFailed  # noqa: E402
from tests.hq.hqkit import HqServer  # noqa: E402
from tests.hq.pg_server import free_port, pg_cluster  # noqa: E402

CHUNK = 16 * 1024


@dataclass(frozen=True)
class Profile:
    name: str
    down_bps: int
    up_bps: int
    rtt_s: float
    cut_every_s: float


PROFILES = {
    "3g": Profile("3g", 1_000_000, 384_000, 0.300, 60.0),
    "2g": Profile("2g", 128_000, 128_000, 0.700, 60.0),
    "smoke": Profile("smoke", 4_000_000, 2_000_000, 0.050, 20.0),  # a quick check of the bench
}
TARGET_OVER_FLOOR = 1.2


class Link:
    """One direction of the link: a rate and a delay, shared by every connection."""

    def __init__(self, bps: int, delay_s: float) -> None:
        self.bytes_per_s = bps / 8
        self.delay_s = delay_s
        self.free_at = 0.0
        self.bytes = 0
        self._lock = threading.Lock()

    def schedule(self, n: int) -> float:
        """When a chunk of `n` bytes handed over now comes out at the other end."""
        with self._lock:
            now = time.monotonic()
            self.free_at = max(now, self.free_at) + n / self.bytes_per_s
            self.bytes += n
            return self.free_at + self.delay_s


class LinkProxy:
    """127.0.0.1 proxy to HQ through a shaped link; `cut_every_s` closes every connection."""

    def __init__(self, target_port: int, profile: Profile, scheme: str = "https") -> None:
        self.target = ("127.0.0.1", target_port)
        self.scheme = scheme
        self.profile = profile
        self.down = Link(profile.down_bps, profile.rtt_s / 2)
        self.up = Link(profile.up_bps, profile.rtt_s / 2)
        self.cuts = 0
        self.connections = 0
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()
        threading.Thread(target=self._cutter, daemon=True).start()

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def counters(self) -> tuple[int, int, int]:
        return self.up.bytes, self.down.bytes, self.cuts

    def close(self) -> None:
        self._stop.set()
        self._sock.close()
        self._cut_all()

    def _cutter(self) -> None:
        while not self._stop.wait(self.profile.cut_every_s):
            with self._lock:
                busy = bool(self._open)
            if busy:
                self.cuts += 1
            self._cut_all()

    def _cut_all(self) -> None:
        with self._lock:
            socks, self._open = list(self._open), set()
        for s in socks:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            for s in (client, upstream):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._open |= {client, upstream}
                self.connections += 1
            self._pipe(client, upstream, self.up)
            self._pipe(upstream, client, self.down)

    def _pipe(self, src: socket.socket, dst: socket.socket, link: Link) -> None:
        """Read `src` as fast as it comes, deliver each chunk to `dst` when the link would."""
        queue: deque[tuple[float, bytes]] = deque()
        ready = threading.Condition()

        def read() -> None:
            while True:
                try:
                    data = src.recv(CHUNK)
                except OSError:
                    data = b""
                with ready:
                    queue.append((link.schedule(len(data)) if data else 0.0, data))
                    ready.notify()
                if not data:
                    return

        def deliver() -> None:
            while True:
                with ready:
                    while not queue:
                        ready.wait()
                    at, data = queue.popleft()
                if not data:
                    with contextlib.suppress(OSError):
                        dst.shutdown(socket.SHUT_WR)
                    return
                wait = at - time.monotonic()
                if wait > 0:
                    time.sleep(wait)  # the link's own timing: this is what is measured
                try:
                    dst.sendall(data)
                except OSError:
                    return

        threading.Thread(target=read, daemon=True).start()
        threading.Thread(target=deliver, daemon=True).start()


def transfer(desk: Desktop, proxy: LinkProxy, what: str, enroll: tuple[str, str] | None = None
             ) -> dict[str, Any]:
    """Sync `desk` through the link until one sync completes (started again after each cut)."""
    up0, down0, cuts0 = proxy.counters()
    connections0 = proxy.connections
    started = time.perf_counter()
    syncs = failures = requests = counted_up = counted_down = pulled = pushed = 0
    if enroll is not None:
        for attempt in range(1, 6):
            try:
                desk.enroll(*enroll)
                break
            except SyncFailed as exc:
                failures += 1
                print(f"  enrollment attempt {attempt} failed: {exc}", flush=True)
        else:
            raise SystemExit("enrollment through the link failed five times")
    while True:
        syncs += 1
        client = desk.client()
        try:
            report = client.sync()
        except SyncFailed as exc:
            failures += 1
            print(f"  {what}: sync {syncs} broken ({exc}); starting again", flush=True)
            t = desk.transports[-1]
            requests += t.stats.requests
            counted_up += t.stats.bytes_up
            counted_down += t.stats.bytes_down
            continue
        requests += report.requests
        counted_up += report.bytes_up
        counted_down += report.bytes_down
        pulled += report.pulled
        pushed += report.pushed
        break
    seconds = time.perf_counter() - started
    up1, down1, cuts1 = proxy.counters()
    link_up, link_down = up1 - up0, down1 - down0
    prof = proxy.profile
    connections = proxy.connections - connections0
    floor = (link_down * 8 / prof.down_bps + link_up * 8 / prof.up_bps
             + (requests + 2 * connections) * prof.rtt_s)  # TCP and TLS handshakes: 2 each
    return {
        "transfer": what,
        "seconds": round(seconds, 1),
        "link_bytes_up": link_up,
        "link_bytes_down": link_down,
        "cuts_during": cuts1 - cuts0,
        "syncs_started": syncs,
        "failed_syncs": failures,
        "requests": requests,
        "connections": connections,
        "rows_pulled": pulled,
        "ops_pushed": pushed,
        "floor_seconds": round(floor, 1),
        "seconds_over_floor": round(seconds / floor, 2) if floor else None,
        "met": bool(floor) and seconds / floor <= TARGET_OVER_FLOOR,
        "bytes_beyond_completed_answers": {
            "up": max(0, link_up - counted_up),
            "down": max(0, link_down - counted_down),
        },
    }


def run_profile(hq: HqServer, a_home: Path, profile: Profile) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"jisr-bench-link-{profile.name}-"))
    proxy = LinkProxy(hq.port, profile, hq.base_url.split(":", 1)[0])
    try:
        shutil.copytree(a_home, work / "a", ignore=shutil.ignore_patterns("built.json"))
        a = Desktop("a", work / "a")
        b = Desktop("b", work / "b", create=True)
        _, codes = hq.new_center(codes=2)
        a.enroll(hq.base_url, codes[0])
        a.sync()  # A's first push, straight to HQ
        print(f"{profile.name}: A pushed its center", flush=True)
        first = transfer(b, proxy, "first pull (enrollment included)", (proxy.url, codes[1]))
        print(f"{profile.name}: {json.dumps(first)}", flush=True)
        accounts.create_account(ctx=Context(db=b.db, user=SYSTEM_USER), username="recep",
                                display_name="Receptionist B", role="receptionist",
                                password=PASSWORD)
        edit_persons(b)
        day_push = transfer(b, proxy, "a day's push (1% of persons edited)")
        print(f"{profile.name}: {json.dumps(day_push)}", flush=True)
        edit_persons(a)
        a.sync()
        day_pull = transfer(b, proxy, "a day's pull (another desktop's 1% edits)")
        print(f"{profile.name}: {json.dumps(day_pull)}", flush=True)
        same = a.counts() == b.counts()
        a.close()
        b.close()
    finally:
        proxy.close()
        shutil.rmtree(work, ignore_errors=True)
    return {
        "profile": {"name": profile.name, "down_bit_s": profile.down_bps,
                    "up_bit_s": profile.up_bps, "round_trip_s": profile.rtt_s,
                    "cut_every_s": profile.cut_every_s},
        "transfers": [first, day_push, day_pull],
        "b_tables_equal_a": same,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--profiles", nargs="+", default=["3g", "2g"], choices=sorted(PROFILES))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    a_home, built = cached_desktop(args.n, args.rebuild)
    runs = []
    with pg_cluster() as cluster:
        for name in args.profiles:  # a fresh HQ each: desktop A's copy holds the same ids
            url = cluster.create_database("bench_link_" + uuid.uuid4().hex[:8])
            hq = HqServer(Path(tempfile.mkdtemp(prefix="jisr-bench-link-hq-")), url,
                          free_port(), "postgres")
            hq.migrate()
            hq.start("--workers", str(args.workers))
            try:
                runs.append(run_profile(hq, a_home, PROFILES[name]))
            finally:
                hq.stop()
                shutil.rmtree(hq.home, ignore_errors=True)
    write_result("sync_link", {
        "n_persons": args.n,
        "n_events": built["events"],
        "target_seconds_over_floor": TARGET_OVER_FLOOR,
        "floor": "link bytes down / down rate + link bytes up / up rate + (requests + 2 x"
                 " connections) x round trip",
        "runs": runs,
        **machine(),
    })
    return 0 if all(t["met"] for r in runs for t in r["transfers"]) else 1


if __name__ == "__main__":
    sys.exit(main())
