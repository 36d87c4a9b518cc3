"""Errors the program knows about, split into what a person can fix and what is a bug.

A `JisrError` carries a translatable message (a gettext msgid with ``{named}`` parameters)
and, when it is about one field, that field's name. The CLI prints it as one line; the UI
shows it next to the field or in one calm dialog. Anything else is a bug: logged with its
traceback, never shown raw to a receptionist.
"""

from __future__ import annotations

from typing import Any

from jisr_desktop.i18n import N_, translate


class JisrError(Exception):
    """A known problem with a message meant for people."""

    msgid: str = N_("Something went wrong.")

    def __init__(self, msgid: str | None = None, /, *, field: str | None = None, **params: Any):
        self.msgid = msgid or self.msgid
        self.field = field
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str | None = None) -> str:
        return translate(self.msgid, lang, **self.params)


class DatabaseError(JisrError):
    msgid = N_("The database could not be used.")


class DatabaseMissing(DatabaseError):
    msgid = N_("There is no database at {path}. Create one with “jisr init”.")


class DatabaseLocked(DatabaseError):
    msgid = N_("The database cannot be opened: the key is wrong or the file is damaged ({path}).")


class DatabaseTooNew(DatabaseError):
    msgid = N_(
        "This database was written by a newer version of Jisr Desktop ({names}). "
        "Install the newer version; the file was left untouched."
    )


class DiskFull(DatabaseError):
    msgid = N_("The disk is full: nothing was saved. Free some space and try again.")


class ReadOnlyLocation(DatabaseError):
    msgid = N_("Jisr Desktop cannot write to {path}. Check the folder's permissions.")


class PermissionDenied(JisrError):
    msgid = N_("Your role does not allow this action.")


class NotFound(JisrError):
    msgid = N_("The record was not found.")


class InvalidValue(JisrError):
    """A value that does not fit the synced field schema (jisr_protocol/schema.py) reached the
    change ledger: nothing was saved. The forms check first, so this means a bug or a file."""

    msgid = N_("The value of “{name}” cannot be saved: nothing was changed.")


class ValidationFailed(JisrError):
    """Raised by a service when validation found errors; carries every field message."""

    msgid = N_("Some fields need correcting.")

    def __init__(self, messages: list[Any]) -> None:
        self.messages = messages
        super().__init__()
