"""Jisr Desktop: the records system of a Jisr al-Usra (Family Bridge) center."""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("jisr-desktop")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
