"""The awareness campaigns screen driven by keyboard and mouse: a coordinator records a
campaign with its counts by sex and age band and a named participant, corrects a count;
missing fields are shown beside them; a receptionist only reads; Arabic lays it out right
to left."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from jisr_desktop.services import campaigns, registry
from jisr_desktop.ui.language import apply_language
from jisr_desktop.ui.screens.campaigns import CampaignsScreen
from tests.ui.conftest import choose, idle, sign_in


def _shell(shell_factory, clock):  # type: ignore[no-untyped-def]
    shell = shell_factory()
    shell.session.clock = clock
    return shell


def _open(qtbot, shell, main) -> CampaignsScreen:  # type: ignore[no-untyped-def]
    screen = main.show_section("campaigns")
    assert isinstance(screen, CampaignsScreen)
    idle(qtbot, shell)
    return screen


def _type_count(qtbot, screen: CampaignsScreen, sex: str, band: str, value: int) -> None:  # type: ignore[no-untyped-def]
    cell = screen.counts.cells[(sex, band)]
    cell.selectAll()
    qtbot.keyClicks(cell, str(value))


def test_coordinator_records_a_campaign_with_counts_and_a_named_participant(  # type: ignore[no-untyped-def]
        qtbot, qtmodeltester, shell_factory, coordinator, system_ctx, db, clock) -> None:
    nadia = registry.register_person(ctx=system_ctx, data={"given_name_lat": "Nadia", "family_name_lat": "Tazi",
                                                          "sex": "F", "birth_date": date(1990, 5, 1)})
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "coord")
    screen = _open(qtbot, shell, main)
    assert screen.save_button.isVisible() and not screen.add_button.isEnabled()
    # Saving an empty form shows what is missing beside the fields, and writes nothing.
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.messages["topic"].isVisible(), timeout=10_000)
    assert screen.messages["topic"].text() == "Enter the topic."
    assert screen.messages["place"].text() == "Enter the place."
    assert db.execute("SELECT count(*) FROM campaign").fetchone()[0] == 0
    # The form typed in, Tab from field to field.
    qtbot.keyClicks(screen.topic.lineEdit(), "Water saving")
    qtbot.keyClicks(screen.place, "Souk of Ain Aouda")
    qtbot.keyClicks(screen.partner, "ONEE")
    qtbot.keyClicks(screen.notes, "Leaflets in Arabic and Amazigh")
    _type_count(qtbot, screen, "F", "30-59", 12)
    _type_count(qtbot, screen, "M", "30-59", 7)
    _type_count(qtbot, screen, "F", "6-11", 4)
    assert screen.counts.total.text() == "Total: 23 participants"
    with qtbot.waitSignal(screen.saved, timeout=10_000) as saved, \
            qtbot.waitSignal(screen.campaigns_loaded, timeout=10_000):
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    campaign = saved.args[0].campaign
    assert not screen.messages["topic"].isVisible()
    assert (campaign.topic, campaign.place, campaign.partner, campaign.day) == (
        "Water saving", "Souk of Ain Aouda", "ONEE", clock.current.date())
    assert campaign.counts == {("F", "30-59"): 12, ("M", "30-59"): 7, ("F", "6-11"): 4}
    assert db.execute("SELECT count(*) FROM campaign_count").fetchone()[0] == 3  # zeros are not written
    assert screen.list_model.rowCount() == 1
    assert screen.list_model.data(screen.list_model.index(0, 4)) == "23"
    assert screen.summary.text() == "1 campaign in this period\n23 participants counted"
    # A named participant found by typing her name.
    assert screen.add_button.isEnabled()
    with qtbot.waitSignal(screen.picker.model.searched, timeout=10_000):
        qtbot.keyClicks(screen.picker.query, "Nadia")
    with qtbot.waitSignal(screen.detail_loaded, timeout=10_000):
        choose(qtbot, screen.picker)  # Enter on her row adds her
    assert screen.picker.current_id() == nadia.id
    assert screen.participants.rowCount() == 1
    assert screen.participants.data(screen.participants.index(0, 0)) == "Nadia Tazi"
    assert db.execute("SELECT person_id FROM campaign_participant").fetchall() == [(nadia.id,)]
    # A count corrected: only that cell is written again; the others keep their records.
    _type_count(qtbot, screen, "M", "30-59", 9)
    with qtbot.waitSignal(screen.saved, timeout=10_000):
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, shell)
    stored = campaigns.get_campaign(ctx=system_ctx, campaign_id=campaign.id)
    assert stored.counts == {("F", "30-59"): 12, ("M", "30-59"): 9, ("F", "6-11"): 4}
    assert stored.total == 25 and stored.participant_ids == [nadia.id]
    assert db.execute("SELECT count(*) FROM campaign").fetchone()[0] == 1
    qtmodeltester.check(screen.list_model)
    qtmodeltester.check(screen.participants)


def test_a_receptionist_reads_campaigns_but_cannot_change_them(  # type: ignore[no-untyped-def]
        qtbot, qtmodeltester, shell_factory, receptionist, coord_ctx, db, clock) -> None:
    saved = campaigns.save_campaign(ctx=coord_ctx, topic="Violence", day=clock.current.date(), place="Youth centre")
    campaigns.set_counts(ctx=coord_ctx, campaign_id=saved.id, counts={("F", "18-29"): 20, ("M", "18-29"): 15})
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "recep")
    screen = _open(qtbot, shell, main)
    assert screen.list_model.rowCount() == 1
    assert not screen.save_button.isVisible() and not screen.new_button.isVisible()
    assert not screen.picker.isVisible() and not screen.place.isEnabled()
    with qtbot.waitSignal(screen.detail_loaded, timeout=10_000):
        screen.select_campaign(saved.id)
    assert screen.place.text() == "Youth centre" and screen.counts.sum() == 35
    assert screen.counts.cells[("F", "18-29")].isReadOnly()
    screen.save()  # nothing happens for a role that cannot save
    idle(qtbot, shell)
    assert db.execute("SELECT count(*) FROM campaign_count").fetchone()[0] == 2
    qtmodeltester.check(screen.list_model)


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_campaigns_in_arabic_and_french(qtbot, shell_factory, coordinator, coord_ctx, clock, lang) -> None:  # type: ignore[no-untyped-def]
    saved = campaigns.save_campaign(ctx=coord_ctx, topic="Environment", day=clock.current.date(), place="School")
    campaigns.set_counts(ctx=coord_ctx, campaign_id=saved.id, counts={("F", "60+"): 3})
    shell = _shell(shell_factory, clock)
    main = sign_in(qtbot, shell, "coord")
    apply_language(lang)
    screen = _open(qtbot, shell, main)
    expected = {"ar": "حملات التوعية", "fr": "Campagnes de sensibilisation"}[lang]
    assert screen.title.text() == expected
    assert (QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft) == (lang == "ar")
    assert screen.list_model.headerData(1, Qt.Orientation.Horizontal) != "Topic"
    assert "60+" in screen.counts.band_labels["60+"].text()
