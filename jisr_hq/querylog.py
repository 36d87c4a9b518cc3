"""Test hook: every SQL statement HQ runs, one line each, appended to a file.

Inert unless the test hooks are on (jisr_hq/testhooks.py: JISR_HQ_TEST_HOOKS, which needs
JISR_HQ_DEBUG) and JISR_HQ_QUERY_LOG names the file. tests/hq/test_quotas.py counts the lines
to show that held pipelined batches do not hammer the database. Each line is written with
one `write` on a file opened for appending, so the lines of several threads (and worker
processes) never mix."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from django.db.backends.signals import connection_created

from jisr_hq import testhooks

_installed = False


def install() -> None:
    global _installed
    path = os.environ.get("JISR_HQ_QUERY_LOG")
    if _installed or not path or not testhooks.enabled():
        return
    _installed = True

    def log_query(execute: Callable[..., Any], sql: str, params: Any, many: bool,
                  context: dict[str, Any]) -> Any:
        line = (" ".join(str(sql).split())[:100] + "\n").encode()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        return execute(sql, params, many, context)

    def wrap(sender: Any, connection: Any, **kwargs: Any) -> None:
        if log_query not in connection.execute_wrappers:
            connection.execute_wrappers.append(log_query)

    connection_created.connect(wrap, weak=False)
