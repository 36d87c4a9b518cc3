"""A pull applied in big pages (set-based `apply.PageApplier`, next page fetched while one is
applied) leaves exactly the tables that pages of one row leave (where every row is applied on
its own, in HQ's order): into a fresh desktop, and into a desktop that already holds part of
the center and has work of its own (an edit HQ has not acknowledged, a row written outside the
services, a deleted row written outside them, an event of its own with other details, an edit
HQ logged as the loser of a conflict). Compared table by table, field clocks, conflicts,
`rev` and `dirty` included. HQ runs on SQLite and on PostgreSQL (the `hq` fixture)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

import jisr_protocol as p
from jisr_desktop import ledger
from jisr_desktop.db.connection import open_database
from jisr_desktop.domain.person import search_columns
from jisr_desktop.services import club, households, registry, visits, workshops
from jisr_desktop.sync import client as sync_client
from jisr_desktop.sync.client import SyncClient, SyncReport
from jisr_desktop.sync.transport import HqUnreachable, SyncTransport
from tests.hq.hqkit import HqServer
from tests.sync.deskkit import Desk

PERSONS = 240
"""Persons of the center: with households, members, club and workshop enrollments, sessions,
visits, check-ins and check-outs and attendance marks, about 2,000 rows at HQ."""

TABLES = (*p.RECORD_ENTITIES, *p.EVENT_ENTITIES)
STATE_TABLES = ("field_clock", "conflict", "sync_dirty", "outbox", "sync_acked")


class PagesOf(SyncTransport):
    """The real transport asking for pages of `rows` rows whatever the client asks."""

    rows = 1

    def pull(self, cursor: str, limit: int = p.DEFAULT_PULL_LIMIT) -> p.PullResponse:
        return super().pull(cursor, self.rows)


class NoPull(SyncTransport):
    """Pushes, then HQ cannot be reached for the pull (the pushed ops are acknowledged)."""

    def pull(self, cursor: str, limit: int = p.DEFAULT_PULL_LIMIT) -> p.PullResponse:
        raise HqUnreachable("no pull in this step")


def _client(desk: Desk, factory: Callable[..., SyncTransport] = SyncTransport) -> SyncClient:
    return SyncClient(desk.db, user=desk.receptionist, clock=desk.clock, transport_factory=factory)


def _pull_only(desk: Desk, factory: Callable[..., SyncTransport]) -> int:
    """Only the pull of a sync (local work stays unacknowledged): how many pages it took."""
    st = sync_client.state(desk.db)
    with factory(st.server_url, device_id=st.device_id, secret=st.secret) as t:
        report = SyncReport()
        _client(desk)._pull(t, report)
        return t.stats.requests


def _tables(desk: Desk) -> dict[str, list[tuple[Any, ...]]]:
    """Every synced table (all columns but the local row number `rid`) and the sync state
    tables, sorted."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in (*TABLES, *STATE_TABLES):
        cur = desk.db.execute(f"SELECT * FROM {table}")
        names = [c[0] for c in cur.description]
        keep = [i for i, n in enumerate(names) if n != "rid"]
        out[table] = sorted((tuple(r[i] for i in keep) for r in cur.fetchall()), key=repr)
    out["sync_state.cursor"] = [(sync_client.state(desk.db).cursor,)]
    return out


def _assert_same_tables(big: Desk, small: Desk) -> None:
    ours, theirs = _tables(big), _tables(small)
    for table in ours:
        assert ours[table] == theirs[table], f"{table} differs between big pages and pages of one row"
    for desk in (big, small):  # search columns of every row, and the index that follows them
        cur = desk.db.execute("SELECT * FROM person")
        names = [c[0] for c in cur.description]
        for found in cur.fetchall():
            row = dict(zip(names, found, strict=True))
            assert {k: row[k] for k in ("search_names", "search_approx", "search_ids")} == (
                search_columns(row, row["file_no"])), row["id"]
        desk.db.execute("INSERT INTO person_fts(person_fts) VALUES ('integrity-check')")


def _fill(desk: Desk, first: int, count: int) -> list[str]:
    """`count` persons with households, club members checking in and out, a workshop with
    attendance marks and visits, all through the services."""
    ctx, coord = desk.ctx(), desk.coord
    ids = []
    for i in range(first, first + count):
        desk.clock.advance(seconds=37)
        ids.append(registry.register_person(ctx=ctx, data={
            "given_name_lat": ("Amina", "Omar", "Hind", "Youssef")[i % 4],
            "family_name_lat": f"Alaoui{i % 17}", "given_name_ar": ("أمينة", "عمر", "هند")[i % 3],
            "sex": "FM"[i % 2], "birth_date": date(1970 + i % 40, 1 + i % 12, 1 + i % 28),
            "phone": f"06{10000000 + i:08d}", "address": f"Derb {i}"}).id)
    for head in ids[::4]:
        household = households.create_household(ctx=coord, head_person_id=head)
        for member in ids[ids.index(head) + 1: ids.index(head) + 3]:
            households.add_member(ctx=coord, household_id=household.id, person_id=member,
                                  relationship="child")
    members = ids[: count // 4]
    for pid in members:
        club.enroll_member(ctx=coord, person_id=pid, emergency_name="Fils",
                           emergency_phone="0612345678")
    for _day in range(2):
        desk.clock.advance(days=1)
        for pid in members:
            desk.clock.advance(seconds=5)
            club.check_in_member(ctx=ctx, person_id=pid)
        for pid in members:
            desk.clock.advance(seconds=5)
            club.check_out_member(ctx=ctx, person_id=pid)
    category = desk.db.execute("SELECT code FROM workshop_category WHERE active = 1 ORDER BY sort"
                               " LIMIT 1").fetchone()[0]
    shop = workshops.save_workshop(ctx=coord, data={
        "category_code": category, "title": f"Atelier {first}", "trainer": "Formatrice",
        "start_date": desk.clock().date(), "capacity": 30})
    for s in range(3):
        starts = datetime.combine(desk.clock().date() + timedelta(days=s), datetime.min.time(),
                                  tzinfo=UTC) + timedelta(hours=9)
        session = workshops.add_session(ctx=coord, workshop_id=shop.id, starts_at=starts,
                                        ends_at=starts + timedelta(hours=2), topic=f"S{s}")
        for j, pid in enumerate(ids[count // 2: count // 2 + 25]):
            workshops.mark_attendance(ctx=ctx, session_id=session.id, person_id=pid,
                                      status=("present", "late", "absent")[(j + s) % 3])
    programs = [c for (c,) in desk.db.execute("SELECT code FROM program WHERE active = 1")]
    for k in range(2 * count):
        desk.clock.advance(seconds=53)
        visits.log_visit(ctx=ctx, data={
            "person_id": ids[(k * 7) % count], "program_code": programs[k % len(programs)],
            "channel": "in_person", "outcome": "informed", "referral_to": "",
            "notes": "Dossier" if k % 3 == 0 else ""})
    return ids


@pytest.fixture
def copies(desks: Callable[..., Desk]) -> Iterator[Callable[[Desk, str], Desk]]:
    """A second desktop from a copy of a desktop's data root (same database, same clock)."""
    made: list[Desk] = []

    def copy(desk: Desk, name: str) -> Desk:
        desk.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        desk.db.close()
        home = desk.home.parent / name
        shutil.copytree(desk.home, home)
        desk.db = open_database(desk.home)
        other = Desk(name, home, open_database(home), type(desk.clock)(desk.clock()),
                     desk.coordinator, desk.receptionist)
        made.append(other)
        return other

    yield copy
    for d in made:
        d.close()


def test_big_pages_apply_like_pages_of_one_row(
        hq: HqServer, desks: Callable[..., Desk], copies: Callable[[Desk, str], Desk]) -> None:
    _code, codes = hq.new_center(codes=4)
    a = desks("A")
    a.enroll(hq, codes[0])
    first = _fill(a, 0, PERSONS // 2)
    a.sync()

    # P holds the first half of the center
    part = desks("P", local_center=False, start=a.clock())
    part.enroll(hq, codes[1])
    part.sync()

    # A goes on: the second half; then, with its wall clock weeks ahead (HQ's receive clock
    # then orders its ops), an edit P will contend, a deletion, edits of rows P changes too
    a.clock.advance(hours=2)
    second = _fill(a, PERSONS // 2, PERSONS // 2)
    a.clock.advance(days=40)
    contended, deleted, both_edit, outside, later = first[3], first[5], first[7], first[11], first[15]
    registry.update_person(ctx=a.ctx(), person_id=contended, data={"phone": "0699999991"})
    ledger.write_record(a.ctx(), "person", deleted, {"deleted": 1}, action="test_delete")
    registry.update_person(ctx=a.ctx(), person_id=both_edit, data={"notes": "A"})
    registry.update_person(ctx=a.ctx(), person_id=outside, data={"address": "Hay A"})
    a.sync()

    # P edits the same phone with an older clock and pushes it: HQ keeps A's value and logs
    # P's op as the loser (the conflict arrives in the pull below)
    registry.update_person(ctx=part.ctx(), person_id=contended, data={"phone": "0699999992"})
    with pytest.raises(sync_client.SyncFailed):
        _client(part, NoPull).sync()
    assert hq.scalar("SELECT count(*) FROM jisr_hq_conflict WHERE entity_id = ?",
                     hq.uid(contended)) >= 1
    # … and has work HQ has not seen: unacknowledged edits (one later than A's edit of the
    # field, one earlier than A's next, one of a field nobody else changed), rows written
    # outside the services (one of them deleted at HQ), the same visit as A's (deterministic
    # id) with other details
    registry.update_person(ctx=part.ctx(), person_id=both_edit, data={"notes": "P"})
    registry.update_person(ctx=part.ctx(), person_id=later, data={"notes": "P"})
    registry.update_person(ctx=part.ctx(), person_id=first[9], data={"address": "Hay P"})
    part.db.execute("UPDATE person SET notes = 'outside' WHERE id IN (?, ?)", [outside, deleted])
    program = part.db.execute("SELECT code FROM program WHERE active = 1 ORDER BY position"
                              " LIMIT 1").fetchone()[0]
    same_visit = ledger.deterministic_id("v", first[13])
    visits.log_visit(ctx=part.ctx(), visit_id=same_visit, data={
        "person_id": first[13], "program_code": program, "channel": "phone",
        "outcome": "informed", "referral_to": "", "notes": "P"})
    registry.update_person(ctx=a.ctx(), person_id=later, data={"notes": "A"})
    visits.log_visit(ctx=a.ctx(), visit_id=same_visit, data={
        "person_id": first[13], "program_code": program, "channel": "in_person",
        "outcome": "helped", "referral_to": "", "notes": "A"})
    a.sync()

    # the same desktop twice: big pages (the client's own) and pages of one row
    part_small = copies(part, "P1")
    pages = _pull_only(part, SyncTransport)
    one_by_one = _pull_only(part_small, PagesOf)
    assert pages < one_by_one
    _assert_same_tables(part, part_small)
    assert part.db.execute("SELECT count(*) FROM conflict").fetchone()[0] >= 1
    notes = dict(part.db.execute("SELECT id, notes FROM person WHERE id IN (?, ?, ?)",
                                 [outside, both_edit, later]).fetchall())
    assert notes == {outside: "outside", both_edit: "P", later: "A"}
    assert part.db.execute("SELECT deleted, dirty FROM person WHERE id = ?",
                           [deleted]).fetchone() == (1, 0)
    assert part.db.execute("SELECT notes FROM visit WHERE id = ?", [same_visit]).fetchone() == ("A",)
    assert part.db.execute("SELECT address FROM person WHERE id = ?",
                           [first[9]]).fetchone() == ("Hay P",)

    # a fresh desktop in big pages and one in pages of one row
    fresh = desks("F", local_center=False, start=a.clock())
    fresh_small = desks("F1", local_center=False, start=a.clock())
    fresh.enroll(hq, codes[2])
    fresh_small.enroll(hq, codes[3])
    report = _client(fresh).sync()
    assert report.pulled > 1_000
    assert report.requests <= report.pulled // sync_client.PULL_LIMIT + 2
    _client(fresh_small, PagesOf).sync()
    _assert_same_tables(fresh, fresh_small)
    assert {r[0] for r in fresh.db.execute("SELECT id FROM person WHERE deleted = 0")} == (
        set(first) | set(second)) - {deleted}
