"""A chat model for the SDK-integration graphs: no network, its reply decided by the conversation.

Subclasses say what to answer (``reply``); the model streams the answer's
text word by word and a tool call's arguments in two pieces, so the server
sees the same callbacks a real provider's model would give it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult


def tool_answered(messages: list[BaseMessage]) -> bool:
    """Whether a tool's answer is already in the conversation."""
    return any(isinstance(message, ToolMessage) for message in messages)


class ScriptedChatModel(FakeMessagesListChatModel):
    """A fake chat model whose answer is ``reply(messages)``; ``bind_tools`` keeps it as it is.

    ``FakeMessagesListChatModel`` (not ``GenericFakeChatModel``) is the base
    because the latter loses ``tool_calls`` when a reply has no text.
    """

    # The base class wants a list of canned answers; ``reply`` replaces it.
    responses: list[BaseMessage] = []

    def reply(self, messages: list[BaseMessage]) -> AIMessage:
        """The whole answer to ``messages``: each subclass is one script."""
        raise NotImplementedError(f"{type(self).__name__} must say what it answers")

    def bind_tools(self, tools: Any, **kwargs: Any) -> ScriptedChatModel:
        return self

    def _pieces(self, messages: list[BaseMessage]) -> list[AIMessageChunk]:
        answer = self.reply(messages)
        text = answer.content if isinstance(answer.content, str) else ""
        words = text.split(" ") if text else []
        pieces = [AIMessageChunk(content=w if i == 0 else f" {w}", id=answer.id) for i, w in enumerate(words)]
        for index, call in enumerate(answer.tool_calls):
            arguments = json.dumps(call["args"])
            half = len(arguments) // 2
            pieces.append(
                AIMessageChunk(
                    content="",
                    id=answer.id,
                    tool_call_chunks=[
                        {"name": call["name"], "args": arguments[:half], "id": call["id"], "index": index}
                    ],
                )
            )
            pieces.append(
                AIMessageChunk(
                    content="",
                    id=answer.id,
                    tool_call_chunks=[{"name": None, "args": arguments[half:], "id": None, "index": index}],
                )
            )
        return pieces or [AIMessageChunk(content="", id=answer.id)]

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        answer = self.reply(messages)
        return ChatResult(generations=[ChatGeneration(message=answer)])

    def _stream(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> Iterator[ChatGenerationChunk]:
        for piece in self._pieces(messages):
            chunk = ChatGenerationChunk(message=piece)
            if run_manager is not None:
                token = piece.content if isinstance(piece.content, str) else ""
                run_manager.on_llm_new_token(token, chunk=chunk)
            yield chunk
