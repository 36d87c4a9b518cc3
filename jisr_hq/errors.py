"""The one exception the API turns into an error body (see protocol.ErrorBody)."""

from __future__ import annotations

from typing import Any

from jisr_protocol import ERROR_CODES, ErrorBody


class ApiError(Exception):
    """A refusal with a stable code; the HTTP status follows from the code."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        expected_seq: int | None = None,
        detail: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.status = ERROR_CODES[code]
        self.body = ErrorBody(code=code, message=message, expected_seq=expected_seq, detail=detail)
