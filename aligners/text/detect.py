"""The language of a sentence, and a statistical check that Latin text is English.

Scripts: Han characters are Chinese, Latin letters English, other letters (Cyrillic,
kana, Hangul, ...) "other"; digits, punctuation and spaces are neutral.

A sentence (as cut by aligners/text/split.py) is in ONE language: names, brackets,
titles, URLs, e-mail addresses, code and formulas of one script inside a sentence of the
other belong to that sentence. Where two languages meet at a sentence end, the splitter
has already cut. The language is decided by where the sentence sits:

- ``side="zh"`` (the Chinese file of a pair): Chinese when it has a Han letter outside
  brackets and quotes; else its own language (an English sentence, or one with a gloss);
- ``side="en"`` (the English file of a pair): English when it has a Latin letter outside
  brackets and quotes and does not end with a full-width mark; else its own language;
- ``side="mixed"`` (one bilingual file): the sentence's own language, which is

  1. Chinese when it ends with a full-width mark (``。！？``, closing quotes after it allowed);
  2. English when it starts with a Latin letter and ends with ``.``, ``!`` or ``?`` right
     after a Latin letter or digit;
  3. otherwise the script with more weight among the letters outside brackets and quotes
     (all letters when every letter is enclosed), a Han character weighing three Latin
     letters (about the length ratio of Chinese to English translations).

  A sentence with no Han or Latin letter but other letters is "other"; one with no
  letters at all gets "" (the caller gives it a neighbour's language).

So ``约翰逊牧师（John Howard Johnson）领导下……。`` is Chinese anywhere, ``Chen Qingyang
(陈清扬) said so.`` English anywhere, and ``Steven Gerrard 的 Rangers`` (a headline with
no final mark) Chinese in a Chinese file. tests/test_detect.py has the table of cases.

Han text is never relabelled by statistics: langdetect calls 76 of MAC-Dev's 1,463
Chinese sentences Korean. The statistical check only flags Latin sentences of
``langdetect_min_words`` words or more that look like another language (``not-english``);
see bench/detect_macdev.py for the false-flag rates behind the choice of detector.
"""
from __future__ import annotations

import regex

from aligners.config import TextConfig

_LETTER_RUN = regex.compile(r"(?P<han>[\p{Han}〇々]+)|(?P<latin>\p{Latin}+)|(?P<other>\p{L}+)")

# Pairs that enclose a gloss, a title or a quotation. A straight double quote toggles;
# a straight single quote and ’ are too often apostrophes to open or close anything.
_PAIRS = {"(": ")", "（": "）", "[": "]", "【": "】", "「": "」", "『": "』", "《": "》", "〈": "〉", "“": "”", "‘": "’"}
_CLOSERS = set(_PAIRS.values()) | {'"'}
_ENCLOSING = regex.compile("[" + regex.escape("".join(_PAIRS) + "".join(_CLOSERS)) + "]")
_FULL_WIDTH_FINAL = "。！？"
_ASCII_FINAL = ".!?"
HAN_WEIGHT = 3  # one Han character against Latin letters (Chinese is about a third the length of English)


# Kana (Japanese) and Hangul (Korean) beside Han characters: Han-script text that is not
# Chinese. A single one is tolerated (the の of a Taiwanese shop name); two or more that make
# a tenth of the sentence's Han-script letters are not (Japanese prose is mostly kana, and
# even a kanji-heavy headline has particles: 東京都知事選挙の結果が出た).
_KANA_HANGUL = regex.compile(r"[\p{Hiragana}\p{Katakana}\p{Hangul}]")


def _han_script_not_chinese(text: str, start: int, end: int, runs) -> bool:
    marks = len(_KANA_HANGUL.findall(text, start, end))
    han = sum(e - s for script, s, e in runs if script == "han")
    return marks >= 2 and marks * 10 >= han + marks


def sentence_language(text: str, start: int = 0, end: int | None = None, side: str = "mixed") -> str:
    """The language of the sentence ``text[start:end]`` ("zh", "en", "other" or "")
    for a sentence sitting in a ``side`` file (see the module docstring)."""
    end = len(text) if end is None else end
    runs = [(m.lastgroup, m.start(), m.end()) for m in _LETTER_RUN.finditer(text, start, end)]
    scripts = {script for script, _, _ in runs}
    if not scripts:
        return ""
    if not scripts & {"han", "latin"} or _han_script_not_chinese(text, start, end, runs):
        return "other"
    if len(scripts & {"han", "latin"}) == 1:
        return "zh" if "han" in scripts else "en"
    enclosed = _enclosed_intervals(text, start, end)
    outside = [r for r in runs if not _inside(r, enclosed)]
    outside_scripts = {script for script, _, _ in outside}
    if side == "zh" and "han" in outside_scripts:
        return "zh"
    if side == "en" and "latin" in outside_scripts and not _ends_full_width(text, start, end):
        return "en"
    return _own_language(text, start, end, outside or runs)


def _ends_full_width(text: str, start: int, end: int) -> bool:
    bare = text[start:end].rstrip().rstrip("".join(_CLOSERS) + "’' \t")
    return bool(bare) and bare[-1] in _FULL_WIDTH_FINAL


_PAUSE_BEFORE_ENGLISH = regex.compile(r"[：；，。！？:;,][\s\u3000]*$")
_ENGLISH_SENTENCE = regex.compile(r"[\"'“‘(]?\p{Lu}[^\p{Han}]*[.!?…][\"'”’)]*")
MIN_SENTENCE_WORDS = 3  # an English tail this long is a sentence, not a name or a title


def english_tail(text: str, start: int, end: int) -> int | None:
    """In a mixed file: where a complete English sentence starts after Chinese inside
    ``text[start:end]``, or None. ``陈清扬说，这是真的：After that I was angry.`` (two
    languages run together after a Chinese pause mark, no line break) is two sentences;
    ``他在 Massachusetts Institute of Technology.`` (no mark before the Latin), a
    quotation after a pause mark (``他们高喊：“Make America Great Again.”``), and
    ``他说：OK.`` (too short) are one. The English must
    start with a capital, end with a final mark, have no Han and at least
    ``MIN_SENTENCE_WORDS`` words."""
    last_han = None
    for m in _LETTER_RUN.finditer(text, start, end):
        if m.lastgroup == "han":
            last_han = m
    if last_han is None:
        return None
    pos = last_han.end()
    while pos < end and not (text[pos].isalpha() or text[pos] in "\"'“‘("):
        pos += 1
    pause = _PAUSE_BEFORE_ENGLISH.search(text, last_han.end(), pos)
    if pos >= end or not pause:
        return None
    if text[pos] in "\"'“‘(" and pause.group(0)[0] not in "。！？":
        return None  # 他们高喊：“Make America Great Again.”: a quotation inside the Chinese sentence
    stop = end
    while stop > pos and text[stop - 1].isspace():
        stop -= 1
    m = _ENGLISH_SENTENCE.fullmatch(text, pos, stop)
    if not m or len(text[pos:end].split()) < MIN_SENTENCE_WORDS:
        return None
    return pos


def is_english_sentence(text: str) -> bool:
    """A whole English sentence: a capital first, a final mark last, no Han, and at least
    ``MIN_SENTENCE_WORDS`` words (``OK.`` or ``Inc.`` is not one)."""
    text = text.strip()
    return _ENGLISH_SENTENCE.fullmatch(text) is not None and len(text.split()) >= MIN_SENTENCE_WORDS


def _own_language(text: str, start: int, end: int, runs: list[tuple[str, int, int]]) -> str:
    """Rules 1-3 of the module docstring for a sentence with both Han and Latin letters."""
    if _ends_full_width(text, start, end):
        return "zh"
    tail = text[start:end].rstrip()
    marks = tail.rstrip(_ASCII_FINAL)
    first = runs[0] if runs else None
    starts_latin = first is not None and first[0] == "latin" and not _LETTER_RUN.search(text, start, first[1])
    if starts_latin and len(marks) < len(tail) and marks and (marks[-1].isdigit() or regex.match(r"\p{Latin}", marks[-1])):
        return "en"
    han = sum(e - s for script, s, e in runs if script == "han")
    latin = sum(e - s for script, s, e in runs if script == "latin")
    return "en" if latin > HAN_WEIGHT * han else "zh"


def _enclosed_intervals(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(open, close) positions of the bracket and quote pairs in ``text[start:end]``;
    an unclosed opener encloses nothing."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    straight = -1
    for m in _ENCLOSING.finditer(text, start, end):
        i, ch = m.start(), m.group(0)
        if ch == '"':
            if straight < 0:
                straight = i
            else:
                pairs.append((straight, i))
                straight = -1
        elif ch in _PAIRS:
            stack.append((_PAIRS[ch], i))
        elif ch in _CLOSERS:
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == ch:
                    pairs.append((stack[k][1], i))
                    del stack[k:]
                    break
    return pairs


def _inside(run: tuple[str, int, int], intervals: list[tuple[int, int]]) -> bool:
    _, s, e = run
    return any(o < s and e <= c for o, c in intervals)


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
