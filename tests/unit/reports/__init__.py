"""Tests of the PDF and export engine (jisr_desktop.reports)."""
