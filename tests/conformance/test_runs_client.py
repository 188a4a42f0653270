"""Port of langgraph-sdk 0.4.14 ``tests/test_runs_client.py`` (sync client).

``runs.wait`` answers with a ``Location`` naming the run's ``/join``; when
its body is cut, the client rejoins with ``GET`` on that location.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

import lgsync
from lgsync import errors
from lgsync.testing import CannedResponse, MockTransport, json_response

JOIN = "/threads/th-kiln/runs/run-kiln/join"
DONE = {"fired": True}


def _cut_wait() -> CannedResponse:
    """The wait's answer: its headers and half a JSON body, then the connection breaks."""
    return CannedResponse(200, (("Content-Type", "application/json"), ("Location", JOIN)), (b'{"fir',), drop=True)


def _refused(_request: object, _params: object) -> CannedResponse:
    raise errors.APIConnectionError("connection refused (scripted)", request_sent=False)


def _wait(client: lgsync.SyncClient) -> Any:
    return client.runs.wait("th-kiln", "potter", input={"clay": "red"})


def test_wait_rejoins_with_a_bodyless_get(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_runs_client.py::test_sync_wait_reconnects_with_a_bodyless_get.

    The SDK also warns ``UserWarning("... attempting reconnect")``; lgsync
    logs the rejoin instead (see test_reconnects_are_logged_not_warned).
    """
    mock.add("POST", "/threads/th-kiln/runs/wait", response=_cut_wait())
    join = mock.add("GET", JOIN, json=DONE)

    assert _wait(client) == DONE
    (rejoin,) = join.calls
    assert rejoin.body in (None, b"")
    assert "content-length" not in rejoin.headers
    assert "content-type" not in rejoin.headers


@pytest.mark.sdk_difference
@pytest.mark.parametrize("failure", ["429", "503", "refused", "cut-again"])
def test_wait_retries_a_failed_rejoin_after_a_backoff(
    client: lgsync.SyncClient, mock: MockTransport, sleeps: list[float], failure: str
) -> None:
    """SDK: tests/test_runs_client.py::test_wait_retries_a_failed_reconnect_after_a_backoff.

    Both rejoin twice, waiting before each. The SDK waits at least 1 s each
    time; lgsync's waits follow the client's ``stream_retry`` policy
    (0.25 s, then doubling, plus jitter), so the first is shorter.
    """
    mock.add("POST", "/threads/th-kiln/runs/wait", response=_cut_wait())
    first = {
        "429": json_response({"detail": "busy"}, status=429),
        "503": json_response({"detail": "restarting"}, status=503),
        "cut-again": _cut_wait(),
    }
    if failure == "refused":
        calls: list[int] = []

        def refuse_once(request: Any, params: Any) -> CannedResponse:
            calls.append(1)
            if len(calls) == 1:
                _refused(request, params)
            return json_response(DONE)

        mock.add("GET", JOIN, handler=refuse_once)
    else:
        mock.add("GET", JOIN, response=[first[failure], json_response(DONE)])

    assert _wait(client) == DONE
    assert len(mock.requests) == 3
    assert len(sleeps) == 2 and all(delay > 0 for delay in sleeps)
    assert sleeps[0] < 1


def test_wait_raises_the_last_status_error_after_five_failed_rejoins(
    client: lgsync.SyncClient, mock: MockTransport
) -> None:
    """SDK: tests/test_runs_client.py::test_wait_raises_after_five_failed_reconnects."""
    mock.add("POST", "/threads/th-kiln/runs/wait", response=_cut_wait())
    mock.add("GET", JOIN, status=503, json={"detail": "down for maintenance"})

    with pytest.raises(errors.InternalServerError) as caught:
        _wait(client)

    assert caught.value.status_code == 503
    assert len(mock.requests) == 6


def test_wait_does_not_retry_a_client_error_on_rejoin(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_runs_client.py::test_wait_does_not_retry_a_client_error."""
    mock.add("POST", "/threads/th-kiln/runs/wait", response=_cut_wait())
    mock.add("GET", JOIN, status=404, json={"detail": "no such run"})

    with pytest.raises(errors.NotFoundError):
        _wait(client)

    assert len(mock.requests) == 2


def test_wait_raises_the_runs_error(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_runs_client.py::test_sync_wait_raises_the_run_error."""
    route = mock.add(
        "POST", "/threads/th-kiln/runs/wait", json={"__error__": {"error": "KeyError", "message": "glaze"}}
    )

    with pytest.raises(Exception, match="KeyError: glaze"):
        client.runs.wait("th-kiln", "potter", input={}, raise_error=True)

    assert "raise_error" not in route.calls[0].json()


def test_wait_returns_the_runs_error_without_raise_error(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_runs_client.py::test_wait_returns_the_run_error_without_raise_error."""
    failed = {"__error__": {"error": "KeyError", "message": "glaze"}}
    route = mock.add("POST", "/threads/th-kiln/runs/wait", json=failed)

    assert client.runs.wait("th-kiln", "potter", input={}, raise_error=False) == failed
    assert "raise_error" not in route.calls[0].json()


@pytest.mark.parametrize("method", ["create", "stream", "wait"])
@pytest.mark.parametrize("strict_resume", [True, None], ids=["opted-in", "default"])
def test_strict_resume_is_sent_only_when_set(
    client: lgsync.SyncClient, mock: MockTransport, method: str, strict_resume: bool | None
) -> None:
    """SDK: tests/test_runs_client.py::test_runs_send_strict_resume_only_when_set."""
    mock.add_stream("POST", re.compile(r".*/stream"), [("end", None)])
    mock.add("POST", re.compile(r".*"), json={"run_id": "run-kiln"})
    command = {"resume": {"f" * 32: "approved"}}

    result = getattr(client.runs, method)("th-kiln", "potter", command=command, strict_resume=strict_resume)
    if method == "stream":
        list(result)

    assert mock.requests[0].json().get("strict_resume") == strict_resume


@pytest.mark.sdk_difference
def test_reconnects_are_logged_not_warned(
    client: lgsync.SyncClient, mock: MockTransport, caplog: pytest.LogCaptureFixture, recwarn: pytest.WarningsRecorder
) -> None:
    """SDK: tests/test_runs_client.py::test_sync_wait_reconnects_with_a_bodyless_get.

    The SDK warns ``UserWarning("... attempting reconnect")`` on each rejoin
    (and asserts it with ``pytest.warns`` in every wait test above); lgsync
    logs it on the ``lgsync`` logger at INFO and emits no warning.
    """
    mock.add("POST", "/threads/th-kiln/runs/wait", response=_cut_wait())
    mock.add("GET", JOIN, json=DONE)

    with caplog.at_level(logging.INFO, logger="lgsync"):
        assert _wait(client) == DONE

    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]
    assert [record for record in caplog.records if record.name.startswith("lgsync")]
