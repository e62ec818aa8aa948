"""File formats -> decoded text with its paragraph structure, by file extension.

Every reader takes a file's bytes and returns ``Decoded``: paragraphs separated by
blank lines (what ``aligners.text.split.split_paragraphs`` reads), everything it
left out counted in ``Decoded.removed`` and named in ``notes``, and a clear
``error`` instead of an exception for a file it cannot read. Readers never touch
the network, and their third-party libraries are imported on first use, so that
importing this registry costs nothing.

Bitext formats (TMX, two-column TSV) hold segments that are already paired; they
return one ``Decoded`` per language, one pair per paragraph (``read_bitext``).
"""
from __future__ import annotations

import importlib

from aligners.config import DecodeConfig
from aligners.types import Decoded

# extension -> (module in this package, what the report calls the format)
DOCUMENT_FORMATS = {
    ".txt": ("plain", "text"),
    ".html": ("html", "HTML"),
    ".htm": ("html", "HTML"),
    ".xhtml": ("html", "HTML"),
    ".md": ("markdown", "Markdown"),
    ".markdown": ("markdown", "Markdown"),
    ".docx": ("docx", "DOCX"),
    ".epub": ("epub", "EPUB"),
    ".pdf": ("pdf", "PDF"),
    ".srt": ("subtitles", "SRT"),
    ".vtt": ("subtitles", "WebVTT"),
}
BITEXT_FORMATS = {
    ".tmx": ("bitext", "TMX"),
    ".tsv": ("bitext", "TSV"),
}


def extension(name: str) -> str:
    """The lower-cased extension of a file name ("" when there is none)."""
    base = name.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""


def is_document(name: str) -> bool:
    return extension(name) in DOCUMENT_FORMATS


def is_bitext(name: str) -> bool:
    return extension(name) in BITEXT_FORMATS


def read_bytes(data: bytes, path: str, config: DecodeConfig = DecodeConfig(), name: str = "") -> Decoded:
    """Read one document file, its format told by the extension of ``name`` (default:
    ``path``, which is for messages only); an unknown extension is read as plain text."""
    module, _ = DOCUMENT_FORMATS.get(extension(name or path), DOCUMENT_FORMATS[".txt"])
    return _module(module).read(data, path, config)


def read_bitext(data: bytes, path: str, config: DecodeConfig = DecodeConfig(),
                name: str = "") -> tuple[Decoded, Decoded]:
    """(Chinese side, English side) of a TMX or TSV file, pair k in paragraph k of both."""
    from . import bitext

    return bitext.read(data, path, config, tsv=extension(name or path) == ".tsv")


def _module(name: str):
    return importlib.import_module(f"{__name__}.{name}")
