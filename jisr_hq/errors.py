"""The one exception the API turns into an error body (see protocol.ErrorBody), and the error
body of an answer no view gave (404, 405, an unexpected failure): every answer under /api/ is
JSON of the ErrorBody shape, never an HTML page."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from jisr_protocol import ERROR_CODES, ErrorBody

HQ_ERROR_CODES = {
    "not_found": 404,
    "method_not_allowed": 405,
    "quota_exceeded": 429,
    "rate_limited": 429,
    "server_error": 500,
}
"""Codes HQ answers besides the protocol's `ERROR_CODES` (a desktop shows any code's
message as it is; older desktops treat an unknown code as a failed sync and retry later)."""

STATUS = {**ERROR_CODES, **HQ_ERROR_CODES}


class ApiError(Exception):
    """A refusal with a stable code; the HTTP status follows from the code."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        expected_seq: int | None = None,
        detail: list[dict[str, Any]] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.status = STATUS[code]
        self.retry_after = retry_after
        self.body = ErrorBody(code=code, message=message, expected_seq=expected_seq, detail=detail)

    def response(self) -> HttpResponse:
        answer = HttpResponse(
            self.body.model_dump_json(), status=self.status, content_type="application/json"
        )
        if self.retry_after is not None:
            answer.headers["Retry-After"] = str(self.retry_after)
        return answer


def error_response(code: str, message: str) -> HttpResponse:
    """The JSON error answer of `code` (for answers no view raised)."""
    return ApiError(code, message).response()
