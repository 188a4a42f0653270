"""The sub-clients: one module each, building paths, payloads and params."""
