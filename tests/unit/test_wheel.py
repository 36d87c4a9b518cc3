"""The wheel (issue 11): built from a clean copy of the sources (no .mo files, as a fresh
checkout), it carries the compiled gettext catalogs of the desktop and of HQ, and its
metadata asks for no desktop library unless the `desktop` extra is named."""

from __future__ import annotations

import gettext
import io
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from packaging.requirements import Requirement

from tests.buildkit import ROOT, build_wheel

CATALOGS = [
    ("jisr_desktop/resources/locale", "ar", "jisr"),
    ("jisr_desktop/resources/locale", "fr", "jisr"),
    ("jisr_desktop/resources/locale", "en", "jisr"),
    ("jisr_hq/locale", "ar", "django"),
    ("jisr_hq/locale", "fr", "django"),
]
DESKTOP_ONLY = {"pyside6-essentials", "sqlcipher3", "reportlab", "pyinstaller", "keyring",
                "sqlite-utils", "openpyxl", "pypdfium2", "arabic-reshaper", "python-bidi"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    path = build_wheel(tmp)
    # the build compiled into its build folder only: the copied sources hold no .mo
    assert not [p for pkg in ("jisr_desktop", "jisr_hq") for p in (tmp / "src" / pkg).rglob("*.mo")]
    return path


def _translated(po: Path) -> tuple[str, str]:
    """One translated, non-fuzzy, singular entry of a catalog: (msgid, msgstr)."""
    with po.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if (message.id and isinstance(message.id, str) and message.string
                and not message.fuzzy and message.string != message.id):
            return message.id, str(message.string)
    raise AssertionError(f"{po}: no translated entry")


@pytest.mark.parametrize(("folder", "lang", "domain"), CATALOGS)
def test_wheel_carries_compiled_catalogs(wheel: Path, folder: str, lang: str, domain: str) -> None:
    name = f"{folder}/{lang}/LC_MESSAGES/{domain}.mo"
    with zipfile.ZipFile(wheel) as zf:
        assert name in zf.namelist(), f"{name} missing from {wheel.name}"
        data = zf.read(name)
    # a real catalog, compiled from the .po of the sources
    translations = gettext.GNUTranslations(io.BytesIO(data))
    po = ROOT / folder / lang / "LC_MESSAGES" / f"{domain}.po"
    if lang == "en":  # English msgids: the catalog exists, mostly untranslated
        assert translations.info().get("language", "").startswith("en")
        return
    msgid, msgstr = _translated(po)
    assert translations.gettext(msgid) == msgstr


def test_wheel_metadata_base_is_the_protocol_only(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        meta_name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(zf.read(meta_name).decode())
    requirements = [Requirement(r) for r in metadata.get_all("Requires-Dist") or []]
    by_extra: dict[str, set[str]] = {}
    for req in requirements:
        extras = [e for e in ("desktop", "hq", "dev")
                  if req.marker is not None and req.marker.evaluate({"extra": e})]
        for extra in extras or [""]:
            by_extra.setdefault(extra, set()).add(req.name.lower())
    assert by_extra[""] == {"pydantic", "orjson"}
    assert not by_extra["hq"] & DESKTOP_ONLY
    assert "gunicorn" not in set().union(*by_extra.values())
    assert {"pyside6-essentials", "sqlcipher3", "reportlab"} <= by_extra["desktop"]
    assert {"django", "django-ninja", "uvicorn"} <= by_extra["hq"]


def test_wheel_carries_the_icons_and_their_licence(wheel: Path) -> None:
    """Issue 13 (point 8): the bundled Lucide icons and their licence are in the wheel."""
    icons = ROOT / "jisr_desktop" / "resources" / "icons"
    wanted = {f"jisr_desktop/resources/icons/{p.name}" for p in icons.glob("*.svg")}
    wanted.add("jisr_desktop/resources/icons/LICENSE.txt")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert len(wanted) > 20 and wanted <= names, sorted(wanted - names)
        assert b"ISC License" in zf.read("jisr_desktop/resources/icons/LICENSE.txt")
