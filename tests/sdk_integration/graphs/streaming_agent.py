"""``agent``: a message streamed token by token, a tool call, a question for a person, then a nested graph.

The path is ``stream_message -> call_tool -> ask_human -> run_subgraph``.
Each step appends its marker to ``items`` (``streamed``, ``tool``,
``asked``, ``sub``) and reports its start and end on the ``progress``
extension channel, so a finished run and a paused one look the same on
every run.
"""

from __future__ import annotations

import asyncio
import operator
from typing import Annotated, Any, TypedDict

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import tool
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.stream.transformers import CustomTransformer, UpdatesTransformer
from langgraph.types import interrupt
from scripted_chat import ScriptedChatModel

GREETING = "Hello, world!"


class Greeter(ScriptedChatModel):
    """Always says ``GREETING``."""

    def reply(self, messages: list[BaseMessage]) -> AIMessage:
        return AIMessage(content=GREETING, id="greeting")


class State(TypedDict):
    messages: Annotated[list[BaseMessage], add_messages]
    value: str
    items: Annotated[list[str], operator.add]


@tool
def lookup(query: str) -> str:
    """Find ``query`` in a small fixed index."""
    return f"found: {query}"


def _progress(step: str, phase: str, **extra: Any) -> None:
    get_stream_writer()({"name": "progress", "step": step, "phase": phase, **extra})


async def stream_message(state: State, config: RunnableConfig) -> dict[str, Any]:
    _progress("stream_message", "start")
    # ``hold_seconds`` keeps the run busy here, so a test can cancel a run it knows is running.
    hold = config.get("configurable", {}).get("hold_seconds")
    if hold:
        await asyncio.sleep(float(hold))
    reply = await Greeter().ainvoke([])
    _progress("stream_message", "end")
    return {"messages": [reply], "value": "x", "items": ["streamed"]}


def call_tool(state: State) -> dict[str, Any]:
    _progress("call_tool", "start")
    call = {"id": "lookup-1", "name": "lookup", "args": {"query": "v3"}}
    asked = AIMessage(content="", id="asks-lookup", tool_calls=[call])
    answer = ToolMessage(content=lookup.invoke(call["args"]), tool_call_id=call["id"])
    _progress("call_tool", "end")
    return {"messages": [asked, answer], "items": ["tool"]}


def ask_human(state: State) -> dict[str, Any]:
    _progress("ask_human", "start")
    answer = interrupt("Are we good?")
    _progress("ask_human", "end", answer=str(answer))
    return {"messages": [AIMessage(content=f"You said {answer}", id="heard")], "items": ["asked"]}


class Inner(TypedDict):
    note: str


def _inner_step(state: Inner) -> dict[str, Any]:
    return {"note": "inner ran"}


inner = StateGraph(Inner).add_node("inner_step", _inner_step).add_edge(START, "inner_step").compile()


def run_subgraph(state: State) -> dict[str, Any]:
    _progress("run_subgraph", "start")
    inner.invoke({"note": ""})
    _progress("run_subgraph", "end")
    return {"items": ["sub"]}


graph = (
    StateGraph(State)
    .add_node("stream_message", stream_message)
    .add_node("call_tool", call_tool)
    .add_node("ask_human", ask_human)
    .add_node("run_subgraph", run_subgraph)
    .add_edge(START, "stream_message")
    .add_edge("stream_message", "call_tool")
    .add_edge("call_tool", "ask_human")
    .add_edge("ask_human", "run_subgraph")
    .add_edge("run_subgraph", END)
    # The server's protocol run streams ``custom`` (the progress reports) and ``updates`` only when asked.
    .compile(name="sdk_integration_agent", transformers=[CustomTransformer, UpdatesTransformer])
)
