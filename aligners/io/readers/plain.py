"""Plain text: the byte-level decoder, unchanged."""
from __future__ import annotations

from aligners.config import DecodeConfig
from aligners.io.decode import decode_bytes
from aligners.types import Decoded


def read(data: bytes, path: str, config: DecodeConfig = DecodeConfig()) -> Decoded:
    return decode_bytes(data, path, config)
