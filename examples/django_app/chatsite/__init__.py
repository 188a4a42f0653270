"""A minimal Django project that streams LangGraph runs to the browser.

One settings module, one URL conf, three views; see ``views.py``.
"""
