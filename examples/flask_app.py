"""A Flask app that streams LangGraph runs to the browser as server-sent events.

Run it beside a LangGraph server with the example graphs (``langgraph dev`` in
``examples/``), then open http://127.0.0.1:5000::

    LANGGRAPH_URL=http://127.0.0.1:2024 python examples/flask_app.py
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, render_template, request

import lgsync
from lgsync.contrib.flask import sse_response

TEMPLATES = Path(__file__).resolve().parent / "templates"


def create_app(langgraph_url: str | None = None, transport: str = "urllib3") -> Flask:
    """The app: ``/`` is the chat page, ``/chat/stream`` its event stream.

    ``/runs/<thread_id>/<run_id>/stream`` follows a background run
    (``?cancel=1``: the browser leaving cancels the run).

    Example::

        app = create_app("http://127.0.0.1:2024")
        app.run(host="127.0.0.1", port=5000, threaded=True)
    """
    app = Flask(__name__, template_folder=str(TEMPLATES))
    # One client for the whole process: it is safe to share between threads.
    url = langgraph_url or os.environ.get("LANGGRAPH_URL", "http://127.0.0.1:2024")
    client = lgsync.get_sync_client(url=url, transport=transport)
    app.extensions["lgsync"] = client

    @app.get("/")
    def index() -> str:
        return render_template("chat.html", stream_url="/chat/stream")

    @app.get("/chat/stream")
    def chat_stream() -> object:
        # The stream opens here, so a server error is an HTTP error of this view;
        # on_disconnect="cancel": the browser leaving cancels the run.
        parts = client.runs.stream(
            None,
            "chat",
            input={"topic": request.args.get("topic", "ice cream")},
            stream_mode="messages-tuple",
            on_disconnect="cancel",
        )
        return sse_response(parts)

    @app.get("/runs/<thread_id>/<run_id>/stream")
    def follow_run(thread_id: str, run_id: str) -> object:
        parts = client.runs.join_stream(
            thread_id,
            run_id,
            cancel_on_disconnect=request.args.get("cancel") == "1",
            stream_mode=request.args.getlist("mode") or None,  # type: ignore[arg-type]
            last_event_id=request.headers.get("Last-Event-ID"),
        )
        return sse_response(parts)

    return app


if __name__ == "__main__":
    create_app().run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), threaded=True)
