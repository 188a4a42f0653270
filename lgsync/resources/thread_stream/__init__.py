"""``client.threads.stream(...)``: one thread's streaming session over the server's event protocol.

Split by idea: :mod:`._protocol` reads and filters protocol events,
:mod:`._assembly` builds messages and tool calls from them,
:mod:`._projections` and :mod:`._scoped` are what a session shows (the
latter per subgraph), and :mod:`._session` is the session itself.
"""

from __future__ import annotations

from lgsync.errors import ProtocolError, RunFailedError
from lgsync.resources.thread_stream._assembly import MessageStream, TextStream, ToolCallHandle
from lgsync.resources.thread_stream._projections import (
    ExtensionProjection,
    ExtensionsProjection,
    MessagesProjection,
    ToolCallsProjection,
    ValuesProjection,
)
from lgsync.resources.thread_stream._protocol import ALL_CHANNELS
from lgsync.resources.thread_stream._scoped import ScopedStreamHandle, SubgraphsProjection, SubgraphStatus
from lgsync.resources.thread_stream._session import AgentCommands, InterruptPayload, RunCommands, ThreadStream

__all__ = [
    "ALL_CHANNELS",
    "AgentCommands",
    "ExtensionProjection",
    "ExtensionsProjection",
    "InterruptPayload",
    "MessageStream",
    "MessagesProjection",
    "ProtocolError",
    "RunCommands",
    "RunFailedError",
    "ScopedStreamHandle",
    "SubgraphStatus",
    "SubgraphsProjection",
    "TextStream",
    "ThreadStream",
    "ToolCallHandle",
    "ToolCallsProjection",
    "ValuesProjection",
]
