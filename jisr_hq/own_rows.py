"""A device's own rows are not sent back to it (docs/sync.md, "Own rows").

A record is the device's own when the winning value of every field it holds came from an op
of the device's current epoch; an event, when its op came from there. HQ knows a field's
author by its origin, the client HLC that wrote it, whose device part is the desktop's clock
id (`meta.device_id`), not HQ's device id. At push time `note_push` records, per (device,
epoch), the clock its ops carry and the lowest and highest of their HLCs (`EpochClock`). A
desktop restored from a backup keeps its clock id in a new epoch, so the current epoch's
writes are told from the older ones by their HLC: at or above the epoch's lowest, and no other
epoch of that clock reaching as high (else nothing is skipped).

HQ cannot see a restore that has not pushed yet in its new epoch, except by the cursor: a
desktop presents the cursor it stored with the last page it applied, and normally that is the
last one HQ handed out to it. When it presents an older one (a restore; also an answer lost
on the way, or a crash before a page was applied), own rows pushed since that older cursor
was handed out may be missing on the desktop: they are never skipped for it (`PullMark.bands`,
from the head the older cursor was cut at to the head now). A lost page costs nothing
(nothing was pushed between two pages of one pull); a restore gets back everything the lost
copy pushed. A restored copy whose lost twin pushed but never got a pull answer after the
backup cannot be told from a desktop that just pushed; a pull naming the desktop's epoch
would close that gap (not in protocol 1).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max

from jisr_hq.models import Device, Stream
from jisr_hq.models.sync import EpochClock, PullMark
from jisr_protocol import LIFE, Cursor, Op, device_of

HISTORY = 8
"""Cursors remembered per device (a pull hands out one per page; a cut loses one or two)."""
MAX_BANDS = 32
"""Bands kept per stream; beyond, the two oldest merge into one (only ever wider)."""

Band = tuple[int, int]


def note_push(device: Device, epoch: int, ops: Iterable[Op]) -> None:
    """Called in the push transaction, the (device, epoch) stream locked: widen the epoch's
    HLC range by the batch's new ops."""
    hlcs = [op.hlc for op in ops]
    if not hlcs:
        return
    clocks = {device_of(h) for h in hlcs}
    clock = clocks.pop() if len(clocks) == 1 else ""
    lo, hi = min(hlcs), max(hlcs)
    row = EpochClock.objects.filter(device_id=device.id, epoch=epoch).first()
    if row is None:
        EpochClock.objects.create(
            center_id=device.center_id, device_id=device.id, epoch=epoch, clock=clock,
            hlc_min=lo, hlc_max=hi,
        )
        return
    if row.clock != clock:
        clock = ""
    if (clock, min(lo, row.hlc_min), max(hi, row.hlc_max)) != (row.clock, row.hlc_min, row.hlc_max):
        EpochClock.objects.filter(pk=row.pk).update(
            clock=clock, hlc_min=min(lo, row.hlc_min), hlc_max=max(hi, row.hlc_max)
        )


@dataclass
class OwnRows:
    """What one pull request may skip: fields and events of `clock` at or above `since`,
    outside the bands."""

    clock: str = ""
    since: str = ""
    bands: dict[str, list[Band]] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(self.clock)

    def _in_band(self, stream: str, counter: int) -> bool:
        return any(lo < counter <= hi for lo, hi in self.bands.get(stream, ()))

    def _mine(self, hlc: object) -> bool:
        return isinstance(hlc, str) and hlc >= self.since and device_of(hlc) == self.clock

    def record(self, stream: str, counter: int, clocks_text: str, origins_text: str) -> bool:
        """Whether this record row is the device's own (every clocked field won by it)."""
        if self.clock not in origins_text or self._in_band(stream, counter):
            return False
        clocks = json.loads(clocks_text)
        if not clocks or LIFE in clocks:
            return False  # a delete or restore has no origin: it comes back
        origins = json.loads(origins_text)
        return all(self._mine(origins.get(name)) for name in clocks)

    def event(self, stream: str, counter: int, hlc: str) -> bool:
        return self._mine(hlc) and not self._in_band(stream, counter)


def _current(device: Device, top: int) -> OwnRows:
    """The clock and lowest HLC of the device's current epoch `top`, when they can be
    trusted."""
    mine = EpochClock.objects.filter(device_id=device.id, epoch=top).first()
    if mine is None or not mine.clock:
        return OwnRows()  # pushed before HQ kept clocks, or with mixed clocks
    older = Stream.objects.filter(device_id=device.id, epoch__lt=top).count()
    kept = EpochClock.objects.filter(device_id=device.id, epoch__lt=top).count()
    if older != kept:
        return OwnRows()  # an older epoch of unknown range (pushed before HQ kept clocks)
    reach = (
        EpochClock.objects.filter(center_id=device.center_id, clock__in=[mine.clock, ""])
        .exclude(pk=mine.pk)
        .aggregate(top=Max("hlc_max"))["top"]
    )
    if reach is not None and reach >= mine.hlc_min:
        return OwnRows()  # another epoch of this clock overlaps the current one
    return OwnRows(mine.clock, mine.hlc_min)


def _position(cursor: Cursor) -> list[int]:
    return [cursor.ref, cursor.center, cursor.counselling]


_INDEX = {"center": (1, 3), "counselling": (2, 4)}
"""Where a stream's position and head are in a `PullMark.handed` entry
[ref, center, counselling, center head, counselling head]."""


def _came_back(handed: list[list[int]], stream: str, presented: list[int]) -> int | None:
    """None when the device presents the last cursor handed out (or HQ handed it none yet);
    else the head of `stream` below which its own rows are sure to be on it: the head the
    presented cursor was cut at, or its position when HQ no longer remembers it."""
    if not handed or handed[-1][:3] == presented:
        return None
    pos, head = _INDEX[stream]
    for entry in reversed(handed[:-1]):
        if entry[:3] == presented:
            return int(entry[head])
    return presented[pos]


def _add_band(bands: list[Band], lo: int, hi: int) -> list[Band]:
    out: list[Band] = []
    for a, b in sorted([*bands, (lo, hi)]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    while len(out) > MAX_BANDS:
        out[0:2] = [(out[0][0], max(out[0][1], out[1][1]))]
    return out


@dataclass
class Session:
    """One pull request's own-row state: what to skip, and what to remember afterwards."""

    device: Device
    own: OwnRows
    handed: list[list[int]]
    changed: bool
    pushed: bool = True
    """Whether the device ever pushed (one that never did has no own rows: nothing to keep)."""


def begin(device: Device, cursor: Cursor, heads: dict[str, int], streams: Iterable[str]) -> Session:
    """Before a pull page: the device's own-row rules, with a band added for each stream whose
    presented cursor is not the last handed out."""
    top = Stream.objects.filter(device_id=device.id).aggregate(top=Max("epoch"))["top"]
    if top is None:
        return Session(device, OwnRows(), [], False, pushed=False)
    mark = PullMark.objects.filter(device_id=device.id).first()
    handed: list[list[int]] = list(mark.handed) if mark else []
    bands = {k: [(int(a), int(b)) for a, b in v] for k, v in (mark.bands if mark else {}).items()}
    changed = False
    presented = _position(cursor)
    for stream in streams:
        lo = _came_back(handed, stream, presented)
        hi = heads.get(stream, 0)
        if lo is not None and lo < hi:
            bands[stream] = _add_band(bands.get(stream, []), lo, hi)
            changed = True
    own = _current(device, top)
    own.bands = bands
    return Session(device, own, handed, changed)


def finish(session: Session, cursor: Cursor, heads: dict[str, int]) -> None:
    """After a pull page: remember the cursor handed out (and any new band)."""
    if not session.pushed:
        return
    entry = [*_position(cursor), heads.get("center", 0), heads.get("counselling", 0)]
    last = session.handed[-1] if session.handed else None
    if last is not None and last[:3] == entry[:3] and not session.changed:
        return
    with transaction.atomic():
        mark = PullMark.objects.select_for_update().filter(device_id=session.device.id).first()
        if mark is None:
            mark = PullMark(device_id=session.device.id)
        bands = {k: [(int(a), int(b)) for a, b in v] for k, v in mark.bands.items()}
        for stream, mine in session.own.bands.items():
            for lo, hi in mine:
                bands[stream] = _add_band(bands.get(stream, []), lo, hi)
        mark.bands = {k: [list(b) for b in v] for k, v in bands.items()}
        # A cursor handed out again keeps the lowest head it was cut at (the desktop may
        # hold the first copy).
        for old in mark.handed:
            if old[:3] == entry[:3]:
                entry = [*entry[:3], min(old[3], entry[3]), min(old[4], entry[4])]
        history = [e for e in mark.handed if e[:3] != entry[:3]]
        mark.handed = [*history, entry][-HISTORY:]
        mark.save()
