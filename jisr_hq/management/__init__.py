"""HQ's Django management commands (`jisr-hq COMMAND` or `django-admin COMMAND`); see docs/hq.md."""
