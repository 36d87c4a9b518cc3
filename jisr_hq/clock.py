"""HQ's hybrid logical clock and the effective-clock rule of docs/sync.md ("Clocks").

HQ orders edits by ``min(client_hlc, receive_hlc)``: a device whose clock runs a year ahead
gets HQ's receive time instead, so it cannot win every later conflict. The clamped clock keeps
the client's device id so ties are still broken by device id.
"""

from __future__ import annotations

import threading
import time

from jisr_protocol.hlc import HybridLogicalClock, Timestamp

_lock = threading.Lock()
_clock = HybridLogicalClock("hq")


def now() -> Timestamp:
    """A fresh HQ timestamp (monotonic within this process)."""
    with _lock:
        return _clock.now(time.time_ns() // 1_000_000)


def now_text() -> str:
    return str(now())


def effective(client_hlc: str, received: Timestamp) -> str:
    """The clock HQ stores for a field written by an op stamped `client_hlc`."""
    client = Timestamp.parse(client_hlc)
    if (client.wall_ms, client.counter) <= (received.wall_ms, received.counter):
        return client_hlc
    return str(Timestamp(received.wall_ms, received.counter, client.device_id))
