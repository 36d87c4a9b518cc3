"""Free text typed into a service: refused when it holds a control character, with a message
naming the field (the forms' own checks are in the domain: `normalize.control_messages`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from jisr_desktop import errors
from jisr_desktop.domain.normalize import control_messages


def refuse_control(values: Mapping[str, Any], labels: Mapping[str, str], *,
                   multiline: Iterable[str] = ()) -> None:
    """Raise a `JisrError` about the first field of `labels` (field → msgid of its name)
    whose value in `values` holds a control character; nothing is written then."""
    found = control_messages(values, labels, multiline=multiline)
    if found:
        raise errors.JisrError(found[0].msgid, field=found[0].field, **found[0].params)
