"""Plain text: the byte-level decoder, unless the content is markup (aligners/io/sniff.py)."""
from __future__ import annotations

import dataclasses
import importlib

from aligners.config import DecodeConfig
from aligners.io.decode import decode_bytes
from aligners.io.sniff import sniff_format
from aligners.types import Decoded


# Content of another format in a .txt file (aligners/io/sniff.py): read by its reader, or refused.
_REREAD = {".html": ("html", "HTML"), ".md": ("markdown", "Markdown")}
_REFUSED = {".tmx": "TMX content in a text file: rename it .tmx to read its pairs",
            ".xml": "XML content in a text file, not prose", ".json": "JSON content in a text file, not prose"}


def read(data: bytes, path: str, config: DecodeConfig = DecodeConfig()) -> Decoded:
    dec = decode_bytes(data, path, config)
    if dec.error:
        return dec
    fmt = sniff_format(dec.text)
    if fmt in _REFUSED:
        return Decoded(path, "", "", error=_REFUSED[fmt])
    if fmt in _REREAD:
        module, name = _REREAD[fmt]
        other = importlib.import_module(f"aligners.io.readers.{module}").read(data, path, config)
        if not other.error:
            return dataclasses.replace(other, notes=(f"{name} content in a text file, read as {name}",) + other.notes)
    return dec
