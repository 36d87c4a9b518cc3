"""Hybrid logical clock (HLC) used to order field edits across devices.

A timestamp is (wall milliseconds, counter, device id) and is serialised as a fixed-width
string ``"WWWWWWWWWWWWW:CCCC:device"`` so that plain string comparison orders timestamps
(ties broken by device id). Time is passed in: this module never reads the clock itself.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_COUNTER = 0xFFFF


@dataclass(frozen=True, order=True)
class Timestamp:
    wall_ms: int
    counter: int
    device_id: str

    def __str__(self) -> str:
        return f"{self.wall_ms:013d}:{self.counter:04x}:{self.device_id}"

    @classmethod
    def parse(cls, text: str) -> Timestamp:
        wall, counter, device = text.split(":", 2)
        if len(wall) != 13 or len(counter) != 4 or not device:
            raise ValueError(f"not an HLC timestamp: {text!r}")
        return cls(int(wall), int(counter, 16), device)


class HybridLogicalClock:
    """The clock of one device; `state` is what must be persisted between runs."""

    def __init__(self, device_id: str, last: Timestamp | None = None) -> None:
        self.device_id = device_id
        self.last = last or Timestamp(0, 0, device_id)

    def now(self, wall_ms: int) -> Timestamp:
        """A new timestamp for a local event at physical time `wall_ms`."""
        if wall_ms > self.last.wall_ms:
            ts = Timestamp(wall_ms, 0, self.device_id)
        else:
            ts = self._bump(self.last.wall_ms, self.last.counter + 1)
        self.last = ts
        return ts

    def merge(self, remote: Timestamp, wall_ms: int) -> Timestamp:
        """Advance past a timestamp received from elsewhere (e.g. HQ's clock)."""
        top = max(wall_ms, self.last.wall_ms, remote.wall_ms)
        if top == self.last.wall_ms == remote.wall_ms:
            counter = max(self.last.counter, remote.counter) + 1
        elif top == self.last.wall_ms:
            counter = self.last.counter + 1
        elif top == remote.wall_ms:
            counter = remote.counter + 1
        else:
            counter = 0
        self.last = self._bump(top, counter)
        return self.last

    def _bump(self, wall_ms: int, counter: int) -> Timestamp:
        if counter > MAX_COUNTER:  # an absurd burst: borrow the next millisecond
            return Timestamp(wall_ms + 1, 0, self.device_id)
        return Timestamp(wall_ms, counter, self.device_id)


def device_of(hlc_text: str) -> str:
    """The device id inside an HLC string, "" when the text is not one (both sides tell a
    field's author by it)."""
    parts = hlc_text.split(":", 2)
    return parts[2] if len(parts) == 3 else ""
