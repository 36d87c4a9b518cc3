"""Staff roles shared by the desktop's accounts and HQ's staff reference rows."""

from __future__ import annotations

ROLES = ("receptionist", "coordinator", "counsellor", "admin")
