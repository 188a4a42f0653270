"""The guide's subgraph example: a parent graph whose second node is a graph."""

from typing import TypedDict

from langgraph.graph import START, StateGraph


class SubgraphState(TypedDict):
    foo: str  # shared with the parent graph's state
    bar: str


def subgraph_node_1(state: SubgraphState) -> dict:
    return {"bar": "bar"}


def subgraph_node_2(state: SubgraphState) -> dict:
    return {"foo": state["foo"] + state["bar"]}


subgraph_builder = StateGraph(SubgraphState)
subgraph_builder.add_node(subgraph_node_1)
subgraph_builder.add_node(subgraph_node_2)
subgraph_builder.add_edge(START, "subgraph_node_1")
subgraph_builder.add_edge("subgraph_node_1", "subgraph_node_2")
subgraph = subgraph_builder.compile()


class ParentState(TypedDict):
    foo: str


def node_1(state: ParentState) -> dict:
    return {"foo": "hi! " + state["foo"]}


builder = StateGraph(ParentState)
builder.add_node("node_1", node_1)
builder.add_node("node_2", subgraph)
builder.add_edge(START, "node_1")
builder.add_edge("node_1", "node_2")
graph = builder.compile()
