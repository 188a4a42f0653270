"""JSON in and out: orjson when it is installed, the standard library otherwise.

Both paths give identical Python values; the encoder also takes what the SDK
takes (dataclasses, pydantic models, sets, datetimes, UUIDs).
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import uuid
from typing import Any, Callable

__all__ = ["JSONDecodeError", "dumps", "loads"]


def _default(obj: Any) -> Any:
    if isinstance(obj, type):
        raise TypeError(f"Cannot serialize the class {obj!r} to JSON; pass an instance")
    dump = getattr(obj, "model_dump", None)
    if callable(dump):
        return dump()
    legacy = getattr(obj, "dict", None)
    if callable(legacy):
        return legacy()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    if isinstance(obj, (datetime.datetime, datetime.date, datetime.time)):
        return obj.isoformat()
    if isinstance(obj, uuid.UUID):
        return str(obj)
    if isinstance(obj, enum.Enum):
        return obj.value
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


loads: Callable[[bytes | str], Any]
dumps: Callable[[Any], bytes]

try:
    import orjson

    JSONDecodeError: type[ValueError] = orjson.JSONDecodeError
    _OPTS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY

    def dumps(obj: Any) -> bytes:
        return orjson.dumps(obj, default=_default, option=_OPTS)

    loads = orjson.loads
except ImportError:  # pragma: no cover - exercised in the no-orjson tox env
    import json

    JSONDecodeError = json.JSONDecodeError
    _encoder = json.JSONEncoder(default=_default, ensure_ascii=False, separators=(",", ":"))

    def dumps(obj: Any) -> bytes:
        return _encoder.encode(obj).encode("utf-8")

    _decode = json.JSONDecoder().decode

    def loads(data: bytes | str) -> Any:
        # Straight to the decoder: json.loads re-checks its arguments per call.
        if isinstance(data, str):
            return _decode(data)
        return _decode(bytes(data).decode("utf-8"))
