"""Paragraphs and sentences, as character spans of the decoded text.

Spans (``start``, ``end``) index the original text and are trimmed of white space, so
``text[start:end]`` is the raw sentence and every non-space character of the input lies
in exactly one span (the accounting invariant holds by construction).

One scanner handles both languages, because sentences of a mixed document (and of the
seed's Chinese chunk inside English) sit side by side:

- Chinese: a sentence ends at 。！？ and at … / ……, together with the closing quotes and
  brackets that follow (``？”``); no space is needed after it. A half-width ``?``/``!``
  right after a Chinese character also ends one (text whose marks were width-folded).
- English: ``. ! ? …`` (and ``...``) followed by white space and a sentence start (capital,
  digit, opening quote or bracket, Chinese). Not after titles (Mr., Dr.), initials (J.),
  dotted abbreviations (U.S., e.g.) unless the next word is a common sentence opener
  or a quotation closes right after the full stop (``A.M." "Wow``); a lower-case start
  only after the full stop of a plain lower-case word (``pocket. short-long``, not
  ``et al. found``);
  firm suffixes (Inc.) and initials only before a common sentence opener ("grade A.
  The"), months only when no day number follows (``Oct. 2``);
  decimals never qualify (no space); a full stop after a number, a file or a domain name
  (``0.3.``, ``settings.json.``) does, and so does one after a single capital that follows a
  number or an article (``5 W.``, ``an A.``); a lower-case brand (``iPhone``) starts a
  sentence; a list item's number (``1. Weight``) ends none. A straight quote after the
  mark belongs to the sentence when no letter follows it (``drive!" He`` and the spaced
  ``drive! " He``).
- Between the scripts: a Latin mark followed by a closing mark or a space before
  Chinese ends a sentence only when the sentence so far has no Chinese
  (``苹果公司（Apple Inc.）发布``, ``他说“I love you.”然后`` go on; ``He left.“对”`` and the
  width-folded ``他买了iPhone.苹果``, ``出口.Nottingham`` end); a Chinese mark is no end
  when a lower-case English word follows (``He said “我爱你。” and left.``).
- Lines (``split_lines``): a line break ends a headline, a list item, a price or spec
  line and an utterance of a transcript; a line merely wrapped goes on.
- Long stretches with no boundary are cut at the last space or mark before
  ``max_chars`` (so a 50 MB line with no punctuation costs linear time).

All work is linear in the text length: one regex scan for candidate marks, constant work
per candidate.
"""
from __future__ import annotations

import unicodedata

import regex

# ---------------------------------------------------------------- paragraphs

_BLANK_LINE = regex.compile(r"\n[ \t\r\f\v\u3000]*\n")
_LINE = regex.compile(r"[^\n]+")


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blank lines separate paragraphs; a text with no blank line has
    one paragraph per line (MAC-Dev raw files: one paragraph per chapter)."""
    if _BLANK_LINE.search(text):
        parts = []
        pos = 0
        for m in _BLANK_LINE.finditer(text):
            parts.append((pos, m.start()))
            pos = m.end() - 1
        parts.append((pos, len(text)))
    else:
        parts = [m.span() for m in _LINE.finditer(text)]
    return [span for span in (trim_span(text, s, e) for s, e in parts) if span]


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` without surrounding white space, or None when only white space is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


_LINE_BREAK = regex.compile(r"\n")
_HARD_LINE_END = regex.compile(r"[.!?。！？…\"”’)）」』]$")


def _next_line(text: str, start: int, end: int) -> str:
    stop = text.find("\n", start, end)
    return text[start : end if stop < 0 else stop].strip()


# Lines that start a new item whatever the line before: a list marker ("- ", "• ", "3. ",
# "2、", "(1)", "①", "★★★★☆ "), a bracketed time stamp ("[10:32] "); and a speaker label
# ("客服：", "User: ", "Ms Wang: ") or a bare time ("10:32 "), which start a new item when
# the line before starts with one too (a transcript; a wrapped line of prose may happen
# to start with "他说：" or "14:00 前").
_LIST_ITEM = regex.compile(
    r"(?:[-–•·*▪◦●○■□✔✓✅❌➤►→]|[★☆]+)[ \t\u3000]|\d{1,2}[.、)）](?!\d)|[(（]\d{1,2}[)）]|[①-⑳]"
    r"|[\[【(（]\d{1,2}:\d{2}(?::\d{2})?[\]】)）][ \t\u3000]"
)
_SPEAKER_LABEL = regex.compile(
    r"\d{1,2}:\d{2}(?::\d{2})?[ \t\u3000]|(?:[\[【(（]?\d{1,2}:\d{2}(?::\d{2})?[\]】)）]?[ \t\u3000]*)?"
    r"(?:\p{Lu}[\p{L}.'’-]*(?:[ \t]\p{Lu}[\p{L}.'’-]*){0,2}|[\p{Han}·]{1,6})[ \t]*[:：]"
)
# A Chinese line wraps onto the next only if the two are prose: one of them holds a clause
# or sentence mark (a colon is not enough: "价格：¥199"). Two lines neither of which has
# one (a product title and a price line) are items, each ending at its line break.
_CHINESE_PROSE_MARK = regex.compile(r"[，。！？；、,;!?]")
# Title case: every word of four letters or more capitalised (three at least). A
# heading or product title, which ends at its line break even when long.
_LONG_WORD = regex.compile(r"(?<![\p{L}'’])\p{L}{4,}")
_TITLE_CASE_MIN_WORDS = 3


# Hard-wrapped text: lines of a paragraph that reach a fifth short of its widest line, two
# of them at least, the widest 40 columns or more (a Chinese character counts two, as in
# the editors that wrap text), are wrapped lines, whatever they end with.
_FILLED_SHARE = 0.8
_MIN_FILL_COLUMNS = 40


def display_width(line: str) -> int:
    """Columns of ``line`` in a fixed-width font: wide (East Asian) characters count two."""
    return len(line) + sum(1 for ch in line if ord(ch) >= 0x1100 and unicodedata.east_asian_width(ch) in "WF")


def _fill_width(text: str, start: int, end: int) -> float:
    """The width a line must reach to count as filled, or 0 when the paragraph is not
    hard-wrapped."""
    widths = [display_width(m.group(0).strip()) for m in _LINE.finditer(text, start, end)]
    widest = max(widths, default=0)
    if widest < _MIN_FILL_COLUMNS:
        return 0
    threshold = _FILLED_SHARE * widest
    return threshold if sum(w >= threshold for w in widths[:-1]) >= 2 else 0


def speaker_label_end(text: str) -> int:
    """Where a speaker label or field name opening ``text`` ends ("客服：", "User: ",
    "[10:32] 用户："), else 0."""
    m = _SPEAKER_LABEL.match(text)
    return m.end() if m else 0


def _starts_item(line: str) -> bool:
    return _LIST_ITEM.match(line) is not None


def _title_case(line: str) -> bool:
    words = _LONG_WORD.findall(line)
    return len(words) >= _TITLE_CASE_MIN_WORDS and all(w[0].isupper() for w in words)


def split_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a paragraph at its line breaks, except where a line was merely wrapped: the
    line fills the paragraph's width (hard-wrapped text: the sentence splitter then finds
    the ends inside), or the next line starts with a lower-case letter, or a long line
    stops mid-clause (ends with a letter, comma or hyphen; not a line in title case), or
    a Chinese line continues with prose (after a pause mark, or when the line is
    at least half as long as the next one: a headline without a final mark is short). A
    line that starts a new item (a list marker, a time stamp, or a speaker label after a
    line that has one) is never a continuation."""
    if "\n" not in text[start:end]:
        return [(start, end)]
    fill = _fill_width(text, start, end)
    pieces = []
    piece_start = start
    line_start = start
    for m in _LINE_BREAK.finditer(text, start, end):
        line = text[line_start : m.start()].strip()
        rest = text[m.end() : min(end, m.end() + 8)].lstrip()
        line_start = m.end()
        if not line or not rest:
            continue
        last, first = line[-1], rest[0]
        wrapped = False
        next_line = _next_line(text, m.end(), end)
        if _starts_item(next_line) or (_SPEAKER_LABEL.match(next_line) and _SPEAKER_LABEL.match(line)):
            pass
        elif fill and display_width(line) >= fill:
            wrapped = True
        elif not _HARD_LINE_END.search(line):
            if first.islower():
                wrapped = True
            elif (_HAN_CHAR.match(first) or _HAN_CHAR.match(last)) and (_HAN_CHAR.match(last) or last in "，、；：“（《,;:("):
                # a hard-wrapped line fills the width; a headline or dateline is short (a
                # Chinese line may also wrap before a Latin word or a number: "收于\n$182.50")
                wrapped = last in "，、；：“（《,;:(" or (2 * len(line) >= len(next_line) and (
                    _CHINESE_PROSE_MARK.search(line) is not None or _CHINESE_PROSE_MARK.search(next_line) is not None))
            elif len(line) >= 40 and (last.isalpha() or last in ",;:-–—(") and not _HAN_CHAR.match(last):
                wrapped = not _title_case(line)
        if not wrapped:
            pieces.append((piece_start, m.start()))
            piece_start = m.end()
    pieces.append((piece_start, end))
    return [span for span in (trim_span(text, s, e) for s, e in pieces) if span]


# ---------------------------------------------------------------- sentences

# A quotation introduced by a colon (``她表示：“……”``) is a whole utterance: when its closing
# quote is followed at once by Chinese, the sentence ends there even without a final mark
# (``“我不否认那些新闻”随后她表示``), unless the quotation is a short term (``称为:“文化宝藏”和``)
# or a particle binds what follows to it (``“……”的说法``).
_QUOTED_TERM_MAX = 6  # characters: a quoted name, title or term, not an utterance
_QUOTE_SEARCH = 300  # how far back the opening quote is looked for (bounded: linear time)
_BINDING_AFTER_QUOTE = "的地得和与及或等之中里上时后前"
# A run of sentence-final marks; spaced ellipses ("… …") count as one run. A dash right
# before a closing quote is an interrupted utterance ("你为什么——”", "But I—'") and
# ends the quotation like a final mark does.
# A comma closing a quotation that another quotation follows at once ("……哭，”“我认为……")
# ends it too: the English attribution between the two ("," she said. ") was dropped.
_TERMINATORS = regex.compile(
    r"(?:[。！？!?.…]|\.\.\.)+(?:[ \t]*…)*|[—–]+(?=[”’」』\"'])|[，,](?=[”」』][ \t\u3000]*[“「『])"
    r"|(?P<quote>(?<=[^。！？!?…\s])[”\"](?=\p{Han}))"
)
_DASHES = "—–"
# Closing marks that stay with the sentence they follow.
_CLOSERS = "”’」』）)]】》〉›»"
_OPENERS = "“‘「『（([【《〈‹«"
_CJK_FINAL = "。！？…"
_CJK_FINAL_STOPS = "。！？"
_TITLES = frozenset(
    "mr mrs ms dr prof st jr sr mt ft gen col lt sgt capt cpt maj adm rev hon gov sen rep pres messrs "
    "mme mlle vs v cf fig figs no nos vol vols pp p op approx dept est ch sec art "
    "sens reps det insp supt govs".split()
)
# Abbreviations before a number: "No. 5", "Rm. 12.04", "Apt. 3", "Tel. 400-820", "Ext. 12".
_NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "rm", "apt", "tel", "ext"})
# Abbreviations that also end sentences ("at Apple Inc. The firm", "in Oct. It rained"):
# a boundary only when a common sentence opener follows, as for dotted ones (U.S.).
_OPEN_ABBREVIATIONS = frozenset("inc ltd corp co bros etc".split())
_MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())  # "Oct. 2" is a date
_WEEKDAYS = frozenset("Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun".split())  # "Wed. 10:00"; capitalised only
_SENTENCE_OPENERS = frozenset(
    "the a an he she it i we they you this that these those there but and so then in on at "
    "his her its our their my when while if after before as yet however".split()
)
_HAN_CHAR = regex.compile(r"\p{Han}")
_WORD_BEFORE = regex.compile(r"[\p{L}\p{N}.'’-]+$")
_SPACE_BREAK = regex.compile(r"[\s\u3000]")
_SOFT_BREAK = regex.compile(r"[\s\u3000，、,;；:：—]")


def split_sentences(text: str, start: int = 0, end: int | None = None, max_chars: int = 2000,
                    cuts: set[int] | None = None) -> list[tuple[int, int]]:
    """Sentence spans within ``text[start:end]`` (a paragraph), trimmed of white space.
    ``cuts``, when given, receives the positions where a long stretch was cut inside a
    token (no space or mark to cut at): the pieces on both sides are truncated."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    sent_start = start
    for m in _TERMINATORS.finditer(text, start, end):
        if m.group("quote") is not None:
            cut = m.end() if _colon_quotation_ends(text, m.start(), sent_start) else None
        else:
            cut = _boundary_after(text, m.start(), m.end(), end, sent_start)
        if cut is None or cut <= sent_start:
            continue
        _emit(text, sent_start, cut, spans, max_chars, cuts)
        sent_start = cut
    _emit(text, sent_start, end, spans, max_chars, cuts)
    return spans


def _colon_quotation_ends(text: str, close: int, sent_start: int) -> bool:
    """The closing quote at ``close`` (Chinese follows it) ends a quotation opened right
    after a colon, longer than a quoted term, and nothing binds the next word to it."""
    if text[close + 1] in _BINDING_AFTER_QUOTE:
        return False
    opening = text.rfind("“", max(sent_start, close - _QUOTE_SEARCH), close)
    if opening < 0 or "”" in text[opening:close] or close - opening - 1 <= _QUOTED_TERM_MAX:
        return False
    before = text[max(sent_start, opening - 3):opening].rstrip(" \t\u3000")
    return before.endswith(("：", ":"))


def _emit(text: str, start: int, end: int, spans: list, max_chars: int, cuts: set[int] | None = None) -> None:
    span = trim_span(text, start, end)
    if not span:
        return
    s, e = span
    max_chars = max(1, max_chars)  # every cut moves forward, whatever the setting
    while e - s > max_chars:
        cut = _long_cut(text, s, s + max_chars)
        if cuts is not None and cut == s + max_chars and not _SOFT_BREAK.match(text, cut - 1) \
                and not _SOFT_BREAK.match(text, cut):
            cuts.add(cut)
        piece = trim_span(text, s, cut)
        if piece:
            spans.append(piece)
        s = cut
        span = trim_span(text, s, e)
        if not span:
            return
        s, e = span
    spans.append((s, e))


def _long_cut(text: str, start: int, limit: int) -> int:
    """Where to cut an over-long stretch: after the last space or soft mark in its second half."""
    window_start = start + (limit - start) // 2
    last = -1
    for m in _SOFT_BREAK.finditer(text, window_start, limit):
        last = m.end()
    return last if last > start else limit


def _boundary_after(text: str, t_start: int, t_end: int, end: int, sent_start: int = 0) -> int | None:
    """The end of the sentence (begun at ``sent_start``) whose final marks are
    ``text[t_start:t_end]``, or None."""
    marks = text[t_start:t_end]
    before = text[t_start - 1] if t_start > 0 else ""
    if marks[0] in "，,":
        return t_end + 1  # after the closing quote
    if marks[0] in _DASHES:
        return _interrupted_quote_boundary(text, t_end, end)
    if _is_hesitation(text, t_start, t_end, end):
        return None
    if marks == "." and t_end < end and (_HAN_CHAR.match(text[t_end]) or text[t_end] in " \t\u3000") \
            and _is_enumerator(text, t_start):
        return None
    pos = t_end
    # closing quotes and brackets attached to the marks
    while pos < end:
        ch = text[pos]
        if ch in _CLOSERS:
            pos += 1
        elif ch in "\"'" and not _letter_follows(text, pos + 1, end):
            pos += 1
        elif ch in _CJK_FINAL_STOPS and pos > t_end:
            pos += 1  # "来了！”。": a full stop after the closing quote is the same sentence end
        else:
            break
    cjk_mark = any(c in _CJK_FINAL for c in marks) or (before and _HAN_CHAR.match(before) is not None)
    # a closing quote after a space: Chinese "。 ”" (” can only close), or the seed's
    # English 'drive! "' at the end and 'life. " General'
    if pos == t_end and cjk_mark and "…" not in marks:
        q = pos
        while q < end and text[q] in " \t":
            q += 1
        if q > pos and q < end and text[q] in "”’」』）":
            pos = q + 1
    if pos == t_end:
        q = pos
        while q < end and text[q] in " \t":
            q += 1
        if q > pos and q < end and text[q] in "\"”" and (q + 1 == end or text[q + 1] in " \t\n"):
            pos = q + 1
    if pos >= end:
        return end
    nxt = text[pos]
    if cjk_mark and marks.strip(". \t") != "":
        # Chinese mark (or ?! … after a Han character): the sentence ends here, no space needed
        if not any(c in "。！？!?" for c in marks):  # only an ellipsis
            if before and not _HAN_CHAR.match(before) and before not in _CJK_PAUSE:
                return _latin_boundary(text, t_start, t_end, pos, end)
            if pos == t_end and nxt.isspace():
                # "我…… 我……": a Chinese ellipsis followed by a space is a pause inside the
                # sentence (stuttered speech); one that closes a quote or runs straight on ends it
                return None
        if _lowercase_follows(text, pos, end):
            return None  # 'He said “我爱你。” and left.': the English sentence goes on
        return pos
    if marks == "." and before and _HAN_CHAR.match(before) and (
            _HAN_CHAR.match(nxt) or nxt.isupper() or nxt.isdigit() or nxt in _OPENERS or _TAG_START.match(text, pos, end)):
        return pos  # a width-folded 。 after Chinese: "出口.他们", "出口.Nottingham 的人", "重视.1996年", "分.#国际#"
    if marks == "." and before.isspace() and not (nxt.isascii() and nxt.isalnum()) \
            and _HAN_CHAR.search(text, sent_start, t_start):
        return pos  # a full stop standing alone after Chinese ("即 15% .#突发#"; ".NET" is a name)
    if marks == "." and pos == t_end and nxt.isupper() and before and not before.isalnum() and not before.isspace() \
            and _HAN_CHAR.search(text, sent_start, t_start):
        return pos  # after a symbol in Chinese, run into a capital: "下降4.8%.User：" ("v2.0.Beta" is a name)
    return _latin_boundary(text, t_start, t_end, pos, end, sent_start)


_CJK_PAUSE = "，、；：“‘（《"  # Chinese marks inside a sentence: "一言既出，…… 马难追" goes on
_ENUMERATOR = regex.compile(r"(?:^|(?<=[\n。！？”」』]))\d{1,2}$")
_WORD_AT_END = regex.compile(r"(\p{L}+)\P{L}*$")
_WORD_AT_START = regex.compile(r"[\s\"'“‘]*(\p{L}+)")


def _interrupted_quote_boundary(text: str, t_end: int, end: int) -> int | None:
    """``“你为什么——”说到这里`` / ``But I—' 'You what?'``: a dash with a closing quote
    ends the sentence when what follows starts one (Chinese, an opening quote, or white
    space and a capital); ``—" he said`` and ``——”，`` go on."""
    pos = t_end
    while pos < end and (text[pos] in "”’」』" or (text[pos] in "\"'" and not _letter_follows(text, pos + 1, end))):
        pos += 1
    if pos == t_end:
        return None
    if pos >= end:
        return end
    nxt = text[pos]
    if _HAN_CHAR.match(nxt) or nxt in _OPENERS:
        return pos
    if nxt.isspace():
        q = pos
        while q < end and text[q].isspace():
            q += 1
        if q >= end or text[q].isupper() or text[q] in _OPENERS or text[q] in "\"'" or _HAN_CHAR.match(text[q]):
            return pos
    return None


def _is_hesitation(text: str, t_start: int, t_end: int, end: int) -> bool:
    """An ellipsis between two copies of the same word is a stammer inside one sentence:
    ``我……我昨晚``, ``I... I've got`` (the word, or the Chinese character, repeats)."""
    marks = text[t_start:t_end]
    if t_start == 0 or not ("…" in marks or "..." in marks) or any(c in "。！？!?" for c in marks):
        return False
    before = text[t_start - 1]
    after = _WORD_AT_START.match(text, t_end, min(end, t_end + 40))
    if not after:
        return False
    if _HAN_CHAR.match(before):
        return after.group(1)[0] == before and after.start(1) - t_end <= 1
    word = _WORD_AT_END.search(text, max(0, t_start - 40), t_start)
    if not word or word.end(1) != t_start:
        return False
    latin = regex.match(r"\p{Latin}+", after.group(1))
    return bool(latin) and latin.group(0) == word.group(1)  # "cold... Cold and dark" starts anew


def _is_enumerator(text: str, t_start: int) -> bool:
    """``6.片厂``, ``1. Weight: 58 g``: one or two digits and a full stop opening a line or
    following a Chinese sentence end number a heading or list item; that full stop is not a
    sentence end (``the age of 60. There`` is)."""
    return _ENUMERATOR.search(text, max(0, t_start - 3), t_start) is not None


def _letter_follows(text: str, i: int, end: int) -> bool:
    """A straight quote followed by a Latin letter or digit opens a quotation."""
    return i < end and text[i].isalnum() and not _HAN_CHAR.match(text[i])


def _lowercase_follows(text: str, pos: int, end: int) -> bool:
    q = pos
    while q < end and text[q] in " \t":
        q += 1
    return q > pos and q < end and text[q].islower() and not _HAN_CHAR.match(text[q])


def _latin_boundary(text: str, t_start: int, t_end: int, pos: int, end: int, sent_start: int = 0) -> int | None:
    """An English sentence end. English needs white space after the marks ("U.S.A",
    "8.82" are not boundaries), except before Chinese. A Latin mark with a closing mark
    or a space before Chinese ends a sentence only when the sentence so far has no
    Chinese: in ``苹果公司（Apple Inc.）发布了`` or ``他说“I love you.”然后`` the Latin is a
    name, title or quotation inside a Chinese sentence, which ends at a Chinese mark.
    Right before Chinese (``他买了iPhone.苹果``) it is a width-folded full stop."""
    q = pos
    while q < end and text[q].isspace():
        q += 1
    if q >= end:
        return end
    nxt = text[q]
    starts_chinese = _HAN_CHAR.match(nxt) or (nxt in _OPENERS and q + 1 < end and _HAN_CHAR.match(text[q + 1]))
    folded_stop = q == t_end and text[t_start:t_end] == "."
    if starts_chinese and not folded_stop and _HAN_CHAR.search(text, sent_start, t_start):
        return None  # a closing mark or a space between: the Latin was quoted or named inside
    if q == pos:
        return pos if starts_chinese else None
    marks = text[t_start:t_end]
    if nxt.islower() and not _HAN_CHAR.match(nxt) and not _CAMEL_WORD.match(text, q, min(end, q + 40)):
        # a sentence that starts in lower case ("...from his pocket. short-long-long"): only
        # after a full stop that closes a plain word, not an abbreviation (et al., vs., incl.)
        return pos if marks == "." and pos == t_end and _plain_word_before(text, t_start) else None
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS or nxt in "\"'" or _HAN_CHAR.match(nxt)
            or nxt.islower() or _TAG_START.match(text, q, end)):
        return None
    if marks == "." and not any(c in "\"”’'" for c in text[t_end:pos]):
        # (a quotation closed right after the full stop ends the sentence: ``A.M." "Wow``)
        m = _WORD_BEFORE.search(text, max(0, t_start - 30), t_start)
        word = m.group(0) if m else ""
        unit_or_grade = m is not None and _COUNT_BEFORE.search(text, max(0, m.start() - 12), m.start()) is not None
        if word and not _is_sentence_end_word(word, _next_word(text, q, end), nxt, unit_or_grade):
            return None
    return pos


# A number or an article before a single capital makes it a unit or a grade, not an
# initial: "5 W.", "-20°C.", "an A." (only numbers and "a", "an", "the" count).
_COUNT_BEFORE = regex.compile(r"(?:(?<![\p{L}.])\d[\d.,]*°?[ \t]?|(?<!\p{L})(?:[Aa]n?|[Tt]he)[ \t])$")
# A post may start with an @mention or a #hashtag ("... this? #news Sir William ...").
_TAG_START = regex.compile(r"[@#][\p{L}\p{N}_]")
# A word starting in lower case with a capital inside (iPhone, eBay, macOS) starts a
# sentence as a capitalised word does.
_CAMEL_WORD = regex.compile(r"\p{Ll}+\p{Lu}")
_PLAIN_WORD = regex.compile(r"(?<![\p{L}.'’-])\p{Ll}{3,}$")
# Lower-case abbreviations of three letters or more that a lower-case word may follow.
_LOWER_ABBREVIATIONS = frozenset("incl resp viz esp ibid misc cca approx appr abbr corp".split())


def _plain_word_before(text: str, t_start: int) -> bool:
    """The full stop at ``t_start`` follows a lower-case word of three letters or more that
    is no known abbreviation."""
    m = _PLAIN_WORD.search(text, max(0, t_start - 30), t_start)
    if not m:
        return False
    word = m.group(0)
    return word not in _LOWER_ABBREVIATIONS and word not in _TITLES and word not in _OPEN_ABBREVIATIONS \
        and word not in _MONTHS


def _next_word(text: str, q: int, end: int) -> str:
    m = regex.compile(r"[\"'“‘(\[]*(\p{L}+)").match(text, q, min(end, q + 40))
    return m.group(1) if m else ""


def _is_sentence_end_word(word: str, next_word: str, next_char: str = "", unit_or_grade: bool = False) -> bool:
    """Can ``word.`` end a sentence, given the word (and character) that follows?
    ``unit_or_grade``: a number or an article comes before the word (``5 W.``, ``an A.``:
    a single capital there is a unit or a grade, not an initial)."""
    bare = word.strip(".'’-")
    low = bare.lower()
    if low in _NUMBER_ABBREVIATIONS or low in _MONTHS or bare in _WEEKDAYS:
        return not next_char.isdigit()  # "No. 5" abbreviates "number"; '"No. Since you…' is the word no
    if low in _TITLES:
        return False
    if low in _OPEN_ABBREVIATIONS:
        return next_word.lower() in _SENTENCE_OPENERS
    if len(bare) == 1 and bare.isalpha() and bare.isupper() and bare != "I" and not unit_or_grade:
        return next_word.lower() in _SENTENCE_OPENERS  # an initial ("J. K. Rowling"), or "grade A. The"
    if _DOTTED_ABBREVIATION.fullmatch(bare):  # U.S., e.g., a.m., Ph.D.
        return next_word.lower() in _SENTENCE_OPENERS
    return True  # a word, or a number, file or domain name with dots (0.5, settings.json, Node.js)


# Dotted abbreviations: pieces of one or two letters (U.S, e.g, a.m, Ph.D).
_DOTTED_ABBREVIATION = regex.compile(r"\p{L}{1,2}(?:\.\p{L}{1,2})+")
