"""The client the resource clients hold: the SDK's HTTP verbs and the LangGraph entry points.

``HttpClient`` is the HTTP core (:mod:`lgsync._http_core`: headers,
timeouts, JSON, retries, redirects) with the call shapes of langgraph_sdk's
sync HTTP client, plus the two LangGraph calls of :mod:`lgsync.langgraph`:
``stream`` (a run stream that resumes) and ``request_reconnect`` (a long
call that rejoins at ``/join``). The names other modules import from here
stay importable from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from lgsync._answers import ERROR_BODY_LIMIT, json_result, read_limited
from lgsync._http_core import HttpCore, OnResponse
from lgsync._query import encode_params
from lgsync._send import DEFAULT_MAX_RESPONSE_SIZE
from lgsync._urls import origin_of
from lgsync.langgraph import open_run_stream, request_with_rejoin
from lgsync.schema import QueryParamTypes

__all__ = [
    "DEFAULT_MAX_RESPONSE_SIZE",
    "ERROR_BODY_LIMIT",
    "HttpClient",
    "OnResponse",
    "encode_params",
    "json_result",
    "origin_of",
    "read_limited",
]

# The optional arguments every verb takes, as langgraph_sdk's SyncHttpClient names them.
_Params = Optional[QueryParamTypes]
_Headers = Optional[Mapping[str, str]]
_OnResponse = Optional[OnResponse]


class HttpClient(HttpCore):
    """Talks JSON (and opens SSE streams) to one server through a :class:`~lgsync.Transport`.

    ``get``, ``post``, ``put``, ``patch`` and ``delete`` have the signatures
    of langgraph_sdk's sync HTTP client and send one JSON call each
    (:meth:`~lgsync._http_core.HttpCore.request`).

    Example::

        http = HttpClient("http://127.0.0.1:2024", transport=lgsync.Urllib3Transport())
        http.get("/ok")
    """

    def get(
        self, path: str, *, params: _Params = None, headers: _Headers = None, on_response: _OnResponse = None
    ) -> Any:
        return self.request("GET", path, params=params, headers=headers, on_response=on_response)

    def post(
        self, path: str, *, json: Any, params: _Params = None, headers: _Headers = None, on_response: _OnResponse = None
    ) -> Any:
        return self.request("POST", path, json=json, params=params, headers=headers, on_response=on_response)

    def put(
        self, path: str, *, json: Any, params: _Params = None, headers: _Headers = None, on_response: _OnResponse = None
    ) -> Any:
        return self.request("PUT", path, json=json, params=params, headers=headers, on_response=on_response)

    def patch(
        self, path: str, *, json: Any, params: _Params = None, headers: _Headers = None, on_response: _OnResponse = None
    ) -> Any:
        return self.request("PATCH", path, json=json, params=params, headers=headers, on_response=on_response)

    def delete(
        self,
        path: str,
        *,
        json: Any | None = None,
        params: _Params = None,
        headers: _Headers = None,
        on_response: _OnResponse = None,
    ) -> None:
        self.request("DELETE", path, json=json, params=params, headers=headers, on_response=on_response)

    #: Open a run's SSE stream that resumes after drops: :func:`lgsync.langgraph.open_run_stream`.
    stream = open_run_stream
    #: A long call that rejoins at ``/join`` when cut: :func:`lgsync.langgraph.request_with_rejoin`.
    request_reconnect = request_with_rejoin
