"""A parent graph with a named subagent: ``researcher`` is a tool-calling agent run as a subgraph.

Its messages and tool calls stream under the namespace
``["researcher:<task id>", ...]``; the parent then writes a summary.
"""

from langchain.agents import create_agent
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.graph import END, START, MessagesState, StateGraph

from graphs.tools_agent import ScriptedToolModel


@tool
def search_notes(topic: str) -> str:
    """Look a topic up in the team's notes."""
    return f"three notes about {topic}"


researcher = create_agent(
    ScriptedToolModel(tool_name="search_notes", arg="topic"),
    tools=[search_notes],
    system_prompt="You research topics.",
    name="researcher",
)


def summarize(state: MessagesState) -> dict:
    return {"messages": [AIMessage(content=f"Summary: {state['messages'][-1].content}")]}


graph = (
    StateGraph(MessagesState)
    .add_node("researcher", researcher)
    .add_node(summarize)
    .add_edge(START, "researcher")
    .add_edge("researcher", "summarize")
    .add_edge("summarize", END)
    .compile()
)
