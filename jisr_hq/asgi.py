"""ASGI entry point, wrapped so that an oversized body is refused while it streams in
(Django would otherwise spool a chunked body of any size before checking it).

The sync API (/api/) has its own Django handler with one async middleware (gzip). Django runs
each classic middleware hook through a hop to a sync thread: with the site's nine middlewares
an API request made some twenty hops around its view, and a pipelined batch reached HQ's
merge tens of milliseconds late (measured). The admin keeps the full stack."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string

from jisr_desktop.sync.protocol import MAX_WIRE_BODY_BYTES

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


_ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
_COMPRESS_OFF_LOOP = 64 * 1024
"""Bodies larger than this are compressed on a worker thread, off the event loop."""


class ApiGzipMiddleware:
    """Django's GZipMiddleware for the API, async only (no hop to the sync thread)."""

    sync_capable = False
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]]):
        if not iscoroutinefunction(get_response):
            raise TypeError("ApiGzipMiddleware needs an async handler")
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = await self.get_response(request)
        if response.streaming or response.has_header("Content-Encoding"):
            return response
        content: bytes = response.content  # type: ignore[attr-defined]
        if len(content) < 200:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        if len(content) > _COMPRESS_OFF_LOOP:
            compressed = await sync_to_async(compress_string, thread_sensitive=False)(content)
        else:
            compressed = compress_string(content)
        if len(compressed) < len(content):
            response.content = compressed  # type: ignore[attr-defined]
            response.headers["Content-Length"] = str(len(compressed))
            response.headers["Content-Encoding"] = "gzip"
        return response


class ApiHandler(ASGIHandler):
    """Django's ASGI handler with the API's middleware list instead of settings.MIDDLEWARE."""

    MIDDLEWARE = ("jisr_hq.asgi.ApiGzipMiddleware",)

    def load_middleware(self, is_async: bool = False) -> None:
        saved = settings.MIDDLEWARE
        settings.MIDDLEWARE = list(self.MIDDLEWARE)
        try:
            super().load_middleware(is_async=is_async)
        finally:
            settings.MIDDLEWARE = saved


class ApiRouter:
    """/api/… to the API handler, everything else (admin, static, lifespan) to the site."""

    def __init__(self, api_app: App, site_app: App) -> None:
        self.api_app = api_app
        self.site_app = site_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith("/api/"):
            await self.api_app(scope, receive, send)
        else:
            await self.site_app(scope, receive, send)


# The static handler serves the admin's CSS and scripts, so `jisr-hq serve` is complete on
# its own; a large deployment may put a web server in front for /static/ instead.
_site = ASGIStaticFilesHandler(get_asgi_application())  # sets Django up
application = BodyLimit(ApiRouter(ApiHandler(), _site), MAX_WIRE_BODY_BYTES)
