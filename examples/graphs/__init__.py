"""Example graphs served by ``langgraph dev`` for the demo, the docs and the tests."""
