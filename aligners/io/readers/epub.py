"""EPUB: the chapters in spine (reading) order, each read as HTML.

The package is read from the zip with size limits; ``container.xml`` names the
package document, whose spine orders the chapters. Each chapter goes through the
HTML reader (``html.extract``), so its boilerplate is left out and counted the
same way. Also left out, and counted: the navigation document and non-linear
spine items (notes, covers). A book whose chapters are encrypted (DRM) is rejected.
"""
from __future__ import annotations

import posixpath
from urllib.parse import unquote

from aligners.config import DecodeConfig
from aligners.types import Decoded

from .common import BoundedZip, Extract, ReadError, parse_xml, rejected


def read(data: bytes, path: str, config: DecodeConfig = DecodeConfig()) -> Decoded:
    try:
        out = extract(data, config)
    except ReadError as exc:
        return rejected(path, "EPUB", str(exc))
    return out.decoded(path, config)


def extract(data: bytes, config: DecodeConfig = DecodeConfig()) -> Extract:
    from .html import extract as html_extract

    archive = BoundedZip(data, "EPUB", config)
    if "META-INF/container.xml" not in archive.names:
        raise ReadError("not an EPUB file (META-INF/container.xml missing)")
    container = parse_xml(archive.read("META-INF/container.xml"), "container.xml")
    opf_path = next((el.get("full-path") for el in container.iter() if _local(el) == "rootfile"), None)
    if not opf_path:
        raise ReadError("not an EPUB file (no package document named in container.xml)")
    opf = parse_xml(archive.read(opf_path), opf_path)
    base = posixpath.dirname(opf_path)
    manifest = {}
    for el in opf.iter():
        if _local(el) == "item" and el.get("id"):
            href = posixpath.normpath(posixpath.join(base, unquote(el.get("href") or "")))
            manifest[el.get("id")] = (href, el.get("properties") or "", el.get("media-type") or "")
    encrypted = _encrypted(archive)
    out = Extract("EPUB")
    for ref in (el for el in opf.iter() if _local(el) == "itemref"):
        item = manifest.get(ref.get("idref"))
        if item is None:
            out.remove("missing spine items")
            continue
        href, properties, media = item
        if href in encrypted:
            raise ReadError("encrypted EPUB (DRM): chapters cannot be read")
        if ref.get("linear") == "no":
            out.remove("non-linear spine items")
            continue
        if "nav" in properties.split():
            out.remove("navigation documents")
            continue
        raw = archive.read(href)
        chapter = html_extract(raw.decode("utf-8", errors="replace"), "EPUB")
        out.paragraphs += chapter.paragraphs
        out.removed.update(chapter.removed)
    return out


def _encrypted(archive: BoundedZip) -> set[str]:
    """Files listed in META-INF/encryption.xml (fonts are often obfuscated this way; chapters only under DRM)."""
    if "META-INF/encryption.xml" not in archive.names:
        return set()
    root = parse_xml(archive.read("META-INF/encryption.xml"), "encryption.xml")
    return {posixpath.normpath(unquote(el.get("URI") or "")) for el in root.iter() if _local(el) == "CipherReference"}


def _local(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
