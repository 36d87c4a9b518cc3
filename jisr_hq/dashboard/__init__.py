"""The ministry's dashboard: indicators kept by pushes, scopes, pages and exports
(docs/hq.md, "Dashboard")."""
