"""Language by script runs, and a statistical check that Latin text is English.

The script rule (issue 3): Han characters are Chinese, Latin letters are English, other
letters (Cyrillic, kana, Hangul, ...) are "other"; digits, punctuation and spaces are
neutral and go with a neighbour. A short Han run in brackets or quotes inside an English
sentence (``Chen Qingyang (陈清扬) said``) is part of the English. A Latin run of at most ``fold_latin_words`` words next to
Chinese (``3K眼镜``, ``COBE卫星``) is part of the Chinese; likewise a short run of another
script inside a sentence joins its neighbour. A sentence that still switches script is
cut at the gap between the runs: closing marks stay with the run before the gap, opening
marks and digits go with the run after it.

Han text is never relabelled by statistics: langdetect calls 76 of MAC-Dev's 1,463
Chinese sentences Korean (issue 2). The statistical check only flags Latin spans of
``langdetect_min_words`` words or more that look like another language (``not-english``);
see bench/detect_macdev.py for the false-flag rates behind the choice of detector.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from aligners.config import TextConfig
from aligners.text.split import trim_span

_LETTER_RUN = regex.compile(r"(?P<han>[\p{Han}〇々]+)|(?P<latin>\p{Latin}+)|(?P<other>\p{L}+)")
_CLOSING = set("。！？!?.,，、；;：:…—–-”’」』）)]】》〉%％")
_OPENING = set("“‘「『（([【《〈#$¥￥£€")
_LANG_OF = {"han": "zh", "latin": "en", "other": "other"}


@dataclass(frozen=True)
class Span:
    """A one-language piece of a text: ``text[start:end]`` (trimmed of white space)."""

    start: int
    end: int
    lang: str  # "zh", "en", "other" or "" (no letters at all: digits/punctuation only)


@dataclass
class _Group:
    script: str  # "han", "latin", "other"
    start: int  # first letter
    end: int  # after the last letter
    words: int  # white-space separated tokens with letters of this script


def script_groups(text: str, start: int = 0, end: int | None = None) -> list[_Group]:
    """Maximal stretches of one script, neutral characters in between ignored."""
    end = len(text) if end is None else end
    groups: list[_Group] = []
    for m in _LETTER_RUN.finditer(text, start, end):
        script = m.lastgroup
        if groups and groups[-1].script == script:
            g = groups[-1]
            if script != "han" and _has_space(text, g.end, m.start()):
                g.words += 1
            g.end = m.end()
        else:
            groups.append(_Group(script, m.start(), m.end(), 1))
    return groups


def _has_space(text: str, a: int, b: int) -> bool:
    return any(c.isspace() for c in text[a:b])


_SENTENCE_GAP = regex.compile(r"[\s。！？.!?'\"“”‘’]")


_HAN_CHARS = regex.compile(r"[\p{Han}〇々]")
_GLOSS_OPEN = "(（“‘\"'「『《【["
_GLOSS_CLOSE = ")）”’\"'」』》】]"
_FINAL_MARK = regex.compile(r"[.!?。！？…]")


def _fold_glosses(groups: list[_Group], max_chars: int, text: str, end: int) -> list[_Group]:
    """A short Han run in brackets or quotes inside an English sentence is part of the
    English: ``Chen Qingyang (陈清扬) said``, ``what they call “关系”.`` (a gloss or a
    quoted term, symmetric to ``COBE卫星``). It needs English before it with no sentence
    mark in between, an opening mark right before it and a closing mark right after it;
    ``He left.“对”`` and ``(陈清扬) 说`` stay cut."""
    if max_chars <= 0 or len(groups) < 2:
        return groups
    for i, g in enumerate(groups):
        if g.script != "han" or i == 0 or groups[i - 1].script != "latin":
            continue
        right = groups[i + 1] if i + 1 < len(groups) else None
        if right is not None and right.script != "latin":
            continue
        before = text[groups[i - 1].end : g.start]
        after = text[g.end : right.start if right else end].lstrip()
        if (
            before.rstrip()[-1:] in tuple(_GLOSS_OPEN)
            and not _FINAL_MARK.search(before)
            and after[:1] in tuple(_GLOSS_CLOSE)
            and len(_HAN_CHARS.findall(text, g.start, g.end)) <= max_chars
        ):
            g.script = "latin"
            g.words = 0
    return _merge(groups)


def _merge(groups: list[_Group]) -> list[_Group]:
    merged: list[_Group] = []
    for g in groups:
        if merged and merged[-1].script == g.script:
            merged[-1].end = g.end
            merged[-1].words += g.words
        else:
            merged.append(g)
    return merged


def _fold(groups: list[_Group], max_words: int, text: str) -> list[_Group]:
    """Fold short Latin runs into the Chinese around them (``COBE卫星``), and short runs of
    another script into a neighbour; then merge neighbours of the same script.

    A Latin run is folded when Chinese is on both sides, or on one side with the run at
    the edge of the sentence and attached to the Chinese (no space or sentence mark in
    between: ``3K眼镜`` yes, ``……。Got it?`` no)."""
    if len(groups) < 2:
        return groups
    out = [_Group(g.script, g.start, g.end, g.words) for g in groups]
    for i, g in enumerate(out):
        if g.script == "han" or g.words > max_words:
            continue
        left = out[i - 1] if i > 0 else None
        right = out[i + 1] if i + 1 < len(out) else None
        if g.script == "latin":
            if left and right and left.script == "han" and right.script == "han":
                g.script = "han"
            elif left is None and right.script == "han" and not _SENTENCE_GAP.search(text, g.end, right.start):
                g.script = "han"
            elif right is None and left.script == "han" and not _SENTENCE_GAP.search(text, left.end, g.start):
                g.script = "han"
        elif g.script == "other":
            g.script = (left or right).script
    return _merge(out)


def _cut(text: str, a_end: int, b_start: int) -> int:
    """Where the text switches language in the gap ``text[a_end:b_start]``."""
    p = a_end
    while p < b_start:
        ch = text[p]
        if ch in _CLOSING:
            p += 1
        elif ch.isspace():
            q = p
            while q < b_start and text[q].isspace():
                q += 1
            if q < b_start and text[q] in _CLOSING:  # spaced closers: "摔交。 ”", "Mine's . . ."
                p = q
            else:
                break
        elif ch in "\"'" and not (p + 1 < len(text) and (text[p + 1].isascii() and text[p + 1].isalnum())):
            p += 1  # a straight quote not followed by a Latin letter/digit closes
        else:
            break
    return p


def detect_spans(text: str, start: int = 0, end: int | None = None, config: TextConfig = TextConfig()) -> list[Span]:
    """One-language spans covering ``text[start:end]`` (white space trimmed), by script."""
    end = len(text) if end is None else end
    groups = _fold(script_groups(text, start, end), config.fold_latin_words, text)
    groups = _fold_glosses(groups, config.fold_han_chars, text, end)
    if not groups:
        span = trim_span(text, start, end)
        return [Span(span[0], span[1], "")] if span else []
    spans: list[Span] = []
    piece_start = start
    for a, b in zip(groups, groups[1:]):
        cut = _cut(text, a.end, b.start)
        span = trim_span(text, piece_start, cut)
        if span:
            spans.append(Span(span[0], span[1], _LANG_OF[a.script]))
        piece_start = cut
    span = trim_span(text, piece_start, end)
    if span:
        spans.append(Span(span[0], span[1], _LANG_OF[groups[-1].script]))
    return spans


def script_language(text: str) -> str:
    """The language of a whole text by its majority script (letters counted), "" if none."""
    han = latin = other = 0
    for m in _LETTER_RUN.finditer(text):
        n = m.end() - m.start()
        if m.lastgroup == "han":
            han += n
        elif m.lastgroup == "latin":
            latin += n
        else:
            other += n
    if not (han or latin or other):
        return ""
    # one Han character carries about as much as a 3-letter word; compare on that scale
    scores = {"zh": han * 3, "en": latin, "other": other}
    return max(scores, key=scores.get)


# ---------------------------------------------------------------- statistical check

_WORD = regex.compile(r"\p{L}+")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def looks_not_english(text: str, config: TextConfig = TextConfig()) -> str | None:
    """For Latin text of ``langdetect_min_words`` words or more: the language code the
    detector prefers when that is not English, else None."""
    if word_count(text) < config.langdetect_min_words:
        return None
    code = _detect(text, config)
    return code if code and code != "en" else None


def _detect(text: str, config: TextConfig) -> str | None:
    """pycld2 by default: on MAC-Dev English it flags 0.28% of sentences of 5+ words as
    not English against langdetect's 1.73%, at 0.01 ms instead of 2 ms a sentence
    (bench/detect_macdev.py). langdetect when asked for, or when pycld2 is missing."""
    if config.language_checker == "pycld2":
        try:
            return _detect_cld2(text)
        except ImportError:
            pass
    return _detect_langdetect(text, config.langdetect_seed)


def _detect_langdetect(text: str, seed: int) -> str | None:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = seed  # unseeded, langdetect answers differently from run to run
    try:
        return detect(text)
    except LangDetectException:
        return None


def _detect_cld2(text: str) -> str | None:
    import pycld2

    try:
        reliable, _, details = pycld2.detect(text, bestEffort=True)
    except pycld2.error:
        return None
    code = details[0][1] if details else "un"
    return None if code in ("un", "xxx") else code
