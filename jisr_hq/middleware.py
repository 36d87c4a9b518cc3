"""The sync API's own path through Django: `ApiMiddleware`, first in settings.MIDDLEWARE.

Django runs each classic middleware hook through a hop to a sync thread: with the site's
nine middlewares an API request made some twenty hops around its view, and a pipelined batch
reached HQ's merge tens of milliseconds late (measured). So a request under /api/ is served
by this one async middleware: it resolves the URL, calls the view (a sync view on Django's
sync thread, as Django's own handler does) and compresses the answer in the coding the
client prefers (zstd, else gzip for older desktops, else none: `jisr_hq/encoding.py`), without
the rest of the stack. Everything else (the admin, i18n) goes through the full stack.

Every answer under /api/ is JSON of the protocol's error shape when it is not a view's own
answer: an unknown path is `404 not_found`, a wrong method `405 method_not_allowed`, and an
exception no view handled `500 server_error` (logged with its traceback); a desktop never
receives Django's HTML pages."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from jisr_hq import encoding, tls
from jisr_hq.errors import error_response
from jisr_protocol import pins

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
NEXT_PIN = tls.next_pin() or ""

_COMPRESS_OFF_LOOP = 64 * 1024
"""Bodies larger than this are compressed on a worker thread, off the event loop."""


class ApiMiddleware:
    """Serve /api/… directly (resolve, view, compress); hand every other request on."""

    sync_capable = False
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]]):
        if not iscoroutinefunction(get_response):
            raise TypeError("ApiMiddleware needs an async handler")
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith(API_PREFIX):
            return await self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return error_response("not_found", "There is no such address in HQ's API.")
        request.resolver_match = match
        view = match.func
        if not iscoroutinefunction(view):
            view = sync_to_async(view, thread_sensitive=True)
        try:
            response: HttpResponseBase = await view(request, *match.args, **match.kwargs)
        except Exception:
            log.exception("unexpected failure serving %s %s", request.method, request.path)
            return error_response(
                "server_error", "HQ failed to handle this request; it has been logged."
            )
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allow = response.get("Allow")
            response = error_response(
                "method_not_allowed", f"{request.method} is not allowed at this address."
            )
            if allow:
                response.headers["Allow"] = allow
        if NEXT_PIN:  # a planned key rollover, announced under the current key (docs/security.md)
            response.headers[pins.TLS_NEXT_PIN_HEADER] = NEXT_PIN
        # the codings HQ reads in request bodies (RFC 7694): a desktop then sends zstd
        response.headers["Accept-Encoding"] = encoding.accepted_body_codings()
        return await _compressed(request, response)


async def _compressed(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Django's GZipMiddleware rules for a non-streaming answer, in the coding the client
    prefers (`encoding.choose`), off the event loop when big."""
    if response.streaming or response.has_header("Content-Encoding"):
        return response
    content: bytes = response.content  # type: ignore[attr-defined]
    if len(content) < 200:
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    coding = encoding.choose(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    if coding is None:
        return response
    if len(content) > _COMPRESS_OFF_LOOP:
        compressed = await sync_to_async(encoding.compress, thread_sensitive=False)(content, coding)
    else:
        compressed = encoding.compress(content, coding)
    if len(compressed) < len(content):
        response.content = compressed  # type: ignore[attr-defined]
        response.headers["Content-Length"] = str(len(compressed))
        response.headers["Content-Encoding"] = coding
    return response
