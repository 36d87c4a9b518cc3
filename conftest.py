"""Test-wide set-up: Qt offscreen, no OS key store, a fresh data root per test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["JISR_NO_KEYRING"] = "1"
for _name in list(os.environ):
    if _name.startswith("JISR_") and _name not in {"JISR_NO_KEYRING", "JISR_REQUIRE_PG", "JISR_TEST_PG_URL"}:
        del os.environ[_name]

pytest_plugins = ["tests.fixtures"]
