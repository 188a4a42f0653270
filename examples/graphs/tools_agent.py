"""A tool-calling agent with no network: langchain's ``create_agent``, a real ``@tool``, a scripted model.

The model asks for ``get_weather`` (streaming the call's arguments in
pieces) until a tool answer is in the conversation, then replies with
text built from it. The server then streams the ``tools`` channel
(``tool-started``, the tool's partial output as ``tool-output-delta``,
``tool-finished``) as it would for a real model.
"""

import uuid
from collections.abc import Iterator
from typing import Any

from langchain.agents import create_agent
from langchain.tools import ToolRuntime
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.tools import tool


@tool
def get_weather(city: str, runtime: ToolRuntime) -> str:
    """The weather in a city."""
    if city == "Atlantis":  # a tool that fails, for the error path
        raise ValueError("no weather service reaches Atlantis")
    pieces = ["It is ", "always sunny ", f"in {city}."]
    for piece in pieces:  # partial output, streamed as ``tool-output-delta`` events
        runtime.emit_output_delta(piece)
    return "".join(pieces)


class ScriptedToolModel(FakeMessagesListChatModel):
    """Calls ``tool_name`` with the last user message as ``{arg}``, then answers from the tool's result."""

    responses: list[BaseMessage] = []
    tool_name: str = "get_weather"
    arg: str = "city"

    def bind_tools(self, tools: Any, **kwargs: Any) -> "ScriptedToolModel":
        return self  # the script already knows its tool

    def _pieces(self, messages: list[BaseMessage]) -> list[AIMessageChunk]:
        answers = [m for m in messages if isinstance(m, ToolMessage)]
        if answers:
            words = f"The tool says: {answers[-1].content}".split(" ")
            return [AIMessageChunk(content=w if i == 0 else " " + w) for i, w in enumerate(words)]
        asked = [m for m in messages if isinstance(m, HumanMessage)]
        value = str(asked[-1].content) if asked else "Paris"
        arguments = '{"' + self.arg + '": "' + value + '"}'
        call_id = f"call_{uuid.uuid4()}"
        cut = len(arguments) // 2
        return [
            AIMessageChunk(
                content="",
                tool_call_chunks=[{"name": self.tool_name, "args": arguments[:cut], "id": call_id, "index": 0}],
            ),
            AIMessageChunk(
                content="", tool_call_chunks=[{"name": None, "args": arguments[cut:], "id": None, "index": 0}]
            ),
        ]

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        whole = AIMessageChunk(content="")
        for piece in self._pieces(messages):
            whole = whole + piece
        message = AIMessage(content=whole.content, tool_calls=whole.tool_calls, id=whole.id)
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> Iterator[ChatGenerationChunk]:
        for piece in self._pieces(messages):
            chunk = ChatGenerationChunk(message=piece)
            if run_manager is not None:
                run_manager.on_llm_new_token(piece.content if isinstance(piece.content, str) else "", chunk=chunk)
            yield chunk


graph = create_agent(ScriptedToolModel(), tools=[get_weather], system_prompt="You report the weather.")
