"""URL helpers every layer shares: what of a URL may be shown, and which origin it names.

Pure functions on strings; none raises on a URL that does not parse.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

__all__ = ["origin_of", "redact_url", "userinfo_parts"]


def redact_url(url: str) -> str:
    """The URL without userinfo or query, fit for an error message or a log.

    Example::

        >>> redact_url("http://user:pw@host:80/a?key=1")
        'http://host:80/a'
    """
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.rsplit("@", 1)[-1]
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    except ValueError:
        return "<invalid url>"


def origin_of(url: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` with the default port filled in; ``None`` if ``url`` is not a valid URL.

    Example::

        >>> origin_of("HTTPS://Example.com/a"), origin_of("http://[::1")
        (('https', 'example.com', 443), None)
    """
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:  # a bad port (":99999") or a broken IPv6 literal ("http://[::1")
        return None
    return scheme, (parts.hostname or "").lower(), port


def userinfo_parts(url: str) -> list[str]:
    """The user name and password in ``url`` (quoted and unquoted), to keep out of messages.

    Example::

        >>> userinfo_parts("http://ada:p%40ss@proxy:3128")
        ['ada:p%40ss', 'ada:p@ss', 'ada', 'p%40ss', 'p@ss']
    """
    netloc = url.partition("://")[2].partition("/")[0]
    if "@" not in netloc:
        return []
    userinfo = netloc.rpartition("@")[0]
    parts = [userinfo, *userinfo.split(":", 1)]
    return list(dict.fromkeys(text for part in parts for text in (part, unquote(part)) if text))
