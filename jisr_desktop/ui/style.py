"""The application's one stylesheet (docs/architecture.md, "The desktop at run time").

Widgets never carry a stylesheet of their own: they say what they are and the sheet below,
set once on the `QApplication`, says how that looks.

- `set_role(widget, role)`: what a piece of text is — ``"title"`` (a screen's title),
  ``"heading"`` (a bold heading), ``"arrival"`` (the large name on the scan box),
  ``"cardCode"`` (a member card code), ``"page"`` (a page of a print preview), ``"empty"``
  (what a list with nothing in it says, large and calm).
- A button named as a main action in ui/icons.py carries ``action="main"``: drawn taller
  and bold, a larger target for the actions of every day.
- `set_tone(widget, tone)`: what the text says — ``"error"``, ``"alert"`` (an error in bold),
  ``"warning"``, ``"ok"``, ``"success"`` (ok in bold), ``"busy"``, ``"notice"`` (the status
  bar's warning), ``"muted"``; ``None`` takes the tone away.

Both are dynamic properties (``role``, ``tone``): a test reads them with `tone_of` and
`role_of`. The rules use no left or right, so they hold in Arabic (right to left) as in
French.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

# The palette: one colour per meaning.
COLORS = {
    "error": "#b00020",
    "warning": "#8a5a00",
    "ok": "#1b5e20",
    "busy": "#0d47a1",
    "notice": "#e65100",
    "muted": "#555555",
    "card_background": "#fff8e1",
    "card_border": "#e0b000",
    "page_border": "#999999",
}

TONES = ("error", "alert", "warning", "ok", "success", "busy", "notice", "muted")
ROLES = ("title", "heading", "arrival", "cardCode", "page", "empty")

# What a sync level of the status bar (ok, busy, warning, error, idle) looks like.
LEVEL_TONES = {"ok": "ok", "busy": "busy", "warning": "notice", "error": "error", "idle": "muted"}

STYLESHEET = f"""
*[role="title"] {{ font-size: 15pt; font-weight: bold; }}
*[role="heading"] {{ font-weight: bold; }}
*[role="arrival"] {{ font-size: 14pt; font-weight: bold; }}
*[role="cardCode"] {{ font-size: 28pt; font-weight: bold; font-family: monospace; letter-spacing: 2px; }}
QLabel[role="page"] {{ border: 1px solid {COLORS["page_border"]}; background: white; }}
#duplicateCard {{ background: {COLORS["card_background"]}; border: 1px solid {COLORS["card_border"]}; }}
*[tone="error"] {{ color: {COLORS["error"]}; }}
*[tone="alert"] {{ color: {COLORS["error"]}; font-weight: bold; }}
*[tone="warning"] {{ color: {COLORS["warning"]}; }}
*[tone="ok"] {{ color: {COLORS["ok"]}; }}
*[tone="success"] {{ color: {COLORS["ok"]}; font-weight: bold; }}
*[tone="busy"] {{ color: {COLORS["busy"]}; }}
*[tone="notice"] {{ color: {COLORS["notice"]}; }}
*[tone="muted"] {{ color: {COLORS["muted"]}; }}
QPushButton[action="main"] {{ min-height: 40px; padding: 2px 16px; font-weight: bold; }}
#navigation {{ font-size: 11pt; }}
#navigation::item {{ min-height: 32px; padding: 0 4px; }}
QLabel[role="empty"] {{ color: {COLORS["muted"]}; font-size: 12pt; padding: 24px; }}
"""


def apply_style(app: QApplication) -> None:
    """Set the application's stylesheet (once; calling it again changes nothing)."""
    if app.styleSheet() != STYLESHEET:
        app.setStyleSheet(STYLESHEET)


def _repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def set_tone(widget: QWidget, tone: str | None) -> None:
    """Give `widget` a tone from `TONES` (None: the ordinary text colour)."""
    if tone is not None and tone not in TONES:
        raise ValueError(f"unknown tone {tone!r}")
    if widget.property("tone") != tone:
        widget.setProperty("tone", tone)
        _repolish(widget)


def set_role(widget: QWidget, role: str) -> None:
    """Say what `widget`'s text is, from `ROLES`."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    widget.setProperty("role", role)
    _repolish(widget)


def tone_of(widget: QWidget) -> str | None:
    value = widget.property("tone")
    return str(value) if value else None


def role_of(widget: QWidget) -> str | None:
    value = widget.property("role")
    return str(value) if value else None
