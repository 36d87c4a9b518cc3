"""Confidential case notes: only counsellors read and write them; validation names the field;
a delete is a tombstone; the audit log, the exports and the monthly report never hold the
note's words (docs/sync.md guarantee 20, docs/domain.md "Personal data")."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pypdf
import pytest

import jisr_protocol as p
from jisr_desktop import errors, ledger
from jisr_desktop.context import Context, User
from jisr_desktop.reports import queries
from jisr_desktop.reports.exports import read_csv, write_csv
from jisr_desktop.reports.monthly import build_monthly_report
from jisr_desktop.services import accounts, case_notes, households, registry

SECRET = "Confidential: argument about the dowry, husband drinks"
TODAY = date(2026, 11, 2)


@pytest.fixture
def counsellor(system_ctx: Context) -> User:
    return accounts.create_account(ctx=system_ctx, username="couns", display_name="Salma",
                                   role="counsellor", password="correct horse")


@pytest.fixture
def couns_ctx(system_ctx: Context, counsellor: User) -> Context:
    return Context(db=system_ctx.db, user=counsellor, clock=system_ctx.clock)


@pytest.fixture
def family(system_ctx: Context):  # type: ignore[no-untyped-def]
    wife = registry.register_person(ctx=system_ctx, data={
        "given_name_lat": "Khadija", "family_name_lat": "Amrani", "sex": "F"})
    husband = registry.register_person(ctx=system_ctx, data={
        "given_name_lat": "Omar", "family_name_lat": "Amrani", "sex": "M"})
    home = households.create_household(ctx=system_ctx, head_person_id=husband.id, name="Amrani")
    households.add_member(ctx=system_ctx, household_id=home.id, person_id=wife.id,
                          relationship="spouse")
    return wife, husband, home


def _counselling(ctx: Context, person_id: str, **kw):  # type: ignore[no-untyped-def]
    data = {"session_date": TODAY, "topic": "marital", "note": SECRET} | kw
    return case_notes.save_counselling_note(ctx=ctx, person_id=person_id, **data)


def test_entities_keep_the_counselling_partition() -> None:
    for name in ("counselling_note", "mediation_note"):
        spec = p.ENTITIES[name]
        assert name in p.RECORD_ENTITIES
        assert (spec.family, spec.partition, spec.write_roles) == (
            "record", "counselling", frozenset({"counsellor"}))
    assert all(p.ENTITIES[n].partition == "center" for n in p.RECORD_ENTITIES
               if n not in p.COUNSELLING_ENTITIES)


def test_counsellor_writes_reads_edits_and_deletes(couns_ctx, family) -> None:  # type: ignore[no-untyped-def]
    wife, husband, home = family
    first = _counselling(couns_ctx, wife.id, session_date=TODAY - timedelta(days=7),
                         topic="psychological", household_id=home.id)
    second = _counselling(couns_ctx, wife.id, follow_up_date=TODAY + timedelta(days=14))
    mediation = case_notes.save_mediation_note(
        ctx=couns_ctx, household_id=home.id, parties=[wife.id, husband.id, wife.id],
        session_date=TODAY - timedelta(days=1), stage="session", outcome="  calmer  ",
        note="Both agreed to meet again")
    assert mediation.parties == (wife.id, husband.id) and mediation.outcome == "calmer"
    assert second.counsellor_id == couns_ctx.user.id and second.counsellor_name == "Salma"
    # newest session first, mediations with the parties
    assert [n.id for n in case_notes.notes_of_person(ctx=couns_ctx, person_id=wife.id)] == [
        second.id, mediation.id, first.id]
    assert [n.id for n in case_notes.notes_of_person(ctx=couns_ctx, person_id=husband.id)] == [
        mediation.id]
    assert {n.id for n in case_notes.notes_of_household(ctx=couns_ctx, household_id=home.id)} == {
        first.id, mediation.id}
    assert case_notes.households_of(ctx=couns_ctx, person_id=wife.id) == [(home.id, "Amrani")]

    edited = case_notes.save_counselling_note(
        ctx=couns_ctx, note_id=second.id, person_id=wife.id, session_date=TODAY, topic="marital",
        note="Corrected words")
    assert edited.note == "Corrected words" and edited.topic == "marital"
    op = couns_ctx.db.execute("SELECT kind, patch, user_id FROM outbox WHERE entity_id = ?"
                              " ORDER BY seq DESC LIMIT 1", [second.id]).fetchone()
    # only the changed fields travel (the form left the follow-up empty this time)
    assert (op[0], json.loads(op[1]), op[2]) == (
        "upsert", {"note": "Corrected words", "follow_up_date": None}, couns_ctx.user.id)

    case_notes.delete_note(ctx=couns_ctx, kind="counselling_note", note_id=second.id)
    assert couns_ctx.db.execute("SELECT deleted FROM counselling_note WHERE id = ?",
                                [second.id]).fetchone() == (1,)  # a tombstone, not a delete
    op = couns_ctx.db.execute("SELECT kind, patch FROM outbox WHERE entity_id = ?"
                              " ORDER BY seq DESC LIMIT 1", [second.id]).fetchone()
    assert op == ("delete", '{"deleted": 1}')
    assert second.id not in {n.id for n in case_notes.notes_of_person(ctx=couns_ctx,
                                                                      person_id=wife.id)}
    with pytest.raises(errors.NotFound):
        case_notes.get_note(ctx=couns_ctx, kind="counselling_note", note_id=second.id)
    with pytest.raises(errors.NotFound):  # a deleted note cannot be edited back
        _counselling(couns_ctx, wife.id, note_id=second.id, note="again")
    with pytest.raises(errors.NotFound):
        case_notes.delete_note(ctx=couns_ctx, kind="counselling_note", note_id=second.id)
    assert ledger.pending_count(couns_ctx.db) > 0


@pytest.mark.parametrize("role", ["receptionist", "coordinator", "admin"])
def test_other_roles_can_neither_read_nor_write(system_ctx, couns_ctx, family, role) -> None:  # type: ignore[no-untyped-def]
    wife, _husband, home = family
    note = _counselling(couns_ctx, wife.id)
    other = accounts.create_account(ctx=system_ctx, username=f"u-{role}", display_name=role,
                                    role=role, password="correct horse")
    ctx = Context(db=system_ctx.db, user=other, clock=system_ctx.clock)
    calls = [
        lambda: _counselling(ctx, wife.id),
        lambda: _counselling(ctx, wife.id, note_id=note.id, note="overwritten"),
        lambda: case_notes.save_mediation_note(ctx=ctx, household_id=home.id, parties=[wife.id],
                                               session_date=TODAY, stage="opened", note="x"),
        lambda: case_notes.delete_note(ctx=ctx, kind="counselling_note", note_id=note.id),
        lambda: case_notes.get_note(ctx=ctx, kind="counselling_note", note_id=note.id),
        lambda: case_notes.notes_of_person(ctx=ctx, person_id=wife.id),
        lambda: case_notes.notes_of_household(ctx=ctx, household_id=home.id),
        lambda: case_notes.households_of(ctx=ctx, person_id=wife.id),
        lambda: case_notes.sync_warning(ctx=ctx),
    ]
    for call in calls:
        with pytest.raises(errors.PermissionDenied):
            call()
    assert system_ctx.db.execute("SELECT count(*), max(note) FROM counselling_note").fetchone() == (
        1, SECRET)


def test_validation_names_the_field_in_every_language(couns_ctx, family) -> None:  # type: ignore[no-untyped-def]
    wife, _husband, home = family
    cases = [
        (lambda: _counselling(couns_ctx, "no-such-person"), "person_id"),
        (lambda: _counselling(couns_ctx, wife.id, topic="astrology"), "topic"),
        (lambda: _counselling(couns_ctx, wife.id, note="   "), "note"),
        (lambda: _counselling(couns_ctx, wife.id, note="x" * 10_001), "note"),
        (lambda: _counselling(couns_ctx, wife.id, session_date=TODAY + timedelta(days=1)),
         "session_date"),
        (lambda: _counselling(couns_ctx, wife.id, session_date=None), "session_date"),
        (lambda: _counselling(couns_ctx, wife.id, follow_up_date=TODAY - timedelta(days=1)),
         "follow_up_date"),
        (lambda: _counselling(couns_ctx, wife.id, household_id="nope"), "household_id"),
        (lambda: case_notes.save_mediation_note(ctx=couns_ctx, household_id="", parties=[wife.id],
                                                session_date=TODAY, stage="opened", note="x"),
         "household_id"),
        (lambda: case_notes.save_mediation_note(ctx=couns_ctx, household_id=home.id, parties=[],
                                                session_date=TODAY, stage="opened", note="x"),
         "parties"),
        (lambda: case_notes.save_mediation_note(ctx=couns_ctx, household_id=home.id,
                                                parties=["ghost"], session_date=TODAY,
                                                stage="opened", note="x"), "parties"),
        (lambda: case_notes.save_mediation_note(ctx=couns_ctx, household_id=home.id,
                                                parties=[wife.id], session_date=TODAY,
                                                stage="divorced", note="x"), "stage"),
        (lambda: case_notes.save_mediation_note(ctx=couns_ctx, household_id=home.id,
                                                parties=[wife.id], session_date=TODAY,
                                                stage="closed", note="x", outcome="y" * 501),
         "outcome"),
    ]
    for call, field in cases:
        with pytest.raises(errors.JisrError) as failed:
            call()
        assert failed.value.field == field
        english = failed.value.message("en")
        for lang in ("ar", "fr"):
            assert failed.value.message(lang) != english, (field, english, lang)
    assert couns_ctx.db.execute("SELECT count(*) FROM counselling_note").fetchone() == (0,)
    assert couns_ctx.db.execute("SELECT count(*) FROM mediation_note").fetchone() == (0,)


def test_the_audit_log_keeps_who_and_which_fields_never_the_words(couns_ctx, family) -> None:  # type: ignore[no-untyped-def]
    wife, husband, home = family
    note = _counselling(couns_ctx, wife.id)
    _counselling(couns_ctx, wife.id, note_id=note.id, note=SECRET + " (continued)")
    mediation = case_notes.save_mediation_note(
        ctx=couns_ctx, household_id=home.id, parties=[wife.id, husband.id], session_date=TODAY,
        stage="agreement", outcome="Secret settlement terms", note=SECRET)
    case_notes.delete_note(ctx=couns_ctx, kind="mediation_note", note_id=mediation.id)
    entries = couns_ctx.db.execute(
        "SELECT user_id, action, entity, changes FROM audit_log WHERE entity IN"
        " ('counselling_note', 'mediation_note') ORDER BY id").fetchall()
    assert [(e[1], e[2]) for e in entries] == [
        ("add_counselling_note", "counselling_note"), ("edit_counselling_note", "counselling_note"),
        ("add_mediation_note", "mediation_note"), ("delete_mediation_note", "mediation_note")]
    assert {e[0] for e in entries} == {couns_ctx.user.id}
    assert set(json.loads(entries[0][3])) >= {"note", "topic", "person_id", "session_date"}
    assert json.loads(entries[1][3]) == {"note": ["[redacted]", "[redacted]"]}
    assert json.loads(entries[3][3]) == {"deleted": [0, 1]}
    everything = json.dumps(couns_ctx.db.execute("SELECT * FROM audit_log").fetchall())
    for secret in ("dowry", "Secret settlement", "marital", "agreement"):
        assert secret not in everything
    notes_only = json.dumps(entries)
    assert wife.id not in notes_only and husband.id not in notes_only
    # the record history a coordinator can read shows nothing either
    history = registry.history(ctx=couns_ctx, entity="counselling_note", entity_id=note.id)
    assert "dowry" not in json.dumps(history) and len(history) == 2


def test_exports_and_the_monthly_report_leave_case_notes_out(couns_ctx, family, tmp_path) -> None:  # type: ignore[no-untyped-def]
    wife, husband, home = family
    _counselling(couns_ctx, wife.id)
    case_notes.save_mediation_note(ctx=couns_ctx, household_id=home.id,
                                   parties=[wife.id, husband.id], session_date=TODAY,
                                   stage="closed", outcome="Secret settlement terms", note=SECRET)
    persons = queries.persons_for_export(couns_ctx.db)
    assert len(persons) == 2
    path = tmp_path / "persons.csv"
    write_csv(path, persons, list(queries.PERSON_EXPORT_COLUMNS))
    _, back = read_csv(path)
    exported = json.dumps(back, ensure_ascii=False) + path.read_text(encoding="utf-8-sig")
    attendance = json.dumps(queries.attendance_for_export(couns_ctx.db), ensure_ascii=False)
    pdf = io.BytesIO()
    build_monthly_report(pdf, db=couns_ctx.db, year=2026, month=11, lang="en")
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.getvalue())).pages)
    assert "Khadija" in exported
    for secret in ("dowry", "Secret settlement", "marital", "Marital", "counsel", "mediation",
                   "Mediation"):
        assert secret not in exported and secret not in attendance and secret not in text


def test_a_local_account_is_warned_that_hq_will_refuse_its_notes(couns_ctx, family) -> None:  # type: ignore[no-untyped-def]
    wife, _husband, _home = family
    assert case_notes.sync_warning(ctx=couns_ctx) is None  # not enrolled: nothing to refuse
    couns_ctx.db.execute("UPDATE sync_state SET device_id = 'd', device_secret = 's' WHERE id = 1")
    assert case_notes.sync_warning(ctx=couns_ctx) is not None
    note = _counselling(couns_ctx, wife.id)
    op_id, epoch, seq = couns_ctx.db.execute(
        "SELECT op_id, epoch, seq FROM outbox WHERE entity_id = ?", [note.id]).fetchone()
    couns_ctx.db.execute("INSERT INTO sync_rejected(op_id, epoch, seq, reason, at) VALUES"
                         " (?,?,?, 'author_not_member', 'now')", [op_id, epoch, seq])
    refused = case_notes.get_note(ctx=couns_ctx, kind="counselling_note", note_id=note.id)
    assert refused.refused == "author_not_member" and refused.note == SECRET  # kept here
    assert "HQ refused" in case_notes.refusal_text("author_not_member")
    couns_ctx.db.execute("UPDATE user_account SET source = 'hq' WHERE id = ?", [couns_ctx.user.id])
    assert case_notes.sync_warning(ctx=couns_ctx) is None


def test_rows_written_outside_the_services_are_still_sent(couns_ctx, family) -> None:  # type: ignore[no-untyped-def]
    """The dirty triggers of the new tables behave like the other record tables'."""
    wife, _husband, _home = family
    note = _counselling(couns_ctx, wife.id)
    couns_ctx.db.execute("UPDATE counselling_note SET topic = 'other' WHERE id = ?", [note.id])
    assert couns_ctx.db.execute("SELECT dirty FROM counselling_note WHERE id = ?",
                                [note.id]).fetchone() == (1,)
    before = ledger.pending_count(couns_ctx.db)
    assert ledger.capture_dirty(couns_ctx) == 1
    op = couns_ctx.db.execute("SELECT kind, patch, user_id FROM outbox ORDER BY seq DESC LIMIT 1"
                              ).fetchone()
    assert op[0] == "upsert" and json.loads(op[1])["topic"] == "other"
    assert op[2] == couns_ctx.user.id
    assert ledger.pending_count(couns_ctx.db) == before  # the dirty row became one op


def test_notes_follow_a_merge_and_its_undo(system_ctx, coord_ctx, couns_ctx, family) -> None:  # type: ignore[no-untyped-def]
    """A merge (coordinators) does not rewrite case notes: they are found through the
    merged record, so no note op is written under a coordinator's name."""
    wife, husband, home = family
    twin = registry.register_person(ctx=system_ctx, data={
        "given_name_lat": "Khadija", "family_name_lat": "Amrani", "sex": "F", "phone": "0612345678"})
    note = _counselling(couns_ctx, twin.id)
    mediation = case_notes.save_mediation_note(ctx=couns_ctx, household_id=home.id,
                                               parties=[twin.id, husband.id], session_date=TODAY,
                                               stage="opened", note="x")
    merge_id = registry.merge_persons(ctx=coord_ctx, survivor_id=wife.id, merged_id=twin.id)
    assert {n.id for n in case_notes.notes_of_person(ctx=couns_ctx, person_id=wife.id)} == {
        note.id, mediation.id}
    assert couns_ctx.db.execute("SELECT count(*) FROM outbox WHERE entity IN"
                                " ('counselling_note', 'mediation_note') AND user_id = ?",
                                [coord_ctx.user.id]).fetchone() == (0,)
    registry.undo_merge(ctx=coord_ctx, merge_id=merge_id)
    assert case_notes.notes_of_person(ctx=couns_ctx, person_id=wife.id) == []
    assert {n.id for n in case_notes.notes_of_person(ctx=couns_ctx, person_id=twin.id)} == {
        note.id, mediation.id}
