"""ASGI entry point (`jisr-hq serve` runs it with uvicorn), wrapped so that an oversized body
is refused while it streams in (Django would otherwise spool a chunked body of any size before
checking it). The sync API's fast path through Django is jisr_hq/middleware.py."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application

from jisr_protocol import MAX_WIRE_BODY_BYTES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jisr_hq.settings")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

_TOO_LARGE = b'{"code":"too_large","message":"Request body is too large."}'


class BodyLimit:
    """Answer 413 as soon as a request body passes `limit` bytes on the wire."""

    def __init__(self, app: App, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.limit:
            await _refuse(send)
            return
        chunks: list[Message] = []
        size = 0
        while True:
            message = await receive()
            chunks.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.limit:
                await _refuse(send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return chunks.pop(0) if chunks else await receive()

        await self.app(scope, replay, send)


async def _refuse(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": _TOO_LARGE})


# The static handler serves the admin's CSS and scripts, so `jisr-hq serve` is complete on
# its own; a large deployment may put a web server in front for /static/ instead.
application = BodyLimit(
    ASGIStaticFilesHandler(get_asgi_application()),  # sets Django up
    MAX_WIRE_BODY_BYTES,
)
