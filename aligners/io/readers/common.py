"""What the readers share: the result they build, bounded zip access, a safe XML parser."""
from __future__ import annotations

import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field

import regex

from aligners.config import DecodeConfig
from aligners.types import Decoded

# A zip member may expand to at most this many times its compressed size. Real
# DOCX/EPUB parts compress text about 3-10x; zip bombs reach 1000x and more.
MAX_ZIP_RATIO = 200
MAX_ZIP_MEMBERS = 10_000

_SPACES = regex.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u3000]+")
# a space between two Chinese characters is a line break of the source, not a word gap
_CJK = r"[\p{Han}\u3000-\u303f\uff00-\uffef]"
_CJK_SPACE = regex.compile(rf"(?<={_CJK}) (?={_CJK})")


class ReadError(Exception):
    """A file this reader cannot read; the message is the reason shown to the user."""


@dataclass
class Extract:
    """Paragraphs as they are found, with what was left out (``what`` -> count)."""

    fmt: str
    paragraphs: list[str] = field(default_factory=list)
    removed: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    encoding: str = ""

    def add(self, text: str, cjk_join: bool = True) -> None:
        """One paragraph; inner runs of spaces collapse, line breaks inside stay, and
        (``cjk_join``) a space between two Chinese characters goes."""
        lines = [_SPACES.sub(" ", line) for line in text.split("\n")]
        lines = [(_CJK_SPACE.sub("", line) if cjk_join else line).strip() for line in lines]
        text = "\n".join(line for line in lines if line)
        if text:
            self.paragraphs.append(text)

    def remove(self, what: str, n: int = 1) -> None:
        if n:
            self.removed[what] += n

    def decoded(self, path: str, config: DecodeConfig) -> Decoded:
        text = "\n\n".join(self.paragraphs)
        encoding = f"{self.fmt}/{self.encoding}" if self.encoding else self.fmt
        removed = tuple(sorted(self.removed.items()))
        notes = list(self.notes)
        if removed:
            notes.append(f"{self.fmt} reader left out " + ", ".join(f"{n} {what}" for what, n in removed))
        if len(text.encode("utf-8")) > config.max_bytes:
            return Decoded(path, "", encoding, error=f"extracted text too large (> limit {config.max_bytes:,} bytes)",
                           notes=tuple(notes), removed=removed)
        if not text.strip():
            return Decoded(path, "", encoding, error=f"no text found in the {self.fmt} file",
                           notes=tuple(notes), removed=removed)
        return Decoded(path, text, encoding, notes=tuple(notes), removed=removed)


def rejected(path: str, fmt: str, reason: str) -> Decoded:
    return Decoded(path, "", fmt, error=reason)


class BoundedZip:
    """A zip archive whose members are read with size limits (no zip bombs)."""

    def __init__(self, data: bytes, fmt: str, config: DecodeConfig):
        if not data.startswith(b"PK"):
            raise ReadError(f"not a {fmt} file (not a zip archive)")
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise ReadError(f"damaged or truncated {fmt} file ({exc})") from None
        if len(infos) > MAX_ZIP_MEMBERS:
            raise ReadError(f"{fmt} file with {len(infos):,} parts (limit {MAX_ZIP_MEMBERS:,})")
        if any(i.flag_bits & 0x1 for i in infos):
            raise ReadError(f"encrypted {fmt} file")
        self.fmt = fmt
        self.limit = config.max_bytes
        self.names = {i.filename for i in infos}
        self.infos = {i.filename: i for i in infos}
        self.read_total = 0

    def read(self, name: str) -> bytes:
        info = self.infos.get(name)
        if info is None:
            raise ReadError(f"not a {self.fmt} file ({name} missing)")
        budget = min(self.limit - self.read_total, MAX_ZIP_RATIO * max(info.compress_size, 1024))
        try:
            with self.zf.open(info) as fh:
                data = fh.read(budget + 1)  # the size in the header may lie: read no more than allowed
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise ReadError(f"damaged or truncated {self.fmt} file ({name}: {exc})") from None
        if len(data) > budget:
            raise ReadError(f"{self.fmt} part {name} expands beyond the size limit (zip bomb?)")
        self.read_total += len(data)
        return data


def xml_parser():
    """lxml parser that loads no DTD, resolves no entity and never uses the network."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def parse_xml(data: bytes, what: str):
    from lxml import etree

    try:
        return etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"{what} is not well-formed XML ({exc})") from None
