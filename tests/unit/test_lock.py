"""The locks in requirements/ (issue 11) agree with pyproject.toml: every dependency of the
extras they cover is pinned within its range, with hashes (a dependency added without
`make lock` fails here, not in a venv that lacks it), the HQ lock holds nothing of the
desktop, the bundle's nothing of HQ or the test tools, and all three pin the same versions."""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.buildkit import REQUIREMENTS, ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _lock(name: str) -> dict[str, tuple[Version, int]]:
    """{package: (pinned version, number of hashes)} of requirements/<name>."""
    pins: dict[str, tuple[Version, int]] = {}
    current = ""
    for line in (REQUIREMENTS / name).read_text(encoding="utf-8").splitlines():
        if m := PIN.match(line):
            current = canonicalize_name(m[1])
            assert current not in pins, f"{name}: {current} pinned twice"
            pins[current] = (Version(m[2]), 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
        elif line.strip() and not line.lstrip().startswith("#"):
            assert line.startswith("    "), f"{name}: unexpected line {line!r}"
    return pins


def _requirements(*extras: str) -> list[Requirement]:
    reqs = [Requirement(r) for r in PROJECT["dependencies"]]
    for extra in extras:
        reqs += [Requirement(r) for r in PROJECT["optional-dependencies"][extra]]
    return reqs


def _in(path: str) -> list[Requirement]:
    return [Requirement(line) for line in (REQUIREMENTS / path).read_text().splitlines()
            if line.strip() and not line.startswith("#")]


LOCKS = {
    "dev.txt": (_requirements("dev", "hq", "desktop") + _in("build.in")),
    "bundle.txt": (_requirements("desktop") + _in("build.in") + _in("bundle.in")),
    "hq.txt": _requirements("hq"),
}
DESKTOP_ONLY = {"pyside6-essentials", "shiboken6", "sqlcipher3", "reportlab", "pyinstaller",
                "keyring", "sqlite-utils", "openpyxl", "pypdfium2", "arabic-reshaper",
                "python-bidi", "lxml", "babel", "httpx", "phonenumbers", "pillow"}
NOT_IN_BUNDLE = {"django", "django-ninja", "psycopg", "uvicorn", "pytest", "pytest-qt",
                 "hypothesis", "mypy", "ruff", "import-linter", "pypdf", "uv"}


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_lock_pins_every_requirement_with_hashes(lock: str) -> None:
    pins = _lock(lock)
    for req in LOCKS[lock]:
        name = canonicalize_name(req.name)
        assert name in pins, f"{lock}: {req} not pinned (run `make lock`)"
        assert req.specifier.contains(pins[name][0], prereleases=True), \
            f"{lock}: {name}=={pins[name][0]} outside {req} (run `make lock`)"
    assert {n: h for n, (_, h) in pins.items() if h == 0} == {}


def test_hq_and_bundle_locks_are_subsets_of_dev() -> None:
    dev = _lock("dev.txt")
    for lock in ("hq.txt", "bundle.txt"):
        pins = _lock(lock)
        assert {n: str(v) for n, (v, _) in pins.items() if dev.get(n, (None,))[0] != v} == {}


def test_hq_lock_has_no_desktop_library() -> None:
    hq = set(_lock("hq.txt"))
    assert hq & DESKTOP_ONLY == set()
    assert {"psycopg-binary", "psycopg-pool"} <= hq  # psycopg[binary,pool]
    assert "gunicorn" not in _lock("dev.txt")


def test_bundle_lock_has_no_hq_or_test_tools() -> None:
    assert set(_lock("bundle.txt")) & NOT_IN_BUNDLE == set()
    assert {"pyinstaller", "pyside6-essentials", "sqlcipher3", "setuptools"} <= set(_lock("bundle.txt"))


def test_build_in_is_the_build_system() -> None:
    declared = {str(Requirement(r)) for r in PYPROJECT["build-system"]["requires"]}
    assert {str(r) for r in _in("build.in")} == declared
