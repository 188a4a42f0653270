"""Helpers that the hidden checks of the docs' blocks call (``<!-- check ... -->``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from tests.docs.snippets import ROOT


def setup_django() -> None:
    """Configure Django with the example project's settings, as the Django integration tests do."""
    import django

    project = str(ROOT / "examples" / "django_app")
    if project not in sys.path:
        sys.path.insert(0, project)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chatsite.settings")
    django.setup()


def sse_events(body: str | bytes | Iterable[bytes]) -> list[tuple[str, str]]:
    """The ``(event, data)`` pairs of an SSE body, comments left out."""
    if not isinstance(body, (str, bytes)):
        body = b"".join(body)
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if line and not line.startswith(":"))
        if "data" in fields:
            events.append((fields.get("event", "message"), fields["data"]))
    return events
