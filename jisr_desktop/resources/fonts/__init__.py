"""Bundled fonts (Amiri, SIL OFL 1.1; see OFL.txt). A package so that setuptools ships the TTFs."""
