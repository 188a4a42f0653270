"""Transports: the ``Transport`` protocol and its requests and urllib3 implementations."""

from lgsync.transport.base import Headers, Request, Response, Transport
from lgsync.transport.requests_transport import RequestsTransport
from lgsync.transport.urllib3_transport import Urllib3Transport

__all__ = ["Headers", "Request", "RequestsTransport", "Response", "Transport", "Urllib3Transport"]
