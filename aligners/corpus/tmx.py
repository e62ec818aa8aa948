"""TMX 1.4b: a translation memory for CAT tools and concordancers.

What the specification requires and nothing more: the header's ``creationtool``,
``creationtoolversion``, ``segtype``, ``o-tmf``, ``adminlang``, ``srclang`` and
``datatype``; one ``<tu>`` per pair, holding its properties (``<prop>`` comes
before ``<tuv>`` in a ``<tu>``) and one ``<tuv>`` per language, each with one
``<seg>`` of plain text. Text is written with the XML escapes only; characters
XML 1.0 cannot hold (most C0 controls, U+FFFE/U+FFFF) become U+FFFD. No
creation date, so the same corpus gives the same bytes.
"""
from __future__ import annotations

from typing import Iterable

import regex

from aligners import __version__
from aligners.types import Row

ZH_LANG, EN_LANG = "zh-CN", "en"
_NOT_XML = regex.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    text = _NOT_XML.sub("\ufffd", str(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(text: str) -> str:
    return xml_text(text).replace('"', "&quot;")


def _prop(kind: str, value, indent: str) -> str:
    return f'{indent}<prop type="{xml_attr(kind)}">{xml_text(value)}</prop>\n'


def tmx_lines(rows: Iterable[Row], provenance: dict | None = None) -> Iterable[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<tmx version="1.4">\n'
    yield (f'  <header creationtool="bitextflow" creationtoolversion="{xml_attr(__version__)}" '
           f'segtype="sentence" o-tmf="bitextflow-tsv" adminlang="en" srclang="{ZH_LANG}" '
           f'datatype="plaintext">\n')
    for key, value in (provenance or {}).items():
        yield _prop("x-" + key.replace("_", "-"), value if isinstance(value, str) else _flat(value), "    ")
    yield "  </header>\n  <body>\n"
    for n, r in enumerate(rows, 1):
        yield f'    <tu tuid="{n}">\n'
        yield _prop("x-doc-id", r.doc_id, "      ")
        yield _prop("x-score", f"{r.score:.4f}", "      ")
        yield _prop("x-zh-ids", ",".join(map(str, r.zh_ids)), "      ")
        yield _prop("x-en-ids", ",".join(map(str, r.en_ids)), "      ")
        yield f'      <tuv xml:lang="{ZH_LANG}"><seg>{xml_text(r.zh)}</seg></tuv>\n'
        yield f'      <tuv xml:lang="{EN_LANG}"><seg>{xml_text(r.en)}</seg></tuv>\n'
        yield "    </tu>\n"
    yield "  </body>\n</tmx>\n"


def _flat(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)
