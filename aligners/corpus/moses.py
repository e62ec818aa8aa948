"""Moses line-parallel text: line n of ``corpus.zh`` is the translation of line n of
``corpus.en``. A segment holds no line break (anything a line reader might split on
becomes a space), so the two files always have as many lines as there are pairs."""
from __future__ import annotations

from typing import Iterable

import regex

from aligners.types import Row

# what str.splitlines() and the usual line readers split on
_BREAKS = regex.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def moses_line(text: str) -> str:
    return _BREAKS.sub(" ", text) + "\n"


def moses_lines(rows: Iterable[Row], side: str) -> Iterable[str]:
    for r in rows:
        yield moses_line(getattr(r, side))
