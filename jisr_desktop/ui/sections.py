"""The navigation: a registry of sections, so that a screen is added by one line.

A section's `screen` is ``"module:Class"``, imported when the section is first opened; the
class is built as ``Class(session, parent)`` and may define ``retranslate()``, ``refresh()``
(F5), ``focus_search()`` (Ctrl+F) and ``new_record()`` (Ctrl+N). A section whose module does
not exist yet shows a short translated "coming" page. Another area adds or replaces a
section with one line in its own module, e.g. in ``jisr_desktop/ui/screens/nursery.py``::

    register_section(Section("nursery", N_("Nursery"), "jisr_desktop.ui.screens.nursery:NurseryScreen"))

(the placeholders below already point at ``screens.nursery``, ``screens.elderly`` and
``screens.workshops``: creating those modules with those classes is enough).
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from dataclasses import dataclass

from jisr_desktop.domain.roles import Permission
from jisr_desktop.i18n import N_

log = logging.getLogger("jisr.ui")


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # msgid
    screen: str | None = None  # "module:Class"; None: the "coming" page
    permission: Permission | None = None  # hidden from roles without it


SECTIONS: list[Section] = [
    # The reception's home, first after sign-in (issue 13, point 3).
    Section("today", N_("Today"), "jisr_desktop.ui.screens.today:TodayScreen", Permission.CHECK_IN),
    Section("reception", N_("Reception"), "jisr_desktop.ui.screens.reception:ReceptionDesk", Permission.LOG_VISIT),
    Section("people", N_("People and families"), "jisr_desktop.ui.screens.people:PeopleScreen"),
    Section("nursery", N_("Nursery"), "jisr_desktop.ui.screens.nursery:NurseryScreen"),
    Section("elderly", N_("Elderly club"), "jisr_desktop.ui.screens.elderly:ElderlyClubScreen"),
    Section("workshops", N_("Workshops"), "jisr_desktop.ui.screens.workshops:WorkshopsScreen"),
    Section("campaigns", N_("Awareness campaigns"), "jisr_desktop.ui.screens.campaigns:CampaignsScreen"),
    Section("followup", N_("Follow-up"), "jisr_desktop.ui.screens.followup:FollowupScreen", Permission.LOG_VISIT),
    Section("case_notes", N_("Case notes"), "jisr_desktop.ui.screens.case_notes:CaseNotesScreen", Permission.CASE_NOTES),
    Section("reports", N_("Reports"), "jisr_desktop.ui.screens.reports:ReportsScreen", Permission.VIEW_REPORTS),
    Section("sync", N_("Sync"), "jisr_desktop.ui.screens.sync:SyncScreen", Permission.SYNC),
    Section("accounts", N_("Accounts"), "jisr_desktop.ui.screens.accounts:AccountsScreen",
            Permission.MANAGE_ACCOUNTS),
    Section("backups", N_("Backups"), "jisr_desktop.ui.screens.backups:BackupsScreen", Permission.MANAGE_SETTINGS),
    Section("settings", N_("Settings"), "jisr_desktop.ui.screens.settings:SettingsScreen"),
]


def register_section(section: Section, *, before: str | None = None) -> None:
    """Add a section, or replace the one with the same key (keeping its place)."""
    for i, existing in enumerate(SECTIONS):
        if existing.key == section.key:
            SECTIONS[i] = section
            return
    keys = [s.key for s in SECTIONS]
    SECTIONS.insert(keys.index(before) if before in keys else len(SECTIONS) - 1, section)


def load_plugins() -> None:
    """Import the ``jisr_desktop.ui.screens.*`` modules that no section names yet, so that
    their `register_section` lines run (the named ones are imported when first opened)."""
    from jisr_desktop.ui import screens

    named = {s.screen.partition(":")[0] for s in SECTIONS if s.screen}
    for info in pkgutil.iter_modules(screens.__path__):
        module = f"{screens.__name__}.{info.name}"
        if module not in named:
            try:
                importlib.import_module(module)
            except Exception:
                log.exception("the screen module %s could not be loaded", info.name)


def screen_class(section: Section) -> type | None:
    """The class of a section's screen, or None when it is not built yet."""
    if not section.screen:
        return None
    module_name, _, class_name = section.screen.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    return getattr(module, class_name, None)
