"""`client.threads.stream(...)`: one thread's streaming session over the server's event protocol.

The names mirror `langgraph_sdk`'s sync thread stream: `ThreadStream` is
its `SyncThreadStream`, `RunCommands` its `SyncRunModule`, `ToolCallHandle`
its `SyncToolCallHandle`, `ScopedStreamHandle` its `SyncScopedStreamHandle`;
`MessageStream` stands where it yields langchain-core's `ChatModelStream`.
`ProtocolError` and `RunFailedError` are those of `lgsync.errors`.

For contributors, the package is split by idea: `_protocol` reads and
filters protocol events; `_messages` and `_tool_calls` build messages and
tool calls from them; `_projections` and `_scoped` are what a session shows
(the latter per subgraph), and `_interleave` several of them over one
connection; `_reader` reads and reopens a thread's event stream; `_run_state`
is what the session knows of the run it follows; `_commands` is what it sends
(`thread.run`, `thread.agent`); and `_session` is the session itself.
"""

from __future__ import annotations

# isort: off
# The reference page lists these names in the order they are imported here.
from lgsync.errors import ProtocolError, RunFailedError
from lgsync.resources.thread_stream._messages import MessageStream, TextStream
from lgsync.resources.thread_stream._tool_calls import ToolCallHandle
from lgsync.resources.thread_stream._projections import (
    ExtensionProjection,
    ExtensionsProjection,
    MessagesProjection,
    ToolCallsProjection,
    ValuesProjection,
)
from lgsync.resources.thread_stream._protocol import ALL_CHANNELS
from lgsync.resources.thread_stream._scoped import ScopedStreamHandle, SubgraphsProjection, SubgraphStatus
from lgsync.resources.thread_stream._commands import AgentCommands
from lgsync.resources.thread_stream._run_state import InterruptPayload
from lgsync.resources.thread_stream._commands import RunCommands
from lgsync.resources.thread_stream._session import ThreadStream
# isort: on

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
