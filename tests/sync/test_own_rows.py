"""Own rows do not come back to their author (docs/sync.md, "Own rows"; issue 16 point 3):
HQ skips in a device's pull the rows whose every field it won itself in its current epoch,
and its own events; a field another desktop won comes back, a restored desktop gets back what
its lost copy pushed, and the cursor moves over skipped rows. Real desktops, the real
`SyncClient`, a real HQ subprocess on SQLite and on PostgreSQL (`hq`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import jisr_protocol as p
from jisr_desktop.db.connection import open_database
from jisr_desktop.services import backup, registry, visits
from jisr_desktop.sync import client as sync_client
from jisr_desktop.sync.client import SyncReport
from jisr_desktop.sync.transport import HqUnreachable, SyncTransport
from tests.hq.hqkit import HqServer
from tests.sync.deskkit import Desk, assert_same_as_hq, hq_content


class Pulls:
    """What one desktop's pulls brought: every page (cursor sent, answer)."""

    def __init__(self) -> None:
        self.pages: list[tuple[str, p.PullResponse]] = []
        self.fail_pull = False

        self.lose_answer: int | None = None
        """The how-many-th answer (from 1) to lose on the way back, after HQ sent it."""
        self.answers = 0

    def transport(self) -> type[SyncTransport]:
        seen = self

        class Recording(SyncTransport):
            def pull(self, cursor: str, limit: int = p.DEFAULT_PULL_LIMIT) -> p.PullResponse:
                if seen.fail_pull:
                    raise HqUnreachable("pull cut for the test")
                page = super().pull(cursor, limit)
                seen.answers += 1
                if seen.answers == seen.lose_answer:
                    raise HqUnreachable("answer lost for the test")
                seen.pages.append((cursor, page))
                return page

        return Recording

    def ids(self, entity: str | None = None) -> set[str]:
        return {str(r.entity_id) for _, page in self.pages for r in page.rows
                if entity is None or r.entity == entity}

    def clear(self) -> None:
        self.pages.clear()


def _position(cursor: str) -> tuple[int, int, int]:
    at = p.Cursor.parse(cursor)
    return at.ref, at.center, at.counselling


def _sync(desk: Desk, pulls: Pulls) -> SyncReport:
    client = sync_client.SyncClient(desk.db, user=desk.receptionist, clock=desk.clock,
                                    transport_factory=pulls.transport())
    return client.sync()


_BEHIND = timedelta(minutes=30)
"""Edits then carry the desktops' own clocks at HQ (the effective clock is the earlier of the
desktop's and HQ's)."""


def _register(desk: Desk, given: str) -> str:
    return registry.register_person(ctx=desk.ctx(), data={
        "given_name_lat": given, "family_name_lat": desk.name}).id


def _given(desk: Desk, person_id: str) -> Any:
    return desk.db.execute("SELECT given_name_lat FROM person WHERE id = ?",
                           [person_id]).fetchone()[0]


def _pair(hq: HqServer, desks: Callable[..., Desk], *, behind: timedelta = _BEHIND
           ) -> tuple[Desk, Desk]:
    """Two desktops of a new center whose clocks read about HQ's time, `behind` it (their
    clocks are moved by hand, HQ's runs on)."""
    _code, codes = hq.new_center(codes=2)
    now = datetime.now(UTC) - behind
    a, b = desks("A", start=now), desks("B", local_center=False, start=now)
    a.enroll(hq, codes[0])
    b.enroll(hq, codes[1])
    return a, b


def test_own_rows_and_events_are_not_pulled_back(hq: HqServer, desks: Callable[..., Desk]) -> None:
    a, b = _pair(hq, desks)
    mine = {_register(a, f"Own{i}") for i in range(5)}
    visit = visits.log_visit(ctx=a.ctx(), data={"person_id": min(mine), "program_code": "rsu",
                                                "channel": "in_person", "outcome": "informed"})
    pulls = Pulls()
    report = _sync(a, pulls)
    assert report.pushed == 6 and not report.rejected
    assert not pulls.ids() & (mine | {str(visit.id)}), "own rows came back"
    assert pulls.ids("ref.center"), "reference rows still come"
    # the rows are at HQ and reach the other desktop of the center
    b.sync()
    assert set(b.content()["person"]) == mine
    assert str(visit.id) in b.content()["visit"]
    assert a.content() == b.content()
    assert_same_as_hq(a, hq, {k for k in hq_content(hq) if k[1] in mine | {str(visit.id)}})


def test_a_row_another_desktop_edited_comes_back(hq: HqServer, desks: Callable[..., Desk]) -> None:
    a, b = _pair(hq, desks)
    edited, untouched = _register(a, "Edited"), _register(a, "Untouched")
    a.sync()
    b.sync()
    b.clock.advance(minutes=5)
    registry.update_person(ctx=b.ctx(), person_id=edited, data={"given_name_lat": "ByB"})
    b.sync()
    a.clock.advance(minutes=10)
    registry.update_person(ctx=a.ctx(), person_id=untouched, data={"phone": "0612345678"})
    pulls = Pulls()
    _sync(a, pulls)
    assert edited in pulls.ids("person"), "a row with a field won by B comes back to A"
    assert untouched not in pulls.ids("person"), "A's own edit came back"
    assert _given(a, edited) == "ByB"
    b.sync()
    assert a.content() == b.content()


def test_a_conflict_lost_at_hq_comes_back(hq: HqServer, desks: Callable[..., Desk]) -> None:
    """A and B edit one field offline; B's edit is the later, so HQ keeps it even though A
    syncs last: the row comes back to A with B's value, with the conflict; A's other own
    edit of that sync does not."""
    a, b = _pair(hq, desks)
    contested, own = _register(a, "Contested"), _register(a, "Own")
    a.sync()
    b.sync()
    a.clock.advance(minutes=5)
    b.clock.advance(minutes=10)
    registry.update_person(ctx=a.ctx(), person_id=contested, data={"given_name_lat": "ByA"})
    registry.update_person(ctx=a.ctx(), person_id=own, data={"given_name_lat": "OwnAgain"})
    registry.update_person(ctx=b.ctx(), person_id=contested, data={"given_name_lat": "ByB"})
    b.sync()
    pulls = Pulls()
    _sync(a, pulls)
    assert contested in pulls.ids("person")
    assert own not in pulls.ids("person")
    assert _given(a, contested) == "ByB"
    assert any(r.entity == "sync.conflict" and r.fields["entity_id"] == contested
               for _, page in pulls.pages for r in page.rows)
    b.sync()
    assert a.content() == b.content()


@pytest.mark.parametrize("push_first", [False, True], ids=["pull-only", "push-then-pull"])
def test_restored_desktop_gets_back_its_rows(
        hq: HqServer, desks: Callable[..., Desk], push_first: bool) -> None:
    """After a restore the desktop lacks what it recorded after the backup: HQ sends those
    rows back (they are of an older epoch, and the desktop came back with an older cursor),
    whether or not it pushed in its new epoch first; from the next sync its new epoch's rows
    stay home.
    The desktops' clocks read HQ's time: the restored database's clock starts again from the
    backup's, and only a wall clock past the lost work's tells the new epoch's writes apart
    (with equal clocks HQ would send everything back, which is safe)."""
    a, b = _pair(hq, desks, behind=timedelta(0))
    before = {_register(a, "Before")}
    a.sync()
    saved = backup.make_backup(a.home)
    a.clock.advance(minutes=1)
    after = {_register(a, "After1"), _register(a, "After2")}
    a.sync()
    a.db.close()
    assert backup.restore(a.home, saved).epoch == 2
    a.db = open_database(a.home)
    a.clock.advance(minutes=1)  # the restore comes after the lost work
    new = {_register(a, "New")} if push_first else set()
    pulls = Pulls()
    _sync(a, pulls)
    assert set(a.content()["person"]) == before | after | new
    assert after <= pulls.ids("person")
    # what it pushed in that same sync may come back once: HQ cannot tell it from the lost
    # copy's rows by their counters, and sends it (docs/sync.md, "Own rows")
    pulls.clear()
    later = {_register(a, "Later")}
    _sync(a, pulls)
    assert not pulls.ids("person"), "the new epoch's own rows came back"
    b.sync()
    assert set(b.content()["person"]) == before | after | new | later
    assert a.content() == b.content()


def test_cursor_moves_over_pages_of_own_rows(
        hq: HqServer, desks: Callable[..., Desk], monkeypatch: pytest.MonkeyPatch) -> None:
    """A run of own rows longer than a request reads (25 pages' worth) gives a short page,
    even an empty one, with `more` and a cursor past it; the rows after it still arrive."""
    a, b = _pair(hq, desks)
    mine = {_register(a, f"Own{i}") for i in range(30)}
    pulls = Pulls()
    pulls.fail_pull = True
    with pytest.raises(sync_client.SyncFailed):
        _sync(a, pulls)  # pushed, then the pull was cut: A's rows come first at HQ
    b.sync()
    theirs = {_register(b, f"Theirs{i}") for i in range(3)}
    b.sync()
    pulls.fail_pull = False
    monkeypatch.setattr(sync_client, "PULL_LIMIT", 1)  # a request reads 25 rows at most
    _sync(a, pulls)
    assert not pulls.ids("person") & mine
    assert pulls.ids("person") == theirs
    assert set(a.content()["person"]) == mine | theirs
    cursors = [_position(page.next_cursor) for _, page in pulls.pages]
    assert cursors == sorted(cursors), "the cursor went back"
    assert all(_position(page.next_cursor) > _position(sent)
               for sent, page in pulls.pages if page.more), "a page with more stood still"
    own_run = [page for _, page in pulls.pages if page.more and not any(
        r.entity == "person" for r in page.rows) and p.Cursor.parse(page.next_cursor).center]
    assert own_run, "no short page over the run of own rows"
    assert not pulls.pages[-1][1].more
    b.sync()
    assert a.content() == b.content()


def test_a_lost_page_does_not_bring_own_rows_back(
        hq: HqServer, desks: Callable[..., Desk], monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer lost on the way (HQ handed out a cursor the desktop never stored) makes the
    desktop come back with the cursor before it: nothing was pushed in between, so its own
    rows still stay home (only a desktop that may have lost its own writes gets them)."""
    a, b = _pair(hq, desks)
    mine = {_register(a, f"Own{i}") for i in range(3)}
    monkeypatch.setattr(sync_client, "PULL_LIMIT", 5)
    pulls = Pulls()
    pulls.lose_answer = 2  # a reference page: the center's rows are not reached
    with pytest.raises(sync_client.SyncFailed):
        _sync(a, pulls)
    pulls.lose_answer = None
    _sync(a, pulls)
    assert not pulls.ids("person") & mine
    b.sync()
    assert a.content() == b.content()
