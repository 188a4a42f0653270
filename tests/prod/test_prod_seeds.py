"""The seed examples (Streaming API guide, join_stream) on the production shape: Postgres + Redis replicas behind a balancer.

The tests are the integration tier's own, imported as they are: here their
``client`` reaches the balancer of tests/prod/conftest.py, on both
transports. What differs on this runtime is tested below them.
"""

from __future__ import annotations

import re

import pytest

import lgsync
from tests.integration.test_seed_join_stream import (
    test_join_stream_after_the_run_ended_yields_nothing,
    test_join_stream_guide_example_streams_the_rest_of_a_background_run,
    test_join_stream_last_event_id_replays_only_the_events_after_it,
    test_join_stream_params_change_what_the_server_streams,
    test_join_stream_reference_example_honours_every_mode_of_the_list,
    test_join_stream_sends_headers_params_and_modes_to_the_server,
    test_join_stream_single_mode_filters_the_run_events,
    test_join_stream_without_cancel_on_disconnect_lets_the_run_finish,
)
from tests.integration.test_seed_streaming import (
    test_custom_mode_streams_what_the_graph_writes,
    test_debug_mode_streams_checkpoints_and_tasks_with_their_results,
    test_events_mode_streams_the_runnable_events_of_the_graph,
    test_extended_example_streams_metadata_then_the_two_updates,
    test_messages_tuple_mode_streams_the_reply_token_by_token,
    test_several_modes_at_once_name_the_mode_of_each_event,
    test_stateless_run_streams_without_a_thread,
    test_stream_subgraphs_namespaces_the_subgraph_events,
    test_updates_mode_names_each_node_with_its_update,
    test_values_mode_streams_the_full_state_after_each_step,
    test_without_stream_subgraphs_only_the_parent_updates_arrive,
)
from tests.prod.conftest import ProdStack

pytestmark = pytest.mark.prod

__all__ = [
    "test_custom_mode_streams_what_the_graph_writes",
    "test_debug_mode_streams_checkpoints_and_tasks_with_their_results",
    "test_events_mode_streams_the_runnable_events_of_the_graph",
    "test_extended_example_streams_metadata_then_the_two_updates",
    "test_join_stream_after_the_run_ended_yields_nothing",
    "test_join_stream_guide_example_streams_the_rest_of_a_background_run",
    "test_join_stream_last_event_id_replays_only_the_events_after_it",
    "test_join_stream_params_change_what_the_server_streams",
    "test_join_stream_reference_example_honours_every_mode_of_the_list",
    "test_join_stream_sends_headers_params_and_modes_to_the_server",
    "test_join_stream_single_mode_filters_the_run_events",
    "test_join_stream_without_cancel_on_disconnect_lets_the_run_finish",
    "test_messages_tuple_mode_streams_the_reply_token_by_token",
    "test_several_modes_at_once_name_the_mode_of_each_event",
    "test_stateless_run_streams_without_a_thread",
    "test_stream_subgraphs_namespaces_the_subgraph_events",
    "test_updates_mode_names_each_node_with_its_update",
    "test_values_mode_streams_the_full_state_after_each_step",
    "test_without_stream_subgraphs_only_the_parent_updates_arrive",
]

REDIS_ID = re.compile(r"(\d+)-(\d+)")


def _key(event_id: str | None) -> tuple[int, int]:
    assert event_id is not None
    match = REDIS_ID.fullmatch(event_id)
    assert match, f"event id {event_id!r} is not a Redis stream id <ms>-<seq>"
    return int(match[1]), int(match[2])


def test_resumable_events_carry_unique_increasing_redis_stream_ids(client: lgsync.SyncClient) -> None:
    # Unlike the dev server's <ms>-0 (shared by the events of a millisecond),
    # every event here has an id of its own.
    thread_id = client.threads.create()["thread_id"]
    parts = list(
        client.runs.stream(thread_id, "custom", input={"count": 20}, stream_mode=["custom"], stream_resumable=True)
    )

    assert [part.event for part in parts] == ["metadata"] + ["custom"] * 20
    assert [part.data for part in parts[1:]] == [{"i": i} for i in range(20)]
    keys = [_key(part.id) for part in parts]
    assert keys == sorted(set(keys)), "ids strictly increasing, none shared"


def test_runs_go_through_the_balancer_to_the_http_replica(prod_stack: ProdStack, client: lgsync.SyncClient) -> None:
    # The tier's shape: the balancer sends everything to replica "a" while it
    # lives; "a" runs no worker, so another replica executed the run.
    before = len(prod_stack.balancer.requests())
    thread_id = client.threads.create()["thread_id"]
    run = client.runs.wait(thread_id, "agent", input={"topic": "ice cream"})

    assert run == {"topic": "ice cream and cats", "joke": "This is a joke about ice cream and cats"}
    forwarded = prod_stack.balancer.requests()[before:]
    assert forwarded and {request.backend for request in forwarded} == {0}
    assert prod_stack.replicas[0].jobs == 0
