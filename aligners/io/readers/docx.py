"""DOCX (Word): the body's paragraphs in order, table cells included.

Read from the zip with size limits (``common.BoundedZip``) and parsed with lxml
without DTDs, entities or network. Word paragraphs are the paragraphs. Left out,
and counted: page headers and footers, footnotes, endnotes and comments (separate
parts of the package), deleted tracked changes, field codes, text boxes and
table-of-contents entries.
"""
from __future__ import annotations

from aligners.config import DecodeConfig
from aligners.types import Decoded

from .common import BoundedZip, Extract, ReadError, parse_xml, rejected

_OFFICE_DOCUMENT = "/officeDocument"
_SIDE_PARTS = {"header": "page headers", "footer": "page footers", "footnotes": "footnote parts",
               "endnotes": "endnote parts", "comments": "comment parts"}


def read(data: bytes, path: str, config: DecodeConfig = DecodeConfig()) -> Decoded:
    try:
        out = extract(data, config)
    except ReadError as exc:
        return rejected(path, "DOCX", str(exc))
    return out.decoded(path, config)


def extract(data: bytes, config: DecodeConfig = DecodeConfig()) -> Extract:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError("an encrypted or legacy Word file (OLE container), not DOCX")
    archive = BoundedZip(data, "DOCX", config)
    main = _main_part(archive)
    root = parse_xml(archive.read(main), main)
    out = Extract("DOCX")
    body = next((el for el in root if _local(el) == "body"), None)
    if body is None:
        raise ReadError(f"not a DOCX file ({main} has no body)")
    for block in body:
        _block(block, out)
    folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
    for name in sorted(archive.names):
        if not name.startswith(folder) or "/" in name[len(folder):] or not name.endswith(".xml"):
            continue
        stem = name[len(folder):-4].rstrip("0123456789")
        if stem in _SIDE_PARTS and _has_text(archive, name):
            out.remove(_SIDE_PARTS[stem])
    return out


def _main_part(archive: BoundedZip) -> str:
    if "_rels/.rels" in archive.names:
        rels = parse_xml(archive.read("_rels/.rels"), "_rels/.rels")
        for rel in rels:
            if (rel.get("Type") or "").endswith(_OFFICE_DOCUMENT):
                target = (rel.get("Target") or "").lstrip("/")
                if target in archive.names:
                    return target
    if "word/document.xml" in archive.names:
        return "word/document.xml"
    raise ReadError("not a DOCX file (a zip archive without a Word document part)")


def _block(el, out: Extract) -> None:
    """A body-level element: paragraph, table (cells in reading order) or content control."""
    name = _local(el)
    if name == "p":
        style = _style(el)
        text = _paragraph_text(el, out)
        if style.lower().startswith("toc") and text.strip():
            out.remove("table-of-contents entries")
        else:
            out.add(text)
    elif name in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "ins"):
        for child in el:
            _block(child, out)


def _paragraph_text(p, out: Extract) -> str:
    parts: list[str] = []
    stack = list(reversed(list(p)))
    while stack:
        el = stack.pop()
        name = _local(el)
        if name == "t":
            parts.append(el.text or "")
        elif name == "tab":
            parts.append(" ")
        elif name in ("br", "cr"):
            if el.get(_attr(el, "type")) != "page":
                parts.append("\n")
        elif name in ("delText", "del"):
            out.remove("deleted revisions")
        elif name == "instrText":
            out.remove("field codes")
        elif name == "txbxContent":
            out.remove("text boxes")
        elif name in ("pPr", "rPr", "Fallback"):  # properties; AlternateContent's copy of a Choice
            continue
        else:
            stack.extend(reversed(list(el)))
    return "".join(parts)


def _style(p) -> str:
    for child in p:
        if _local(child) == "pPr":
            for prop in child:
                if _local(prop) == "pStyle":
                    return next(iter(prop.attrib.values()), "")
    return ""


def _has_text(archive: BoundedZip, name: str) -> bool:
    root = parse_xml(archive.read(name), name)
    return any(_local(el) == "t" and (el.text or "").strip() for el in root.iter())


def _local(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _attr(el, name: str) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[0] + "}" + name if isinstance(tag, str) and "}" in tag else name
