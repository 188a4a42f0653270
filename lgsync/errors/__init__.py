"""Exceptions raised by lgsync, named as in `langgraph_sdk.errors`.

User code catches these and never a requests or urllib3 exception. They are
organised by what the caller does about them:

```text
LangGraphError
 ├── APIError                      .message, .body, .code, .param, .type
 │    ├── APIConnectionError       no usable answer from the server
 │    │    ├── APITimeoutError     connect, read or stream-idle timeout
 │    │    └── StreamError         an SSE stream could not be read or resumed
 │    ├── StreamDecodeError        bytes that are not a valid event (trying again cannot help)
 │    └── APIStatusError           .status_code, .method, .path, .request_id, .headers, .retry_after
 │         ├── BadRequestError            400
 │         ├── AuthenticationError        401
 │         ├── PermissionDeniedError      403
 │         ├── NotFoundError              404
 │         ├── ConflictError              409
 │         ├── UnprocessableEntityError   422
 │         ├── RateLimitError             429
 │         ├── InternalServerError        5xx
 │         └── RedirectError              3xx that lgsync refused to follow
 ├── RunRestartedError             the server started a streamed run again (attempt 2): .run_id, .attempt
 ├── RunError                      runs.wait(raise_error=True): the run failed; .error, .message, .body
 ├── RunFailedError                a thread stream's run failed (also a RuntimeError)
 └── ProtocolError                 the server refused a thread-stream command (also a RuntimeError)
```

As in the SDK, `str(exc) == exc.message` is the server's own message when
it sent one; `APIStatusError.describe()` adds the status and the call.
Connection failures and 429/5xx answers of calls that are safe to repeat
are retried before they reach you (the client's `retry=` policy), and a
broken stream is resumed first (`stream_retry=`): an error you catch is
one those policies gave up on.
"""

from __future__ import annotations

# The classes live in private modules, one idea each; this module is their one public home.
from lgsync.errors._base import APIError, LangGraphError
from lgsync.errors._base import _restore as _restore  # named by pickles made before the split, too
from lgsync.errors._connection import APIConnectionError, APITimeoutError, StreamDecodeError, StreamError
from lgsync.errors._runs import ProtocolError, RunError, RunFailedError, RunRestartedError
from lgsync.errors._status import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RedirectError,
    UnprocessableEntityError,
)
from lgsync.errors._status_error import status_error
from lgsync.errors._text import MESSAGE_LIMIT as MESSAGE_LIMIT
from lgsync.errors._text import bounded_str as bounded_str
from lgsync.errors._text import excerpt as excerpt

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "LangGraphError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProtocolError",
    "RateLimitError",
    "RedirectError",
    "RunError",
    "RunFailedError",
    "RunRestartedError",
    "StreamDecodeError",
    "StreamError",
    "UnprocessableEntityError",
    "status_error",
]

# Tracebacks, reprs, help() and pickles name `lgsync.errors.NotFoundError`, as
# before the split, whichever private module defines the class.
for _public in [*(globals()[_name] for _name in __all__), _restore, bounded_str, excerpt]:
    _public.__module__ = __name__
del _public
