"""One build step on top of pyproject.toml: the gettext catalogs (.po) are compiled to .mo
with Babel whenever the project is built, so every wheel carries its translations (the .mo
files are build products, never committed).

- a wheel (`pip wheel .`, `pip install .`, `python -m build`): the .mo files are written
  into the build directory next to the copied .po files, the source tree stays untouched;
- an editable install (`pip install -e .`): they are written next to the .po sources, as
  `make compile-translations` does.

The desktop's catalogs (domain `jisr`) keep fuzzy entries, as `make compile-translations`
does; HQ's Django catalogs (domain `django`) do not.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# (folder holding <lang>/LC_MESSAGES/<domain>.po, whether fuzzy entries are used)
CATALOG_DIRS = (("jisr_desktop/resources/locale", True), ("jisr_hq/locale", False))


def compile_catalogs(base: Path) -> list[Path]:
    """Compile every <lang>/LC_MESSAGES/*.po under the catalog folders of `base`."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for folder, use_fuzzy in CATALOG_DIRS:
        for po in sorted((base / folder).glob("*/LC_MESSAGES/*.po")):
            lang = po.parent.parent.name
            with po.open("rb") as f:
                catalog = read_po(f, locale=lang, domain=po.stem)
            mo = po.with_suffix(".mo")
            tmp = mo.with_name(mo.name + ".tmp")
            with tmp.open("wb") as f:
                write_mo(f, catalog, use_fuzzy=use_fuzzy)
            os.replace(tmp, mo)  # readers of the old catalog never see half a file
            written.append(mo)
    if not written:
        raise SystemExit(f"setup.py: no gettext catalogs found under {base}")
    return written


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        compile_catalogs(ROOT if self.editable_mode else Path(self.build_lib))


setup(cmdclass={"build_py": BuildPyWithCatalogs})
