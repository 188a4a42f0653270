"""Human approval with ``interrupt``: the run stops for a person's answer, then acts on it.

``graph`` asks once (node ``review``); ``parallel`` asks two reviewers at the
same time (nodes ``legal`` and ``finance``), so a resume must say which
interrupt it answers. An answer is ``"approve"``/``"reject"`` or
``{"decision": ..., "note": ...}``.
"""

import operator
from typing import Annotated, Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import interrupt


class State(TypedDict, total=False):
    request: str
    decision: str
    note: str
    outcome: str


def _decision(answer: Any) -> tuple[str, str]:
    if isinstance(answer, dict):
        return str(answer.get("decision", "")), str(answer.get("note", ""))
    return str(answer), ""


def prepare(state: State) -> dict:
    return {"request": state.get("request") or "deploy v2"}


def review(state: State) -> dict:
    answer = interrupt({"question": "Approve this request?", "request": state["request"]})
    decision, note = _decision(answer)
    return {"decision": decision, "note": note}


def act(state: State) -> dict:
    if state.get("decision") == "approve":
        return {"outcome": f"done: {state['request']}"}
    return {"outcome": f"refused: {state['request']}"}


graph = (
    StateGraph(State)
    .add_node(prepare)
    .add_node(review)
    .add_node(act)
    .add_edge(START, "prepare")
    .add_edge("prepare", "review")
    .add_edge("review", "act")
    .add_edge("act", END)
    .compile()
)


class ParallelState(TypedDict, total=False):
    request: str
    approvals: Annotated[list, operator.add]
    outcome: str


def _reviewer(name: str):  # one node per reviewer, each with its own question
    def ask(state: ParallelState) -> dict:
        answer = interrupt({"reviewer": name, "question": f"{name}: approve {state['request']}?"})
        decision, _ = _decision(answer)
        return {"approvals": [f"{name}:{decision}"]}

    ask.__name__ = name
    return ask


def decide(state: ParallelState) -> dict:
    approved = all(item.endswith(":approve") for item in state["approvals"])
    return {"outcome": "approved" if approved else "refused"}


parallel = (
    StateGraph(ParallelState)
    .add_node("legal", _reviewer("legal"))
    .add_node("finance", _reviewer("finance"))
    .add_node(decide)
    .add_edge(START, "legal")
    .add_edge(START, "finance")
    .add_edge(["legal", "finance"], "decide")
    .add_edge("decide", END)
    .compile()
)
