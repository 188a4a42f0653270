"""A transport that answers from memory, for unit tests of code that uses lgsync.

``MockTransport`` routes requests by method and path pattern to canned JSON
answers and SSE streams, and records every request it receives.

Example::

    import lgsync
    from lgsync.testing import MockTransport

    transport = MockTransport()
    transport.add("POST", "/threads", json={"thread_id": "t-1"})
    transport.add_stream(
        "POST",
        "/threads/{thread_id}/runs/stream",
        [("metadata", {"run_id": "r-1"}), ("updates", {"refine_topic": {"topic": "ice cream and cats"}})],
    )
    client = lgsync.get_sync_client(url="http://langgraph.test", api_key=None, transport=transport)
    thread = client.threads.create()
    parts = list(client.runs.stream(thread["thread_id"], "agent", input={"topic": "ice cream"}))
    assert parts[1].data == {"refine_topic": {"topic": "ice cream and cats"}}
    assert transport.requests[-1].json()["input"] == {"topic": "ice cream"}
"""

from __future__ import annotations

from lgsync.testing._canned import CannedResponse, MockResponse, encode_sse, json_response, sse_response
from lgsync.testing._canned import EventLike as EventLike  # the type of one event, for annotations
from lgsync.testing._mock import Handler as Handler  # the type of a route's handler, for annotations
from lgsync.testing._mock import MockTransport, RecordedRequest, Route, UnmatchedRequestError

__all__ = [
    "CannedResponse",
    "MockResponse",
    "MockTransport",
    "RecordedRequest",
    "Route",
    "UnmatchedRequestError",
    "encode_sse",
    "json_response",
    "sse_response",
]

# Reprs, tracebacks and pickles name `lgsync.testing.MockTransport`, as before
# the split, whichever private module defines it.
for _public in (globals()[_name] for _name in __all__):
    _public.__module__ = __name__
del _public
