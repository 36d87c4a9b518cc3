"""Per-field validation messages, kept untranslated until shown (the domain does no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, Literal

from jisr_desktop.i18n import translate

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class FieldMessage:
    """One message about one field. A warning never blocks saving; an error does."""

    field: str
    severity: Severity
    msgid: str
    params: dict[str, Any] = dc_field(default_factory=dict)

    def text(self, lang: str | None = None) -> str:
        # a parameter that is itself a message (a field's name) is shown in the same language
        params = {k: v.translated(lang) if hasattr(v, "translated") else v for k, v in self.params.items()}
        return translate(self.msgid, lang, **params)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def errors_of(messages: list[FieldMessage]) -> list[FieldMessage]:
    return [m for m in messages if m.is_error]
