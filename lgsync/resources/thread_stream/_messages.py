"""Assembling chat-model messages from the `messages` channel: `MessageStream` and its `TextStream`s.

A `MessageAssembler` is fed one protocol event at a time by whichever
projection reads the stream, and returns the messages an event starts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from lgsync.errors import RunFailedError
from lgsync.resources.thread_stream._protocol import data_at

__all__ = ["MessageAssembler", "MessageStream", "TextStream"]


class TextStream:
    """The text (or reasoning) of one message: iterate for the tokens, `str()` for the whole.

    `message.text` and `message.reasoning` are `TextStream`s. Iterating gives
    the tokens received so far, in arrival order, without waiting for more: a
    message from `thread.messages` is complete, so that is all of them. A
    `TextStream` is true once it has a token.

    Attributes:
        done: Whether the message has finished (or failed).
        error: The message's error (`RunFailedError`) if it failed, else `None`.

    Raises:
        lgsync.errors.RunFailedError: After the last token (iterating), or from
            `get()` and `str()`, when the message failed.

    Example:
        ```python
        for message in thread.messages:
            for token in message.text:
                print(token, end="")
            print()
            print(str(message.text))
        ```
    """

    def __init__(self) -> None:
        self._deltas: list[str] = []
        self._final: str | None = None
        self.done = False
        self.error: BaseException | None = None

    def __iter__(self) -> Iterator[str]:
        """The tokens in arrival order (raises the message's error after the last one)."""
        yield from list(self._deltas)
        if self.error is not None:
            raise self.error

    def get(self) -> str:
        """The whole text: the tokens joined into one string.

        Returns:
            The text as one string (`str(text_stream)` is the same).

        Raises:
            lgsync.errors.RunFailedError: The message failed.

        Example:
            ```python
            print(message.text.get())
            ```
        """
        if self.error is not None:
            raise self.error
        return self._final if self._final is not None else "".join(self._deltas)

    def __str__(self) -> str:
        return self.get()

    def __bool__(self) -> bool:
        return bool(self._deltas)

    def __repr__(self) -> str:
        return repr(self._final if self._final is not None else "".join(self._deltas))

    def _push(self, delta: str) -> None:
        self._deltas.append(delta)

    def _complete(self, final: str | None) -> None:
        if final is not None:
            self._final = final
        self.done = True

    def _fail(self, error: BaseException) -> None:
        self.error = error
        self.done = True


class MessageStream:
    """One chat-model message of a run, assembled from its protocol events (`message-start`, deltas, `message-finish`).

    `thread.messages` yields lgsync's own `MessageStream`, not langchain-core's
    `ChatModelStream` as the SDK does (lgsync does not depend on
    langchain-core). Not built directly: the projections make it.

    Attributes:
        text: A `TextStream` of the message's text.
        reasoning: A `TextStream` of the model's reasoning, for models that send it
            (empty otherwise).
        message_id: The message's id, as the server sends it (`None` if it sent none).
        node: The graph node whose model call wrote it (`langgraph_node`), or `None`.
        namespace: Where it was written: `[]` for the root graph, else the
            subgraph's namespace.
        error: Its error (`RunFailedError`) if the message or the run failed,
            else `None`.

    Example:
        ```python
        for message in thread.messages:
            print(message.message_id, message.node, str(message.text))
        ```
    """

    def __init__(self, *, namespace: list[str], node: str | None, message_id: str | None) -> None:
        self.namespace = namespace
        self.node = node
        self.message_id = message_id
        self.text = TextStream()
        self.reasoning = TextStream()
        self.error: BaseException | None = None
        self._done = False

    @property
    def done(self) -> bool:
        """Whether the message has finished (or failed).

        Returns:
            `True` once its `message-finish` or an error arrived.
        """
        return self._done

    def __repr__(self) -> str:
        return f"<MessageStream {self.message_id!r} done={self._done} text={self.text!r}>"

    def _dispatch(self, data: Mapping[str, Any]) -> None:
        kind = data.get("event")
        if kind == "content-block-delta":
            delta = data.get("delta")
            if isinstance(delta, dict):
                if delta.get("type") == "text-delta" and isinstance(delta.get("text"), str) and delta["text"]:
                    self.text._push(delta["text"])
                elif (
                    delta.get("type") == "reasoning-delta"
                    and isinstance(delta.get("reasoning"), str)
                    and delta["reasoning"]
                ):
                    self.reasoning._push(delta["reasoning"])
        elif kind == "message-finish":
            self._finish()
        elif kind == "error":
            message = data.get("message") or data.get("error") or "message failed"
            self._fail(RunFailedError(f"Message errored: {message}"))

    def _finish(self) -> None:
        self.text._complete(None)
        self.reasoning._complete(None)
        self._done = True

    def _fail(self, error: BaseException) -> None:
        if self._done:
            return
        self.error = error
        self.text._fail(error)
        self.reasoning._fail(error)
        self._done = True


def _message_key(data: Mapping[str, Any]) -> str | None:
    message_id = data.get("id") or data.get("message_id")
    return str(message_id) if message_id is not None else None


class MessageAssembler:
    """Builds the messages of one namespace from ``messages`` events.

    :meth:`feed` returns the messages an event starts; later events of a
    message go to the open message with their ``id``. An event that names a
    message that is not open is dropped (as ``langgraph_sdk`` does); only an
    event with no id at all goes to the one open message, if there is one.
    """

    def __init__(self, namespace: list[str]) -> None:
        self.namespace = list(namespace)
        self.open: dict[str, MessageStream] = {}

    def feed(self, event: Mapping[str, Any]) -> list[MessageStream]:
        data = data_at(event, "messages", self.namespace)
        if data is None:
            return []
        key = _message_key(data)
        if data.get("event") == "message-start":
            metadata = data.get("metadata")
            node = metadata.get("langgraph_node") if isinstance(metadata, dict) else None
            message = MessageStream(namespace=list(self.namespace), node=node, message_id=key)
            self.open[key or ""] = message
            message._dispatch(data)
            return [message]
        if key is not None:
            target = self.open.get(key)
        else:
            target = next(iter(self.open.values())) if len(self.open) == 1 else None
        if target is not None:
            target._dispatch(data)
            if target.done:
                self.open = {k: m for k, m in self.open.items() if m is not target}
        return []

    def fail_open(self, error: BaseException) -> None:
        """Fail every message still open (the stream ended before they did)."""
        for message in self.open.values():
            message._fail(error)
        self.open.clear()
