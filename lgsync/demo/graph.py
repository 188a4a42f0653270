"""The demo's graph, from the Streaming API guide: refine a topic, then make a joke of it.

Loaded by ``langgraph dev`` (which brings ``langgraph``), never imported by lgsync itself.
"""

from __future__ import annotations

from typing import TypedDict

from langgraph.graph import END, START, StateGraph  # type: ignore[import-not-found, unused-ignore]


class State(TypedDict):
    topic: str
    joke: str


def refine_topic(state: State) -> dict[str, str]:
    return {"topic": state["topic"] + " and cats"}


def generate_joke(state: State) -> dict[str, str]:
    return {"joke": f"This is a joke about {state['topic']}"}


graph = (
    StateGraph(State)
    .add_node(refine_topic)
    .add_node(generate_joke)
    .add_edge(START, "refine_topic")
    .add_edge("refine_topic", "generate_joke")
    .add_edge("generate_joke", END)
    .compile()
)
