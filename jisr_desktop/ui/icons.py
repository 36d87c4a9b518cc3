"""The icon set (issue 13, point 8): one small outline icon per section and per main action.

The icons are Lucide's (https://lucide.dev, ISC licence, some derived from Feather under the
MIT licence: resources/icons/LICENSE.txt), copied unchanged as SVG files into
``jisr_desktop/resources/icons/`` from the lucide-icons/lucide repository at commit
33a44aa8b0b43d9b0ed14eb08860a1b5550a1573 — bundled with the wheel (package-data ``*.svg``,
``*.txt``) and the PyInstaller bundle (build.spec takes everything under resources/), never
downloaded. They draw with ``currentColor``: the colour is chosen here when an icon is drawn.

- `section_icon(key)`: the navigation's icon of a section (`SECTION_ICONS`).
- `decorate(root)`: gives every button under `root` whose object name is in `BUTTON_ICONS` its
  icon, and marks the main actions (`MAIN_ACTIONS`) with the property ``action="main"``, which
  the one stylesheet (ui/style.py) draws larger. Called by the main window for each screen
  and again after a language change: arrows (`DIRECTIONAL`) point the way the text reads, so
  they are mirrored in Arabic.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from jisr_desktop import paths

# The calm ink of the icons (the teal of the program's own icon, resources/icons/jisr.png).
INK = "#0f766e"
SELECTED_INK = "#ffffff"  # on the navigation's highlighted row
SIZES = (16, 20, 24, 32, 48)

SECTION_ICONS = {
    "today": "house",
    "reception": "concierge-bell",
    "people": "users",
    "nursery": "baby",
    "elderly": "armchair",
    "club_activities": "heart-handshake",
    "workshops": "graduation-cap",
    "campaigns": "megaphone",
    "followup": "clipboard-list",
    "case_notes": "notebook-pen",
    "reports": "file-text",
    "sync": "refresh-cw",
    "accounts": "user-cog",
    "backups": "archive",
    "settings": "settings",
}

# Buttons by object name (the names the screens already give them).
BUTTON_ICONS = {
    "newPerson": "user-plus", "registerPerson": "user-plus", "savePerson": "save",
    "logVisit": "check", "signIn": "log-in", "lockButton": "lock", "signOutButton": "log-out",
    "checkInButton": "log-in", "checkOutButton": "log-out", "confirmCheckOut": "log-out",
    "enrollButton": "user-plus", "enrollChild": "user-plus", "enrollMember": "user-plus",
    "enrollParticipant": "user-plus", "addMember": "user-plus", "addParticipant": "user-plus",
    "addActivityParticipant": "user-plus", "createHousehold": "plus", "createAccount": "plus",
    "newWorkshop": "plus", "newCampaign": "plus", "newActivity": "plus", "addSession": "plus",
    "newCounsellingNote": "plus", "newMediationNote": "plus",
    "cardButton": "credit-card", "printCard": "credit-card", "reprintCard": "credit-card",
    "renewButton": "calendar-sync", "renewSave": "calendar-sync",
    "ackButton": "circle-check", "todayAcknowledge": "circle-check",
    "previewReport": "eye", "printReport": "printer", "saveReport": "save",
    "zoomIn": "zoom-in", "zoomOut": "zoom-out", "zoomFit": "maximize-2",
    "saveWorkshop": "save", "saveCampaign": "save", "saveActivity": "save",
    "saveCaseNote": "save", "syncNow": "refresh-cw", "backupNow": "archive",
}

# The actions a receptionist does all day: drawn larger (style.py, ``action="main"``).
MAIN_ACTIONS = frozenset({"newPerson", "registerPerson", "savePerson", "logVisit", "signIn",
                          "checkInButton", "checkOutButton", "printReport"})

# Icons that point along the line of text (a door with an arrow in or out): mirrored in
# right-to-left text, as the arrows of the wizard are.
DIRECTIONAL = frozenset({"log-in", "log-out"})


def icon_path(name: str) -> str:
    return str(paths.resource("icons", f"{name}.svg"))


@cache
def _svg(name: str, color: str) -> bytes:
    with open(icon_path(name), encoding="utf-8") as f:
        return f.read().replace("currentColor", color).encode("utf-8")


def _pixmap(renderer: QSvgRenderer, size: int, ratio: float, mirrored: bool) -> QPixmap:
    pixels = max(1, round(size * ratio))
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    if mirrored:
        image = image.flipped(Qt.Orientation.Horizontal)
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def right_to_left() -> bool:
    return QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft


def icon(name: str, *, color: str = INK, mirrored: bool | None = None) -> QIcon:
    """The icon `name` (a file under resources/icons/) drawn in `color`; a directional icon
    is mirrored in right-to-left text unless `mirrored` says otherwise."""
    if mirrored is None:
        mirrored = name in DIRECTIONAL and right_to_left()
    renderer = QSvgRenderer(QByteArray(_svg(name, color)))
    if not renderer.isValid():
        raise ValueError(f"icon {name!r} is not a valid SVG file")
    ratio = _ratio()
    result = QIcon()
    for size in SIZES:
        result.addPixmap(_pixmap(renderer, size, ratio, mirrored))
    return result


def _ratio() -> float:
    app = QGuiApplication.instance()
    return app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0


def section_icon(key: str) -> QIcon:
    """The section's icon; white on the highlighted (selected) row of the navigation."""
    name = SECTION_ICONS.get(key)
    if not name:
        return QIcon()
    result = icon(name)
    renderer = QSvgRenderer(QByteArray(_svg(name, SELECTED_INK)))
    for size in SIZES:
        result.addPixmap(_pixmap(renderer, size, _ratio(), False), QIcon.Mode.Selected)
    return result


def _decorate_button(button: QAbstractButton) -> None:
    name = BUTTON_ICONS.get(button.objectName())
    if name is None:
        return
    button.setIcon(icon(name))
    if button.iconSize().width() < 20:
        button.setIconSize(QSize(20, 20))
    if button.objectName() in MAIN_ACTIONS and button.property("action") != "main":
        button.setProperty("action", "main")
        button.style().unpolish(button)
        button.style().polish(button)


def decorate(root: QWidget) -> None:
    """Icons on the known buttons under `root` (and `root` itself), the main actions marked
    (see the module's docstring). Safe to call again: after a language change it mirrors."""
    buttons = [root] if isinstance(root, QAbstractButton) else []
    buttons += root.findChildren(QAbstractButton)
    for button in buttons:
        _decorate_button(button)


class _Decorator(QObject):
    """Decorates each known button when it is first polished (shown), on every screen and
    dialog, and again when the layout direction changes (a language switch)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Polish, QEvent.Type.LayoutDirectionChange) \
                and isinstance(watched, QAbstractButton) and watched.objectName() in BUTTON_ICONS:
            _decorate_button(watched)
        return False


def install(app: QApplication) -> None:
    """Decorate the application's buttons from now on (once per application)."""
    if app.findChild(_Decorator, "jisrIcons") is None:
        decorator = _Decorator(app)
        decorator.setObjectName("jisrIcons")
        app.installEventFilter(decorator)


def icon_name(button: QAbstractButton) -> str | None:
    """The icon `decorate` gives `button` (None: none)."""
    return BUTTON_ICONS.get(button.objectName())
