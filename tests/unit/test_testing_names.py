"""``lgsync.testing`` is a package of private modules, but its names say ``lgsync.testing``."""

from __future__ import annotations

import pickle

import pytest

import lgsync.testing


@pytest.mark.parametrize("name", lgsync.testing.__all__)
def test_every_public_name_reports_lgsync_testing_as_its_module(name: str) -> None:
    assert getattr(lgsync.testing, name).__module__ == "lgsync.testing"


def test_an_unmatched_request_error_pickles_under_lgsync_testing() -> None:
    transport = lgsync.testing.MockTransport()
    client = lgsync.get_sync_client(url="http://langgraph.test", api_key=None, transport=transport)
    with pytest.raises(lgsync.testing.UnmatchedRequestError) as caught:
        client.threads.get("t-1")
    data = pickle.dumps(caught.value)
    assert b"lgsync.testing\x94" in data or b"clgsync.testing\n" in data
    assert b"_mock" not in data
    assert str(pickle.loads(data)) == str(caught.value)
