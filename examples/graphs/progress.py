"""A graph with an extension channel: ``progress`` events from a stream transformer.

The node reports its steps with the stream writer; the module's
``stream_transformers`` turns each report into an event on the named
channel ``progress``, which a thread stream reads as
``thread.extensions["progress"]`` (the raw reports stay on ``custom``).
"""

from typing import Any, TypedDict

from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph
from langgraph.stream import StreamChannel, StreamTransformer


class State(TypedDict, total=False):
    steps: int
    done: int


def work(state: State) -> dict:
    writer = get_stream_writer()
    steps = int(state.get("steps", 3))
    for step in range(steps):
        writer({"step": step, "of": steps})
    return {"done": steps}


class ProgressTransformer(StreamTransformer):
    """Forwards each ``{"step": n, "of": total}`` custom report to the ``progress`` channel."""

    # The server's protocol run asks the graph only for the modes its transformers need.
    required_stream_modes = ("custom",)

    def init(self) -> dict[str, Any]:
        self.channel: StreamChannel[dict[str, Any]] = StreamChannel("progress")
        return {"progress": self.channel}

    def process(self, event: Any) -> bool:
        if event.get("method") == "custom":
            data = event.get("params", {}).get("data")
            if isinstance(data, dict) and "step" in data:
                self.channel.push({"percent": round(100 * (data["step"] + 1) / data["of"])})
        return True


def stream_transformers() -> list[Any]:
    return [ProgressTransformer]


graph = StateGraph(State).add_node(work).add_edge(START, "work").compile()
