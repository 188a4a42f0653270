"""``deep_agent``: a ``deepagents`` supervisor that hands the work to a ``researcher`` subagent.

The supervisor calls the ``task`` tool for the researcher until the
researcher's answer is back, then closes; the researcher answers at once.
The subagent's run streams under its own namespace, which a thread stream
shows as a child in ``thread.subgraphs``.
"""

from __future__ import annotations

from deepagents import create_deep_agent
from langchain_core.messages import AIMessage, BaseMessage
from scripted_chat import ScriptedChatModel, tool_answered


class Supervisor(ScriptedChatModel):
    def reply(self, messages: list[BaseMessage]) -> AIMessage:
        if tool_answered(messages):
            return AIMessage(content="The researcher has answered.", id="supervisor-done")
        call = {
            "id": "task-1",
            "name": "task",
            "args": {"subagent_type": "researcher", "description": "Summarise the v3 protocol."},
        }
        return AIMessage(content="", id="supervisor-delegates", tool_calls=[call])


class Researcher(ScriptedChatModel):
    def reply(self, messages: list[BaseMessage]) -> AIMessage:
        return AIMessage(content="The v3 protocol streams typed events per thread.", id="researcher-answer")


graph = create_deep_agent(
    model=Supervisor(),
    system_prompt="Delegate research to the researcher.",
    subagents=[
        {
            "name": "researcher",
            "description": "Researches a topic and answers in a sentence.",
            "system_prompt": "Answer in one sentence.",
            "model": Researcher(),
        }
    ],
    name="sdk_deep_agent",
)
