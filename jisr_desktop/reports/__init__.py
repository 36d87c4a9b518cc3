"""Printouts and exports: ReportLab PDFs in Arabic and French, XLSX/CSV exports, page previews.

Headless (no Qt). Modules: ``text`` (the Arabic recipe), ``fonts`` (bundled Amiri),
``document`` (A4 pages with header and "page N of M"), ``flowables`` (wrapped text, tables),
``exports`` (XLSX/CSV), ``consent`` (law 09-08 receipt), ``render`` (pages to PNG).
See docs/reports/README.md.
"""
