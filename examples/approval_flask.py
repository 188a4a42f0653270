"""A Flask app where a person approves a run's step in the browser (the ``approval`` graph).

``GET /approvals/start`` streams a new run until it stops at ``interrupt(...)``;
``POST /approvals/<thread_id>/answer`` resumes it with the person's decision
and streams the rest. Run it beside ``langgraph dev`` in ``examples/``, then
open http://127.0.0.1:5000::

    LANGGRAPH_URL=http://127.0.0.1:2024 python examples/approval_flask.py
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask, abort, render_template, request

import lgsync
from lgsync.contrib.flask import sse_response
from lgsync.schema import StreamPart

TEMPLATES = Path(__file__).resolve().parent / "templates"
DECISIONS = ("approve", "reject")


def _values_as_parts(thread: Any) -> Iterator[StreamPart]:
    """A thread stream's states as ``values`` parts."""
    for state in thread.values:
        yield StreamPart("values", state)


def create_app(langgraph_url: str | None = None, transport: str = "urllib3") -> Flask:
    """The app: ``/`` is the approval page, the ``/approvals/...`` views stream runs as server-sent events.

    Example::

        app = create_app("http://127.0.0.1:2024")
        app.run(host="127.0.0.1", port=5000, threaded=True)
    """
    app = Flask(__name__, template_folder=str(TEMPLATES))
    url = langgraph_url or os.environ.get("LANGGRAPH_URL", "http://127.0.0.1:2024")
    client = lgsync.get_sync_client(url=url, transport=transport)
    app.extensions["lgsync"] = client

    @app.get("/")
    def index() -> str:
        return render_template("approval.html")

    @app.get("/approvals/start")
    def start() -> object:
        thread_id = client.threads.create()["thread_id"]
        parts = client.runs.stream(
            thread_id, "approval", input={"request": request.args.get("request", "deploy v2")}, stream_mode="updates"
        )
        # The page needs the thread to answer on: tell it first, then relay the run until it stops.
        return sse_response([StreamPart("thread", {"thread_id": thread_id}), *parts])

    @app.post("/approvals/<thread_id>/answer")
    def answer(thread_id: str) -> object:
        body = request.get_json(silent=True) or {}
        decision = body.get("decision")
        if decision not in DECISIONS:
            abort(400, description=f"decision must be one of {DECISIONS}")
        if body.get("via") == "thread":
            # The same answer through the thread-centric API: respond to the pending interrupt.
            # Entered here and closed by the relay when it ends (or the browser leaves).
            thread = client.threads.stream(thread_id, assistant_id="approval").__enter__()
            try:
                thread.run.respond(decision)
            except BaseException:
                thread.close()
                raise
            return sse_response(_values_as_parts(thread), on_close=thread.close)
        parts = client.runs.stream(thread_id, "approval", command={"resume": decision}, stream_mode="updates")
        return sse_response(parts)

    return app


if __name__ == "__main__":
    create_app().run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
