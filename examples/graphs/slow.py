"""A run that takes a while: ``steps`` custom events, ``delay`` seconds apart.

Used to show cancellation: joined with ``cancel_on_disconnect=True``,
breaking out of the loop leaves the run ``interrupted`` on the server.
"""

import asyncio
from typing import TypedDict

from langgraph.config import get_stream_writer
from langgraph.graph import START, StateGraph


class State(TypedDict, total=False):
    steps: int
    delay: float
    done: int


async def work(state: State) -> dict:
    writer = get_stream_writer()
    steps = int(state.get("steps", 20))
    delay = float(state.get("delay", 0.1))
    for step in range(steps):
        writer({"step": step})
        await asyncio.sleep(delay)  # async, so that a cancel stops the run at once
    return {"done": steps}


graph = StateGraph(State).add_node(work).add_edge(START, "work").compile()
