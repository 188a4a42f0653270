"""The endpoint and body of a run-creating call (``runs.stream``, ``runs.create``, ``runs.wait``), built one way.

Each of those methods passes its own ``locals()`` to :func:`run_call`; a 404
that means "this server has no stateless runs" is reworded by :func:`stateless_hint`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Literal, NamedTuple

from lgsync.errors import NotFoundError
from lgsync.resources._shared import compact, pick, quote_path_param, warn_checkpoint_during

__all__ = [
    "CREATE_FIELDS",
    "STREAM_FIELDS",
    "WAIT_FIELDS",
    "RunCall",
    "run_call",
    "run_path",
    "run_payload",
    "stateless_hint",
]

RunKind = Literal["stream", "create", "wait"]

#: The parameters every run-creating call sends in its body (``None`` left out).
RUN_FIELDS = (
    "assistant_id",
    "input",
    "command",
    "config",
    "context",
    "metadata",
    "interrupt_before",
    "interrupt_after",
    "webhook",
    "checkpoint",
    "checkpoint_id",
    "checkpoint_during",
    "multitask_strategy",
    "if_not_exists",
    "on_completion",
    "after_seconds",
    "durability",
    "strict_resume",
    "langsmith_tracing",
)
_STREAMED_FIELDS = ("stream_mode", "stream_subgraphs", "stream_resumable")
#: The body parameters of ``runs.stream``, ``runs.create`` and ``runs.wait``, as the SDK sends them.
STREAM_FIELDS = (*RUN_FIELDS, *_STREAMED_FIELDS, "feedback_keys", "on_disconnect")
CREATE_FIELDS = (*RUN_FIELDS, *_STREAMED_FIELDS)
WAIT_FIELDS = (*RUN_FIELDS, "on_disconnect")

_FIELDS: dict[RunKind, tuple[str, ...]] = {"stream": STREAM_FIELDS, "create": CREATE_FIELDS, "wait": WAIT_FIELDS}
_SUFFIX: dict[RunKind, str] = {"stream": "/stream", "create": "", "wait": "/wait"}


class RunCall(NamedTuple):
    """Where a run-creating call posts, and what."""

    path: str
    payload: dict[str, Any]


def run_payload(arguments: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """The body of a run-creating call, from its arguments (``locals()``) and its ``fields``.

    ``None`` is left out, so is an empty ``command`` (and ``None`` inside
    one); ``langsmith_tracing`` goes as the server's ``langsmith_tracer``.

    Example::

        >>> run_payload({"assistant_id": "agent", "input": None, "command": {"resume": 1, "goto": None}},
        ...             ("assistant_id", "input", "command"))
        {'assistant_id': 'agent', 'command': {'resume': 1}}
    """
    payload = pick(arguments, fields)
    command = payload.pop("command", None)
    if command:
        payload["command"] = compact(command)
    if "langsmith_tracing" in payload:
        payload["langsmith_tracer"] = payload.pop("langsmith_tracing")
    return payload


def run_call(arguments: Mapping[str, Any], kind: RunKind) -> RunCall:
    """The endpoint and body of ``runs.<kind>``, from the method's ``locals()``.

    Warns (at the caller's caller, the user's line) when ``checkpoint_during``
    is given. As in the SDK, ``create`` treats any false ``thread_id`` as
    stateless, ``stream`` and ``wait`` only ``None``. A resumable stream asks
    for ``on_disconnect="continue"`` unless the caller chose: its run must go
    on while the client reconnects, LangGraph's default that some servers
    (aegra) do not share.

    Example::

        >>> run_call({**dict.fromkeys(WAIT_FIELDS), "thread_id": None, "assistant_id": "agent"}, "wait")
        RunCall(path='/runs/wait', payload={'assistant_id': 'agent'})
    """
    warn_checkpoint_during(arguments["checkpoint_during"], stacklevel=4)
    payload = run_payload(arguments, _FIELDS[kind])
    if kind == "stream" and arguments["stream_resumable"] and arguments["on_disconnect"] is None:
        payload["on_disconnect"] = "continue"
    thread_id = arguments["thread_id"]
    stateless = not thread_id if kind == "create" else thread_id is None
    prefix = "" if stateless else f"/threads/{quote_path_param(thread_id)}"
    return RunCall(f"{prefix}/runs{_SUFFIX[kind]}", payload)


def run_path(thread_id: str, run_id: str) -> str:
    """The path of one run of a thread, both ids quoted.

    Example::

        >>> run_path("t/1", "r1")
        '/threads/t%2F1/runs/r1'
    """
    return f"/threads/{quote_path_param(thread_id)}/runs/{quote_path_param(run_id)}"


@contextmanager
def stateless_hint(thread_id: str | None) -> Iterator[None]:
    """Say so when a server answers a stateless run with a bare 404: it does not offer them."""
    try:
        yield
    except NotFoundError as exc:
        if thread_id is not None or exc.message not in ("Not Found", ""):
            raise
        raise NotFoundError(
            f"{exc.method or 'POST'} {exc.path} answered 404 Not Found: this server does not offer "
            "stateless runs (thread_id=None); create a thread and run on it instead",
            status_code=404,
            body=exc.body,
            headers=exc.headers,
            method=exc.method,
            path=exc.path,
        ) from exc
