"""Django's command line for the chat example: ``python manage.py runserver 127.0.0.1:8000``.

Set ``LANGGRAPH_URL`` to the LangGraph server (default ``http://127.0.0.1:2024``).
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
