"""Jisr HQ: the headquarters server that every center desktop syncs with (see docs/sync.md)."""
