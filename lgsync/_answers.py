"""What an answer means: its body read within a bound, its status as a typed error, its JSON.

The HTTP core reads every answer through these: ordinary JSON answers, the
excerpt of an error body, and the check that a stream answer is an event
stream before any event is read.
"""

from __future__ import annotations

from typing import Any

from lgsync._json import loads
from lgsync.errors import APIConnectionError, APIError, StreamDecodeError, StreamError, excerpt, status_error
from lgsync.transport.base import Response

__all__ = ["ERROR_BODY_LIMIT", "check_event_stream", "json_answer", "json_result", "read_limited"]

#: How much of an error body is read: only an excerpt of it is ever shown.
ERROR_BODY_LIMIT = 64 * 1024


def read_limited(response: Response, limit: int = ERROR_BODY_LIMIT, *, strict: bool = False) -> bytes:
    """Up to ``limit`` bytes of the body (``limit + 1`` at most when ``strict``, to tell it was larger).

    Without ``strict`` a broken connection ends the excerpt quietly: it is
    only ever shown in an error message.
    """
    pieces: list[bytes] = []
    size = 0
    cap = limit + 1 if strict else limit
    try:
        for chunk in response.iter_bytes():
            pieces.append(chunk)
            size += len(chunk)
            if size >= cap:
                break
    except (APIConnectionError, StreamDecodeError):
        if strict:
            raise
    content = pieces[0] if len(pieces) == 1 else b"".join(pieces)
    return content[:cap]


def json_result(content: bytes, method: str, path: str, status_code: int) -> Any:
    """Decode a JSON answer (``None`` if empty); a body that is not JSON raises ``APIError``."""
    if not content or content.isspace():
        return None
    try:
        return loads(content)
    except ValueError as exc:
        raise APIError(
            f"{method} {path} answered {status_code} with a body that is not JSON: {excerpt(content)}",
            body=content,
        ) from exc
    except RecursionError as exc:
        raise APIError(f"{method} {path} answered {status_code} with JSON nested too deeply") from exc


def json_answer(response: Response, method: str, path: str, max_size: int) -> Any:
    """The decoded JSON of ``response`` (at most ``max_size`` bytes), or the typed error its status stands for."""
    if response.status_code >= 300:
        content = read_limited(response)
        raise status_error(response.status_code, content, response.headers, method=method, path=path)
    content = read_limited(response, max_size, strict=True)
    if len(content) > max_size:
        raise APIError(
            f"{method} {path} answered with more than {max_size} bytes "
            "(raise max_response_size if such answers are expected)"
        )
    return json_result(content, method, path, response.status_code)


def check_event_stream(response: Response, method: str, path: str) -> None:
    """Raise the typed error for a stream answer that failed or is not ``text/event-stream``."""
    if response.status_code >= 300:
        content = read_limited(response)
        raise status_error(response.status_code, content, response.headers, method=method, path=path)
    content_type = response.headers.get("content-type", "")
    essence = content_type.split(";", 1)[0].strip().lower()
    if essence != "text/event-stream":
        content = read_limited(response, 512)
        raise StreamError(
            f"{method} {path} answered with Content-Type {content_type or 'none'!r}, "
            f"not an event stream: {excerpt(content, 160)}"
        )
