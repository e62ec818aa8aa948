"""What a plain-text file's content really is: markup saved under ``.txt``.

HTML, XML (TMX), JSON and Markdown pasted or exported into a ``.txt`` file would be
segmented as prose: tags, braces and link syntax become "sentences" that align with
each other confidently. ``sniff_format`` names the format from the text alone, so the
plain reader can hand HTML and Markdown to their readers and refuse the rest with a
reason. Strong signs only: the start of the text, or several independent markers, so
prose that mentions a tag or has one ``#`` line stays text.
"""
from __future__ import annotations

import json

import regex

_HTML_START = regex.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", regex.IGNORECASE)
_HTML_TAG = regex.compile(r"</?(?:p|div|span|br|a|li|ul|ol|h[1-6]|table|tr|td|img|meta|script|style)\b[^>]*>",
                          regex.IGNORECASE)
_MARKDOWN = {
    "heading": regex.compile(r"(?m)^#{1,6}[ \t]+\S"),
    "fence": regex.compile(r"(?m)^(?:```|~~~)"),
    "link": regex.compile(r"!?\[[^\]\n]+\]\([^)\s]+[^)\n]*\)"),
    "emphasis": regex.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),
    "table": regex.compile(r"(?m)^\|?[ \t]*:?-{3,}:?[ \t]*\|"),
    "list": regex.compile(r"(?m)^[ \t]{0,3}[-*+][ \t]+\S.*\n[ \t]{0,3}[-*+][ \t]+\S"),
}
SAMPLE = 64 * 1024  # characters looked at


def sniff_format(text: str) -> str | None:
    """".html", ".tmx", ".xml", ".json" or ".md" when the text is in that format, else None."""
    sample = text[:SAMPLE]
    head = sample.lstrip("\ufeff \t\r\n")
    low = head[:2048].lower()
    if low.startswith("<?xml") or low.startswith("<tmx"):
        return ".tmx" if "<tmx" in low else (".html" if "<html" in low else ".xml")
    if _HTML_START.match(low) or _HTML_START.search(low) and low.startswith("<") \
            or len(_HTML_TAG.findall(sample)) >= 5:
        return ".html"
    if head[:1] in "{[":
        try:
            json.loads(text)
            return ".json"
        except ValueError:
            pass
    if sum(1 for pattern in _MARKDOWN.values() if pattern.search(sample)) >= 2:
        return ".md"
    return None
