"""Content codings of HQ's API (docs/sync.md, "Compact transfers").

Answers: HQ picks the coding from the client's `Accept-Encoding` — zstd when offered (today's
desktops), else gzip (older desktops), else none (identity) — and says in every API answer
which codings it reads in request bodies (`Accept-Encoding: zstd, gzip`, RFC 7694), so a
desktop knows it may send zstd.

Request bodies: identity, gzip or zstd, decoded with the decompressed size bounded
(`MAX_DECOMPRESSED_BYTES`, a compression bomb stops at the bound) and only one whole stream
accepted: a corrupt, truncated or over-long body is refused with `415 bad_encoding` or
`413 too_large` naming the coding, before any parsing.
"""

from __future__ import annotations

import gzip
import threading
import zlib

import zstandard
from django.conf import settings

from jisr_hq.errors import ApiError
from jisr_protocol import MAX_DECOMPRESSED_BYTES

ZSTD_LEVEL = 9
"""zstd level of answers: the pull benchmark (bench/sync_bytes.py, bench/results/sync-bytes.json)
measured the bytes and HQ's CPU per level; 9 is where more CPU stopped buying bytes."""
GZIP_LEVEL = 6
"""Like django.middleware.gzip.GZipMiddleware (no timestamp)."""

PAGE_JSON_BYTES = 2 * 1024 * 1024
"""For the pull code: the JSON a page may reach before it is cut (besides its row limit), so
that a page of heavy rows (notes) stays some 150 KB in zstd, a few seconds of a 2G link.
Measured on the bench's center: 2,000 rows are ~1.4 MB of JSON and ~100 KB in zstd 9, so the
row limit binds first for ordinary rows (bench/results/sync-bytes.json)."""



def zstd_on() -> bool:
    """Off with JISR_HQ_NO_ZSTD=1 (settings.JISR_HQ_ZSTD): gzip only, like older HQs."""
    return bool(getattr(settings, "JISR_HQ_ZSTD", True))


def accepted_body_codings() -> str:
    """What HQ reads in request bodies, announced in each API answer's `Accept-Encoding`."""
    return "zstd, gzip" if zstd_on() else "gzip"

_ZSTD_MAX_WINDOW = 8 * 1024 * 1024
"""Largest zstd window a request body may need (the decoder's memory bound)."""
_ZSTD_STEP = 512
"""Compressed bytes fed to the zstd decoder at a time: one step inflates to at most a few
MiB (a zstd block of 3 bytes may stand for 128 KiB), so the bound is checked in time."""

_local = threading.local()


def choose(accept_encoding: str) -> str | None:
    """The coding of an answer for this `Accept-Encoding` header, or None (identity).

    The highest q-value wins, HQ's preference breaks ties; `q=0` refuses a coding; `*`
    stands for every coding not named."""
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[name] = weight
    best: tuple[float, int] | None = None
    chosen = None
    preference = ("zstd", "gzip") if zstd_on() else ("gzip",)  # ties: HQ's choice
    for rank, coding in enumerate(preference):
        weight = weights.get(coding, weights.get("*", 0.0))
        if weight > 0 and (best is None or (weight, -rank) > best):
            best, chosen = (weight, -rank), coding
    return chosen


def compress(content: bytes, coding: str) -> bytes:
    """`content` in `coding` ("zstd" or "gzip"); safe on any thread."""
    if coding == "zstd":
        compressor = getattr(_local, "zstd", None)
        if compressor is None:  # a compressor is not thread-safe: one per thread
            compressor = _local.zstd = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
        return compressor.compress(content)  # type: ignore[no-any-return]
    if coding == "gzip":
        return gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)
    raise ValueError(coding)


def decode(data: bytes, encoding: str) -> bytes:
    """The request body `data` sent with `Content-Encoding: encoding`, decoded (ApiError)."""
    encoding = encoding.strip().lower()
    if encoding in {"", "identity"}:
        return data
    if encoding == "gzip":
        return _gunzip(data)
    if encoding == "zstd" and zstd_on():
        return _unzstd(data)
    raise ApiError(
        "bad_encoding",
        f"Unsupported Content-Encoding: {encoding[:20]} (HQ reads {accepted_body_codings()}).",
    )


def _too_large(coding: str) -> ApiError:
    return ApiError(
        "too_large",
        f"Decompressed request body is too large ({coding}: more than"
        f" {MAX_DECOMPRESSED_BYTES // (1024 * 1024)} MiB).",
    )


def _gunzip(data: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, MAX_DECOMPRESSED_BYTES + 1)
    except zlib.error as exc:
        raise ApiError("bad_encoding", "Body is not valid gzip.") from exc
    if len(out) > MAX_DECOMPRESSED_BYTES or inflater.unconsumed_tail:
        raise _too_large("gzip")
    if not inflater.eof:
        raise ApiError("bad_encoding", "Body is truncated gzip.")
    if inflater.unused_data:
        raise ApiError("bad_encoding", "Body has data after its gzip stream.")
    return out


def _unzstd(data: bytes) -> bytes:
    try:
        frame = zstandard.get_frame_parameters(data)
    except zstandard.ZstdError as exc:
        raise ApiError("bad_encoding", "Body is not valid zstd.") from exc
    if frame.dict_id:
        raise ApiError("bad_encoding", "Body is zstd made with a dictionary HQ does not have.")
    if frame.content_size != zstandard.CONTENTSIZE_UNKNOWN and (
        frame.content_size > MAX_DECOMPRESSED_BYTES
    ):
        raise _too_large("zstd")  # said in the frame's header: refused before inflating
    if frame.window_size > _ZSTD_MAX_WINDOW:
        raise ApiError("bad_encoding", "Body is zstd with a window larger than HQ accepts.")
    decoder = zstandard.ZstdDecompressor(max_window_size=_ZSTD_MAX_WINDOW).decompressobj()
    parts: list[bytes] = []
    size = 0
    view = memoryview(data)
    try:
        for start in range(0, len(data), _ZSTD_STEP):
            part = decoder.decompress(view[start : start + _ZSTD_STEP])
            size += len(part)
            if size > MAX_DECOMPRESSED_BYTES:
                raise _too_large("zstd")
            parts.append(part)
            if decoder.eof:
                if decoder.unused_data or start + _ZSTD_STEP < len(data):
                    raise ApiError("bad_encoding", "Body has data after its zstd frame.")
                break
    except zstandard.ZstdError as exc:
        raise ApiError("bad_encoding", "Body is not valid zstd.") from exc
    if not decoder.eof:
        raise ApiError("bad_encoding", "Body is truncated zstd.")
    return b"".join(parts)
