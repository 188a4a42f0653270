"""Integrations with the sync web frameworks: relay a run's stream to the browser.

``lgsync.contrib.flask`` and ``lgsync.contrib.django`` return server-sent-event responses.
"""
