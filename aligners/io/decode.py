"""Bytes -> text: find the encoding, or say clearly why a file is not text.

Order of evidence: a byte-order mark; UTF-16 without a mark (NUL bytes on one
parity); strict UTF-8; UTF-16 of mostly Chinese text; strict GB18030 or Big5, chosen by how common the decoded
Han characters are; finally UTF-8 with replacement characters, counted. Binary
files (known signatures, NUL bytes, many control bytes) are rejected with a reason.
Decoding never raises.
"""
from __future__ import annotations

import codecs
import re

from aligners.config import DecodeConfig
from aligners.types import Decoded

# Signatures of common binary formats, so the reason names the format.
_MAGIC = (
    (b"%PDF", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"PK\x03\x04", "ZIP/Office"),
    (b"\x1f\x8b", "gzip"),
    (b"\x7fELF", "ELF executable"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"SQLite format 3\x00", "SQLite"),
)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Share of undecodable bytes above which a file is called binary rather than damaged text.
_MAX_REPLACED_SHARE = 0.05
# Share of C0 control characters (other than tab, LF, CR, FF) above which text is binary.
_MAX_CONTROL_SHARE = 0.02
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # C0 controls but tab, LF, FF, CR


def decode_bytes(data: bytes, path: str = "", config: DecodeConfig = DecodeConfig()) -> Decoded:
    """Decode one file's bytes. ``error`` is set (and ``text`` empty) when rejected."""
    if len(data) > config.max_bytes:
        return _reject(path, f"file too large ({len(data):,} bytes > limit {config.max_bytes:,})")
    if not data:
        return _reject(path, "empty file")
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return _reject(path, f"binary file ({name})")

    text, encoding, replaced = _decode(data)
    if text is None:
        return _reject(path, "binary file (contains NUL bytes)")
    if replaced > _MAX_REPLACED_SHARE * max(len(text), 1):
        return _reject(path, f"not text in any supported encoding ({replaced:,} undecodable bytes)")
    controls = len(_CONTROLS.findall(text))
    if controls > _MAX_CONTROL_SHARE * len(text):
        return _reject(path, f"binary file ({controls:,} control characters)")

    notes = []
    if "\r" in text:
        notes.append("line ends converted to LF")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if replaced:
        notes.append(f"{replaced} undecodable byte sequence(s) replaced by U+FFFD")
    if not text.strip():
        return Decoded(path, "", encoding, replaced, "only whitespace", tuple(notes))
    return Decoded(path, text, encoding, replaced, "", tuple(notes))


def _reject(path: str, reason: str) -> Decoded:
    return Decoded(path=path, text="", encoding="", error=reason)


def _decode(data: bytes) -> tuple[str | None, str, int]:
    """Return (text, encoding, replaced count); text is None for NUL-bearing binary."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            return text, encoding, text.count("\ufffd")
    utf16 = _utf16_without_bom(data)
    if utf16:
        text = data.decode(utf16, errors="replace")
        return text, utf16, text.count("\ufffd")
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf-8", 0
        except UnicodeDecodeError:
            pass
    utf16 = _chinese_utf16(data)
    if utf16:
        return data.decode(utf16), utf16, 0
    if b"\x00" in data:
        return None, "", 0
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_han_plausibility(text), encoding, text))
    if candidates:
        # Highest plausibility wins; ties go to GB18030 (listed first, so max keeps it).
        best = max(candidates, key=lambda c: c[0])
        if best[0] >= 0.5:
            return best[2], best[1], 0
    text = data.decode("utf-8", errors="replace")
    return text, "utf-8", text.count("\ufffd")


def _utf16_without_bom(data: bytes) -> str:
    """Guess UTF-16 LE/BE without a byte-order mark from NUL bytes on one parity
    (text with much ASCII in it), or ''."""
    if len(data) < 16 or len(data) % 2:  # a few bytes with a NUL are not evidence enough
        return ""
    sample = data[:4096]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    for encoding, nuls, other in (("utf-16-le", odd_nuls, even_nuls), ("utf-16-be", even_nuls, odd_nuls)):
        if nuls > 0.3 * half and other < 0.05 * half:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text[:2000]):
                return encoding
    return ""


def _chinese_utf16(data: bytes) -> str:
    """UTF-16 LE/BE without a mark and with few NULs (mostly Chinese), or ''.

    Tried only after strict UTF-8 failed. Recognised when the strict decode is
    almost all common Han characters, CJK punctuation and printable ASCII; bytes
    of another encoding decoded as UTF-16 scatter over the plane and fail that.
    """
    if len(data) < 8 or len(data) % 2:
        return ""
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plain_share(data[:8192].decode(encoding, errors="replace")) >= 0.95:
            return encoding
    return ""


def _plain_share(text: str) -> float:
    """Share of characters that are printable ASCII, whitespace, CJK punctuation or common Han."""
    plain = 0
    for ch in text:
        o = ord(ch)
        if 32 <= o < 127 or ch in "\n\r\t" or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFF5E or ch in "“”‘’…—":
            plain += 1
        elif 0x4E00 <= o <= 0x9FFF and (_lead_byte(ch, "gb2312") in range(0xB0, 0xD8)
                                        or _lead_byte(ch, "big5") in range(0xA4, 0xC7)):
            plain += 1
    return plain / max(len(text), 1)


def _han_plausibility(text: str) -> float:
    """Share of Han characters that are common in either simplified or traditional use.

    GB2312 level 1 (lead bytes B0-D7) holds the 3,755 most common simplified
    characters; Big5 level 1 (lead bytes A4-C6) the 5,401 most common traditional
    ones. Text decoded with the wrong one of the two is mostly rare characters.
    Non-Han text counts as plausible when it is mostly printable.
    """
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\t\r")
        return printable / max(len(text), 1)
    common = 0
    for ch in han:
        if _lead_byte(ch, "gb2312") in range(0xB0, 0xD8) or _lead_byte(ch, "big5") in range(0xA4, 0xC7):
            common += 1
    return common / len(han)


def _lead_byte(ch: str, encoding: str) -> int:
    try:
        return ch.encode(encoding)[0]
    except UnicodeEncodeError:
        return -1
