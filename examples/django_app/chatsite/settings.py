"""Settings of the chat example: no database, no sessions, just views and a template.

``LANGGRAPH_URL`` (environment) names the LangGraph server.
"""

from __future__ import annotations

import os
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "lgsync-example-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "chatsite.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []  # no GZipMiddleware: compression would buffer the events
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [str(EXAMPLES / "templates")],
    }
]

LANGGRAPH_URL = os.environ.get("LANGGRAPH_URL", "http://127.0.0.1:2024")
LANGGRAPH_TRANSPORT = os.environ.get("LANGGRAPH_TRANSPORT", "urllib3")  # or "requests"
