"""lgsync: a blocking Python client for the LangGraph API server, on requests or urllib3.

import lgsync

client = lgsync.get_sync_client(url="http://127.0.0.1:2024")
for part in client.runs.stream(None, "agent", input={"topic": "ice cream"}, stream_mode="updates"):
    print(part.event, part.data)
"""

from lgsync import errors
from lgsync._version import __version__
from lgsync.client import SyncClient, get_sync_client
from lgsync.retry import Retry
from lgsync.schema import StreamPart
from lgsync.stream import ReconnectingStream
from lgsync.timeouts import Timeout
from lgsync.transport import Request, RequestsTransport, Response, Transport, Urllib3Transport

__all__ = [
    "ReconnectingStream",
    "Request",
    "RequestsTransport",
    "Response",
    "Retry",
    "StreamPart",
    "SyncClient",
    "Timeout",
    "Transport",
    "Urllib3Transport",
    "__version__",
    "errors",
    "get_sync_client",
]
