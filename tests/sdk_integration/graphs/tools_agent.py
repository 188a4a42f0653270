"""``tools_agent``: langchain's ``create_agent`` with a real ``search`` tool and a scripted model.

The model asks for ``search`` until the tool's answer is in the
conversation, then says it is done, so the server streams the ``tools``
channel (started, finished) as it would for a real model.
"""

from __future__ import annotations

from langchain.agents import create_agent
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.tools import tool
from scripted_chat import ScriptedChatModel, tool_answered


@tool
def search(query: str) -> str:
    """Search a small fixed index for ``query``."""
    return f"two hits for {query}"


class Searcher(ScriptedChatModel):
    """Calls ``search`` once, then answers."""

    def reply(self, messages: list[BaseMessage]) -> AIMessage:
        if tool_answered(messages):
            return AIMessage(content="Searched.", id="searched")
        call = {"id": "search-1", "name": "search", "args": {"query": "v3"}}
        return AIMessage(content="", id="asks-search", tool_calls=[call])


graph = create_agent(Searcher(), tools=[search], system_prompt="Search when asked.", name="sdk_tools_agent")
