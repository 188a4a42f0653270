"""Custom data: writes ``count`` numbered events with the stream writer.

Input: ``{"count": 3, "delay": 0.0, "size": 0}``. Each event is
``{"i": n, "pad": "..."}`` (``size`` characters of padding); ``delay`` seconds
pass between events. The reliability tests stream 2000 of them.
"""

import time
from typing import TypedDict

from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph


class State(TypedDict, total=False):
    query: str
    count: int
    delay: float
    size: int
    written: int


def emit(state: State) -> dict:
    writer = get_stream_writer()
    count = int(state.get("count", 3))
    delay = float(state.get("delay", 0.0))
    pad = "x" * int(state.get("size", 0))
    for i in range(count):
        writer({"i": i, "pad": pad} if pad else {"i": i})
        if delay:
            time.sleep(delay)
    return {"written": count}


graph = StateGraph(State).add_node(emit).add_edge(START, "emit").compile()
