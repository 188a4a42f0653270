"""Benchmarks: lgsync side by side with langgraph_sdk, sseclient-py and a raw floor.

Run ``python -m benchmarks.compare`` (``--quick`` for a short run).
"""
