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
        # a parameter that is itself a message (a field's name) is shown in the same language
        params = {k: v.translated(lang) if hasattr(v, "translated") else v for k, v in self.params.items()}
        return translate(self.msgid, lang, **params)


class DatabaseError(JisrError):
    msgid = N_("The database could not be used.")


class DatabaseMissing(DatabaseError):
    msgid = N_("There is no database at {path}. Create one with “jisr init”.")


class DatabaseLocked(DatabaseError):
    msgid = N_("The database cannot be opened: the key is wrong or the file is damaged ({path}).")


class DatabaseDamaged(DatabaseLocked):
    """The key opens the file, but some of its pages fail their check (a flipped byte, a
    failing disk): told apart from a wrong key, which fails every page."""

    msgid = N_("The database {path} is damaged: nothing was changed. Restore the latest backup "
               "(“jisr restore”).")


class DatabaseCorrupt(DatabaseLocked):
    """A page failed its check while the program was working (the file opened)."""

    msgid = N_("The database is damaged (a page of it failed its check): the last action was "
               "not saved. Restore the latest backup (“jisr restore”).")


class DatabaseEmpty(DatabaseError):
    msgid = N_("The database file {path} is empty (0 bytes): it was cut short, for example by a "
               "full disk or a copy that failed. Nothing was changed; restore the latest backup "
               "(“jisr restore”).")


class DatabaseTooNew(DatabaseError):
    msgid = N_(
        "This database was written by a newer version of Jisr Desktop ({names}). "
        "Install the newer version; the file was left untouched."
    )


class DiskFull(DatabaseError):
    msgid = N_("The disk is full: nothing was saved. Free some space and try again.")


class DiskFailed(DatabaseError):
    """SQLite's I/O error: the disk refused a read or a write (full, over a size limit, or
    failing). Never reported as a wrong key."""

    msgid = N_("The disk refused to read or write the database (it may be full or failing): "
               "nothing was saved. Free some space and try again.")


class ReadOnlyLocation(DatabaseError):
    msgid = N_("Jisr Desktop cannot write to {path}. Check the folder's permissions.")


class FolderMissing(JisrError):
    msgid = N_("The folder {path} does not exist: nothing was written.")


class IsAFolder(JisrError):
    msgid = N_("{path} is a folder: give the name of a file in it, for example {example}.")


class CannotWrite(JisrError):
    msgid = N_("{path} could not be written ({reason}): nothing was written.")


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
