"""PDF: the text layer, with lines re-joined into paragraphs.

Read with pypdf (pure Python; it caps every decompressed stream, so a
decompression bomb stops with an error). Each piece of text comes with its
position; pieces on one baseline make a line. On each page:

- a line in the top or bottom tenth of the page that is a page number ("12",
  "- 12 -", "Page 3 of 10", "第 3 页", roman numerals) is left out, and so is one
  whose text (digits masked) recurs in that band on at least half of the pages, or
  that is set smaller than the body text (running headers and footers, footnotes:
  a one-page document shows no recurrence); all counted;
- a new paragraph starts where the gap to the previous line exceeds 1.4 times the
  page's usual line gap, where a line is indented past the page's left edge by more
  than a character, or where the font size changes;
- lines of a paragraph are joined with a space, without one at the break of a
  Chinese line (unless two Latin words meet there), and a word hyphenated at the
  line end is rejoined ("para-" + "graph").

A paragraph that runs on to the next page (no closing punctuation, next page's
first line not indented) is joined across the page break. Encrypted PDFs that need
a password, and PDFs with no text layer (scanned pages: no OCR is done), are rejected.
"""
from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass

import regex

from aligners.config import DecodeConfig
from aligners.types import Decoded

from .common import Extract, rejected

BAND = 0.10  # top and bottom share of the page where running headers, footers and page numbers live
PARAGRAPH_GAP = 1.4  # a line gap this many times the usual one separates paragraphs
_PAGE_NUMBER = regex.compile(
    r"^(?:[-–—\s]*\d{1,5}[-–—\s]*|(?:page|p\.)\s*\d{1,5}(?:\s*(?:of|/)\s*\d{1,5})?|\d{1,5}\s*/\s*\d{1,5}"
    r"|第\s*\d{1,5}\s*页(?:\s*[，,/]?\s*共\s*\d{1,5}\s*页)?|[ivxlcdm]{1,8})$", regex.IGNORECASE)
_END = regex.compile(r"[.!?。！？…\"”’)）」』:：]$")
_HAN = regex.compile(r"\p{Han}")


@dataclass
class _Line:
    x: float
    y: float
    size: float
    text: str


def read(data: bytes, path: str, config: DecodeConfig = DecodeConfig()) -> Decoded:
    if len(data) > config.max_bytes:
        return rejected(path, "PDF", f"file too large ({len(data):,} bytes > limit {config.max_bytes:,})")
    if not data.lstrip()[:1024].find(b"%PDF") >= 0:
        return rejected(path, "PDF", "not a PDF file (no %PDF header)")
    try:
        pages, out = _pages(data)
    except _Rejected as exc:
        return rejected(path, "PDF", str(exc))
    except Exception as exc:  # pypdf raises many kinds on damaged files; the run goes on
        return rejected(path, "PDF", f"damaged or truncated PDF ({exc.__class__.__name__}: {_short(exc)})")
    if not any(lines for lines, _ in pages):
        return rejected(path, "PDF", f"no text layer in {len(pages)} page(s) (scanned images? no OCR is done)")
    empty = sum(1 for lines, _ in pages if not lines)
    if empty:
        out.notes.append(f"{empty} of {len(pages)} PDF pages have no text layer")
    _paragraphs(pages, out)
    return out.decoded(path, config)


class _Rejected(Exception):
    pass


def _pages(data: bytes) -> tuple[list[tuple[list[_Line], float]], Extract]:
    import io

    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    out = Extract("PDF")
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # e.g. AES without the cryptography package
            raise _Rejected(f"encrypted PDF that cannot be opened ({_short(exc)})") from None
        if not opened:
            raise _Rejected("encrypted PDF (a password is needed)")
        out.notes.append("encrypted PDF opened with an empty password")
    pages = []
    for page in reader.pages:
        height = float(page.mediabox.height) or 792.0
        pages.append((_lines(page), height))
    return pages, out


def _lines(page) -> list[_Line]:
    """The page's lines in content order. Pieces on one baseline join into a line, with
    a space where the next piece starts past the end of the previous one by more than
    0.15 em (a space is about 0.25 em): generators that place every word on its own
    leave no space characters, those that place every glyph leave no gaps."""
    lines: list[_Line] = []
    ends: list[float] = []  # where the last piece of each line ends (x)
    widths: dict[int, tuple[dict, float] | None] = {}  # font widths per font dictionary, for this page

    def visit(text, cm, tm, font_dict, font_size):
        if not text or not text.strip("\n"):
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        size = abs(font_size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])) or font_size or 10.0
        for k, part in enumerate(text.split("\n")):
            if not part.strip():
                continue
            if k == 0 and lines and abs(lines[-1].y - y) < 0.3 * size:
                prev = lines[-1].text
                if (x - ends[-1] > 0.15 * size and not prev[-1].isspace() and not part[0].isspace()
                        and not (_HAN.match(prev[-1]) and _HAN.match(part[0]))):
                    part = " " + part
                lines[-1].text += part
                ends[-1] = x + _width(part.lstrip(" "), font_dict, size, widths)
            else:
                lines.append(_Line(x, y - k * size, size, part))
                ends.append(x + _width(part, font_dict, size, widths))

    page.extract_text(visitor_text=visit)
    for line in lines:
        line.text = regex.sub(r"\s+", " ", line.text).strip()
    return [line for line in lines if line.text]


def _width(text: str, font_dict, size: float, cache: dict) -> float:
    """Advance width of ``text`` in user space: the font's /Widths when pypdf can read
    them, else half an em per ASCII character and one em per other character."""
    key = id(font_dict)
    if key not in cache:
        cache[key] = None
        try:
            from pypdf.generic._font import Font

            font = Font.from_font_resource(font_dict)
            cache[key] = (font.character_widths, font.character_widths.get("default", 500))
        except Exception:  # no widths (or a pypdf without this class): estimate
            pass
    found = cache[key]
    if found is None:
        return size * sum(0.5 if ch.isascii() else 1.0 for ch in text)
    table, default = found
    return size / 1000 * sum(table.get(ch, default) for ch in text)


def _paragraphs(pages: list[tuple[list[_Line], float]], out: Extract) -> None:
    running = _running_lines(pages)
    chars = Counter()  # the body text's size: the one most characters are set in
    for lines, _ in pages:
        for line in lines:
            chars[round(line.size, 1)] += len(line.text)
    body_size = chars.most_common(1)[0][0] if chars else 0.0
    previous: list[str] = []  # the open paragraph: lines
    for lines, height in pages:
        body = []
        for line in lines:
            in_band = line.y > height * (1 - BAND) or line.y < height * BAND
            if in_band and _PAGE_NUMBER.match(line.text):
                out.remove("page numbers")
            elif in_band and (_mask(line.text) in running or line.size < 0.9 * body_size):
                out.remove("running headers and footers")
            else:
                body.append(line)
        if not body:
            continue
        left = min(line.x for line in body)
        gaps = [a.y - b.y for a, b in zip(body, body[1:]) if 0 < a.y - b.y < 3 * a.size]
        usual = statistics.median(gaps) if gaps else None
        for k, line in enumerate(body):
            indented = line.x > left + 0.9 * line.size
            if k == 0:
                # a paragraph runs on across the page break unless it ended or this line is indented
                new = not (previous and not _END.search(previous[-1]) and not indented)
            else:
                prev = body[k - 1]
                gap = prev.y - line.y
                new = (indented or gap <= 0 or abs(line.size - prev.size) > 0.15 * prev.size
                       or (usual is not None and gap > PARAGRAPH_GAP * usual))
            if new and previous:
                out.add(_join(previous))
                previous = []
            previous.append(line.text)
    if previous:
        out.add(_join(previous))


def _running_lines(pages) -> set[str]:
    """Texts (digits masked) found in the top/bottom band of at least half the pages (and two)."""
    seen = Counter()
    for lines, height in pages:
        seen.update({_mask(line.text) for line in lines if line.y > height * (1 - BAND) or line.y < height * BAND})
    need = max(2, math.ceil(len(pages) / 2))
    return {text for text, n in seen.items() if n >= need}


def _mask(text: str) -> str:
    return regex.sub(r"\d+", "#", text.lower())


def _join(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        if regex.search(r"\p{Ll}-$", text) and regex.match(r"\p{Ll}", line):
            text = text[:-1] + line  # "para-" + "graph"
        elif _HAN.search(text[-40:]) and not (text[-1].isascii() and text[-1].isalnum()
                                               and line[0].isascii() and line[0].isalnum()):
            text += line  # a Chinese line: no space at its break, except between two Latin words
        else:
            text += " " + line
    return text


def _short(exc: Exception) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return text if len(text) <= 120 else text[:119] + "…"
