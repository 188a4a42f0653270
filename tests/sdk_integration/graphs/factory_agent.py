"""``factory_agent``: a graph built per run by a factory that takes the config and the server's runtime.

The graph echoes ``text`` and reports what the runtime said: the access
context and whether it was built to execute a run.
"""

from __future__ import annotations

from typing import TypedDict

from langchain_core.runnables import RunnableConfig
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.store.base import BaseStore
from langgraph_sdk.runtime import ServerRuntime


class Echo(TypedDict, total=False):
    text: str
    access_context: str
    is_for_execution: bool


async def make_graph(config: RunnableConfig, runtime: ServerRuntime) -> CompiledStateGraph:
    """Build the echo graph (the server finds the runtime parameter by its ``ServerRuntime`` annotation)."""
    if not isinstance(runtime.store, BaseStore):
        raise TypeError(f"expected the server's runtime with a store, got {type(runtime).__name__}")
    context = str(runtime.access_context)
    executing = runtime.execution_runtime is not None

    def echo(state: Echo) -> Echo:
        return {"text": f"{state.get('text', '')} echoed", "access_context": context, "is_for_execution": executing}

    return StateGraph(Echo).add_node("echo", echo).add_edge(START, "echo").add_edge("echo", END).compile()
