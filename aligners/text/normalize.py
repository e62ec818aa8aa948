"""Text normalisation: small named rules, each for one language, run in a fixed order.

Every rule is a plain function ``str -> str`` registered in :data:`RULES` with the
language it applies to (``"zh"``, ``"en"`` or ``"any"``) and a one-line description.
:func:`normalize` runs the rules in registry order and returns the text together with
the names of the rules that changed it, so a run can count how often each rule fired.

Order matters and is fixed here, not by callers:
- mojibake/invisible/entity repair first (they produce the characters later rules read);
- the spaced-quote repairs run before ``quote-style`` changes the quote style, because
  they recognise closing quotes by the shape the input has;
- ``cjk-punct-in-english`` turns ``’ 。`` into ``’ .`` before ``space-before-punct``
  removes the space.

The damage these rules undo is the damage found in the seed document. Chinese text
that went through an NFKC/width-folding step loses exactly the marks NFKC maps to ASCII
(，？：；！（）…), so the Chinese rules restore those and leave 。、“” alone.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import regex

from aligners.config import TextConfig

HAN = r"\p{Han}"
# characters that count as "Chinese context" around a half-width mark
CJK_CONTEXT = r"[\p{Han}。、，？！：；“”‘’「」『』（）《》〈〉【】…—]"


@dataclass(frozen=True)
class Rule:
    name: str
    lang: str  # "zh", "en" or "any"
    description: str
    apply: Callable[[str], str]
    changes_letters: bool = False  # may add/remove/change letters, digits or Han (documented repairs)


@dataclass(frozen=True)
class Normalized:
    text: str
    rules: tuple[str, ...]  # names of the rules that changed the text, in the order they ran


# --------------------------------------------------------------------------- rules (any)

_FTFY_CONFIG = None


def fix_mojibake(text: str) -> str:
    """ftfy with its quote straightening, width folding and Unicode normalisation off
    (they would turn correct Chinese “” into ASCII and ，into ,)."""
    if text.isascii() and "&" not in text:
        return text
    global _FTFY_CONFIG
    import ftfy

    if _FTFY_CONFIG is None:
        _FTFY_CONFIG = ftfy.TextFixerConfig(
            uncurl_quotes=False,
            fix_character_width=False,
            normalization=None,
            fix_line_breaks=False,
            explain=False,
        )
    return ftfy.fix_text(text, _FTFY_CONFIG)


# A zero-width joiner inside an emoji sequence (👨‍👩‍👧: pictograph, optional variation
# selector or skin tone, ZWJ, pictograph) is part of one grapheme cluster (UAX #29, GB11)
# and stays; elsewhere it is noise like the others.
_INVISIBLE = regex.compile(
    "(?<!\\p{Extended_Pictographic}[\ufe0f\U0001f3fb-\U0001f3ff]?)\u200d"
    "|\u200d(?!\\p{Extended_Pictographic})"
    "|[\u200b\u200c\u2060\ufeff\u00ad]"
)


def remove_invisible(text: str) -> str:
    """Zero-width spaces/joiners, BOMs inside text and soft hyphens (not the joiners of emoji sequences)."""
    return _INVISIBLE.sub("", text)


# Named entities that show up broken (spaced, upper-cased, no ';'), e.g. "machine & HELIP, which".
_ENTITY_CHARS = {
    "hellip": "…",
    "helip": "…",  # as misspelt in the seed ("machine & HELIP, which")
    "mdash": "—",
    "ndash": "–",
    "nbsp": " ",
    "quot": '"',
    "amp": "&",
    "lsquo": "‘",
    "rsquo": "’",
    "ldquo": "“",
    "rdquo": "”",
    "laquo": "«",
    "raquo": "»",
    "middot": "·",
}
# "& MDASH the": a space after the name is only eaten together with a ';' ("& HELIP; the").
_BROKEN_ENTITY = regex.compile(
    r"(?P<space>[ \t]?)&(?:[ \t]?(?P<name>" + "|".join(_ENTITY_CHARS) + r")\b(?:[ \t]?;)?"
    r"|#(?P<num>\d{2,7})(?:;|(?!\d))|#[xX](?P<hex>[0-9a-fA-F]{2,6});)",
    regex.IGNORECASE,
)


def repair_entities(text: str) -> str:
    """``& HELIP`` / ``&hellip;`` / ``&#8230;`` / ``&#8230`` / ``&#x2026;`` / ``& MDASH`` ->
    the character. ``R&D``, ``AT&T`` are not entities; ``&amp;amp;`` comes out as ``&``."""

    def sub(m: regex.Match) -> str:
        if m.group("num") or m.group("hex"):
            code = int(m.group("num"), 10) if m.group("num") else int(m.group("hex"), 16)
            if not (32 <= code <= 0x10FFFF) or 0xD800 <= code <= 0xDFFF:
                return m.group(0)
            char = chr(code)
        else:
            name = m.group("name")
            # a bare lower-case "& amp" without ';' in running text is more likely prose than an entity
            if len(name) < 4 and not m.group(0).rstrip().endswith(";") and name.islower():
                return m.group(0)
            char = _ENTITY_CHARS[name.lower()]
        keep_space = m.group("space") if char not in "…" else ""
        return keep_space + char

    if "&" not in text:
        return text
    # "&amp;amp;" (escaped twice) needs one pass per level; bounded
    for _ in range(3):
        new = _BROKEN_ENTITY.sub(sub, text)
        if new == text:
            break
        text = new
    return text


_WS_RUN = regex.compile(r"[\s\u3000]+")
_HAN_NEWLINE_HAN = regex.compile(r"(?<=" + CJK_CONTEXT + r")[ \t\u3000]*\n[\s\u3000]*(?=" + CJK_CONTEXT + ")")


def collapse_whitespace(text: str) -> str:
    """Strip the ends; one space for any run of white space. A line break between two
    Chinese characters (a hard-wrapped Chinese line) disappears."""
    if "\n" in text:
        text = _HAN_NEWLINE_HAN.sub("", text)
    return _WS_RUN.sub(" ", text).strip()


# ‘ Three new samples ’  ->  ‘Three new samples’ ; also “ ... ” with inner spaces.
# Inside, an apostrophe (’ followed by a letter, as in China’s) is allowed.
_SPACED_SINGLE = regex.compile(r"‘[ \t]*((?:[^‘’\n]|’(?=\p{L}))*?[^\s‘’])[ \t]*’(?!\p{L})")
_SPACED_DOUBLE = regex.compile(r"“[ \t]*([^“”\n]*?[^\s“”])[ \t]*”")


# a lone spaced opening quote (its partner is in another sentence): "Have a ‘ in your mind."
_LONE_OPEN = regex.compile(r"(?<=^|[\s(\[“\"])([‘“])[ \t]+(?=[\p{L}\p{N}])")
# a lone spaced closing quote before a mark or the end: "Tightening spell ’ ." (the ’ is no apostrophe)
_LONE_CLOSE = regex.compile(r"(?<=[\p{L}\p{N}.!?,;…])[ \t]+([’”])(?=[ \t]*(?:$|[.,;:!?。，；：！？\"”]))")


def repair_spaced_curly_quotes(text: str) -> str:
    """Remove spaces just inside curly quotes: ``‘ Three new samples ’``; also a lone
    ``‘ in`` / ``spell ’ .`` whose partner ended up in another sentence."""
    if "‘" in text or "’" in text:
        text = _SPACED_SINGLE.sub(r"‘\1’", text)
    if "“" in text:
        text = _SPACED_DOUBLE.sub(r"“\1”", text)
    if "‘" in text or "“" in text:
        text = _LONE_OPEN.sub(r"\1", text)
    if "’" in text or "”" in text:
        text = _LONE_CLOSE.sub(r"\1", text)
    return text


# a closing quote after a space: the quote is followed by the end or punctuation, or by
# white space when a sentence mark precedes it (the seed's 'life. " General'); preceded by
# something that can end a quotation (not an opening mark). 'call it " the long' is left
# to the pair repair: after a plain word a spaced quote followed by a word may open.
_SPACE_BEFORE_CLOSE = regex.compile(
    r'(?<=[^\s"“‘(\[{])[ \t]+(["”])(?=$|[,.;:!?)\]}。，；：！？])'
    r'|(?<=[.!?…。！？][’\'”]?)[ \t]+(["”])(?=\s)'
)


def repair_space_before_closing_quote(text: str) -> str:
    """``drive! "`` -> ``drive!"``; ``Transformation ";`` -> ``Transformation";``.
    An opening quote after a space (``the "urban brain"``) is followed by a letter and stays."""
    if '"' not in text and "”" not in text:
        return text
    return _SPACE_BEFORE_CLOSE.sub(lambda m: m.group(1) or m.group(2), text)


_STRAIGHT_DQ = regex.compile(r'"')


def repair_spaced_straight_quotes(text: str) -> str:
    """``call it " the long table " , and`` -> ``call it "the long table" , and`` (the
    space before the comma goes later). Straight double quotes are paired in order, and
    only when every pair looks like one: an even number of them, each opening quote at the
    start or after a space/bracket (not after a sentence mark, where it would rather close
    the previous sentence: 'life. " General'), each closing one at the end or before a
    space or mark, and a letter or digit inside."""
    if text.count('"') < 2 or text.count('"') % 2 or (' "' not in text and '" ' not in text):
        return text
    quotes = [m.start() for m in _STRAIGHT_DQ.finditer(text)]
    pairs = list(zip(quotes[::2], quotes[1::2]))
    for o, c in pairs:
        before = text[:o].rstrip(" \t")
        if o > 0 and (text[o - 1] not in " \t([{—" or before[-1:] in tuple(".!?…。！？")):
            return text
        if c + 1 < len(text) and not regex.match(r"[\s,.;:!?)\]}…—]", text[c + 1]):
            return text
        if not regex.search(r"[\p{L}\p{N}]", text[o + 1 : c]):
            return text
    out, pos = [], 0
    for o, c in pairs:
        inner = text[o + 1 : c].strip(" \t")
        out.append(text[pos:o] + '"' + inner + '"')
        pos = c + 1
    out.append(text[pos:])
    return "".join(out)


# --------------------------------------------------------------------------- rules (en)

_SPACED_ELLIPSIS_EN = regex.compile(r"…(?:[ \t]*…)+|\.\.\.(?:[ \t]*\.\.\.)+|(?<![.\p{N}])\.(?:[ \t]\.){2,3}(?!\.)")


def collapse_spaced_ellipsis_en(text: str) -> str:
    """``… …`` (and ``… … … …``) -> ``…`` in English; spaced dots ``. . .`` (and the
    sentence-final ``word. . . .``) -> ``…``."""
    return _SPACED_ELLIPSIS_EN.sub(lambda m: "..." if m.group(0).startswith("...") else "…", text)


_CJK_PUNCT_TO_ASCII = str.maketrans(
    {"。": ".", "，": ",", "？": "?", "！": "!", "：": ":", "；": ";", "（": "(", "）": ")", "、": ","}
)
_CJK_PUNCT = regex.compile("[。，？！：；（）、]")


_CJK_SEPARATOR_BEFORE_WORD = regex.compile(r"([。，？！：；、])(?=[\p{Latin}\p{N}])")


def cjk_punct_in_english(text: str) -> str:
    """Chinese punctuation left in English text: ``’ 。”`` -> ``’ .”`` (the space goes next);
    ``rent，and`` -> ``rent, and`` (a Chinese mark carries its own spacing, the ASCII one
    needs a space before the next word)."""
    if not _CJK_PUNCT.search(text):
        return text
    text = _CJK_SEPARATOR_BEFORE_WORD.sub(r"\1 ", text)
    return text.translate(_CJK_PUNCT_TO_ASCII)


# a space before . , ; : ! ? that ends a clause (followed by space, end, or a closing quote);
# ".NET" (followed by a letter) and " ..." ellipses at a word start stay.
_SPACE_BEFORE_PUNCT = regex.compile(r"(?<=[\p{L}\p{N}’'\"”)\]])[ \t]+([.,;:!?]|…)(?=$|[\s\"”’')\]])")


def remove_space_before_punct(text: str) -> str:
    """``’ .`` -> ``’.``; ``profitable ?`` -> ``profitable?``."""
    return _SPACE_BEFORE_PUNCT.sub(r"\1", text)


_FULLWIDTH_ASCII = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}


def fullwidth_ascii_in_english(text: str) -> str:
    """Full-width Latin letters, digits and ASCII symbols in English -> ASCII (``Ｃｈｉｎａ`` -> ``China``)."""
    return text.translate(_FULLWIDTH_ASCII)


def unify_quote_style(text: str, style: str | None = None) -> str:
    """One double-quote style per document in English: ``"...”`` -> ``"..."``.

    ``style`` is the document's majority (``"straight"`` or ``"curly"``); without one the
    text's own majority is used, ties going to straight quotes.
    """
    straight = text.count('"')
    curly = text.count("“") + text.count("”")
    if style is None:
        if not (straight and curly):
            return text
        style = "curly" if curly > straight else "straight"
    if style == "straight":
        return text.replace("“", '"').replace("”", '"') if curly else text
    if not straight:
        return text
    out = []
    for i, ch in enumerate(text):
        if ch == '"':
            opening = i == 0 or text[i - 1] in " \t\n([{—‘“"
            ch = "“" if opening else "”"
        out.append(ch)
    return "".join(out)


# --------------------------------------------------------------------------- rules (zh)

_HALF_TO_FULL = {",": "，", "?": "？", ":": "：", ";": "；", "!": "！"}
_HALFWIDTH_MARK = regex.compile(r"[ \t]*([,?:;!])[ \t]*")
_CJK_CONTEXT_CHAR = regex.compile(CJK_CONTEXT)


def halfwidth_punct_in_chinese(text: str) -> str:
    """``优势?效益如何?`` -> ``优势？效益如何？`` (also ``,`` ``:`` ``;`` ``!``), only next to
    Chinese characters (``?``/``!`` also at the very end); digit groups and times
    (``18,000``, ``10:30``) and URLs (``http://``) stay."""
    if not regex.search(r"[,?:;!]", text):
        return text
    out: list[str] = []
    pos = 0
    left = ""  # last character written so far (already converted marks count as Chinese)
    for m in _HALFWIDTH_MARK.finditer(text):
        start, end = m.span()
        if start > pos:
            out.append(text[pos:start])
            left = text[start - 1]
        pos = end
        mark = m.group(1)
        right = text[end : end + 1]
        left_cjk = bool(left) and bool(_CJK_CONTEXT_CHAR.match(left))
        right_han = bool(right) and bool(regex.match(r"[\p{Han}“‘（《「『]", right))
        digit_group = mark in ",:" and left.isdigit() and right.isdigit() and m.group(0) == mark
        url = mark == ":" and text.startswith("//", m.start(1) + 1)
        at_end = not right and mark in "?!"
        if (left_cjk or right_han or (at_end and left)) and not digit_group and not url:
            out.append(_HALF_TO_FULL[mark])
            left = out[-1]
        else:
            out.append(m.group(0))
            left = m.group(0)[-1]
    out.append(text[pos:])
    return "".join(out)


_ZH_PARENS = regex.compile(r"\(([^()\n]{0,80})\)")


def halfwidth_parens_in_chinese(text: str) -> str:
    """``(注释)`` -> ``（注释）`` when the parenthesis holds or touches Chinese; ``(COBE)``
    between Latin words stays."""
    if "(" not in text:
        return text

    def sub(m: regex.Match) -> str:
        start, end = m.span()
        around = text[max(0, start - 1) : start] + text[end : end + 1]
        if regex.search(HAN, m.group(1)) or regex.search(HAN, around):
            return "（" + m.group(1) + "）"
        return m.group(0)

    return _ZH_PARENS.sub(sub, text)


_ZH_ELLIPSIS = regex.compile(r"…(?:[ \t]*…)*|\.{3,}|\.(?:[ \t]\.){2,}|。{3,}")


def ellipsis_in_chinese(text: str) -> str:
    """Chinese ellipsis is ``……``: ``… …``, ``…``, ``...``, ``. . .``, ``......`` and
    ``。。。`` become ``……`` (an unspaced even run such as ``…………`` stays)."""
    if "…" not in text and "..." not in text and "。。。" not in text and ". ." not in text:
        return text

    def sub(m: regex.Match) -> str:
        s = m.group(0)
        if s[0] == "…" and " " not in s and "\t" not in s and len(s) % 2 == 0:
            return s
        return "……"

    return _ZH_ELLIPSIS.sub(sub, text)


_ZH_FULL_STOP = regex.compile(r"(?<=\p{Han}[\"”’）)]?)\.(?=$|[\s\"”’）)]|\p{Han})")


def full_stop_in_chinese(text: str) -> str:
    """A width-folded full stop after a Chinese character: ``最头疼的事.如今`` ->
    ``最头疼的事。如今``; ``3.5``, ``.NET``, ``COBE.`` and ``...`` stay."""
    if "." not in text:
        return text
    return _ZH_FULL_STOP.sub("。", text)


def straight_quotes_in_chinese(text: str) -> str:
    """``"吃饭难"曾是`` -> ``“吃饭难”曾是``: straight double quotes paired in order, when
    there is an even number of them and every pair holds or touches Chinese (quotes around
    Latin text only, ``"WeChat"``, stay)."""
    n = text.count('"')
    if n < 2 or n % 2:
        return text
    quotes = [m.start() for m in _STRAIGHT_DQ.finditer(text)]
    pairs = list(zip(quotes[::2], quotes[1::2]))
    for o, c in pairs:
        if not regex.search(HAN, text[max(0, o - 1) : c + 2]):
            return text
    chars = list(text)
    for o, c in pairs:
        chars[o], chars[c] = "“", "”"
    return "".join(chars)


_CJK_SPACE = regex.compile(r"(?<=[\p{Han}，。、？！：；“”（）])[ \t]+(?=[\p{Han}，。、？！：；“”（）])")


def remove_space_between_chinese(text: str) -> str:
    """Spaces between two Chinese characters or marks (``总书记 走进``) go; spaces next to
    Latin words or digits stay."""
    return _CJK_SPACE.sub("", text)


# --------------------------------------------------------------------------- registry

RULES: tuple[Rule, ...] = (
    Rule("mojibake", "any", "repair mis-decoded text with ftfy (quote and width fixing off)", fix_mojibake, True),
    Rule("invisible-chars", "any", "remove zero-width characters, inner BOMs and soft hyphens", remove_invisible),
    Rule("broken-entity", "any", "HTML entities left in text, also spaced/upper-case: '& HELIP' -> '…'", repair_entities, True),
    Rule("whitespace", "any", "strip ends, one space per white-space run, drop line breaks inside Chinese", collapse_whitespace),
    Rule("spaced-curly-quotes", "any", "‘ Three new samples ’ -> ‘Three new samples’", repair_spaced_curly_quotes),
    Rule("spaced-straight-quotes", "en", 'call it " the long table " -> call it "the long table"', repair_spaced_straight_quotes),
    Rule("space-before-closing-quote", "any", 'drive! " -> drive!"', repair_space_before_closing_quote),
    Rule("spaced-ellipsis", "en", "… … -> … in English", collapse_spaced_ellipsis_en),
    Rule("cjk-punct-in-english", "en", "Chinese 。，？！：；（）、 in English -> ASCII", cjk_punct_in_english),
    Rule("space-before-punct", "en", "’ . -> ’. (space before a clause-ending mark)", remove_space_before_punct),
    Rule("fullwidth-ascii", "en", "full-width Latin letters, digits, symbols in English -> ASCII", fullwidth_ascii_in_english, True),
    Rule("quote-style", "en", "one double-quote style per document (straight or curly, majority)", unify_quote_style),
    Rule("halfwidth-punct-zh", "zh", "half-width , ? : ; ! next to Chinese -> ，？：；！", halfwidth_punct_in_chinese),
    Rule("ellipsis-zh", "zh", "… … / … / ... / 。。。 in Chinese -> ……", ellipsis_in_chinese),
    Rule("full-stop-zh", "zh", "half-width . after a Chinese character -> 。", full_stop_in_chinese),
    Rule("straight-quotes-zh", "zh", '"吃饭难" -> “吃饭难” (paired straight quotes around Chinese)', straight_quotes_in_chinese),
    Rule("halfwidth-parens-zh", "zh", "half-width ( ) around or next to Chinese -> （）", halfwidth_parens_in_chinese),
    Rule("space-in-chinese", "zh", "spaces between Chinese characters and marks removed", remove_space_between_chinese),
)
RULE_NAMES = tuple(r.name for r in RULES)


def rules_table() -> list[tuple[str, str, str]]:
    """(name, language, description) of every rule, in the order they run."""
    return [(r.name, r.lang, r.description) for r in RULES]


def normalize(
    text: str,
    lang: str,
    config: TextConfig = TextConfig(),
    quote_style: str | None = None,
) -> Normalized:
    """Run every rule that applies to ``lang`` (and ``"any"``) in registry order.

    ``quote_style`` is the document's double-quote majority for English (see
    :func:`document_quote_style`); None lets each text decide for itself.
    """
    disabled = set(config.disabled_rules)
    active = [r for r in RULES if r.name not in disabled and r.lang in ("any", lang)]
    fired: list[str] = []
    # One pass normally reaches the fixed point; a repair can expose another (a mark
    # whose neighbour was just converted), so repeat while something changes (bounded).
    for _ in range(3):
        changed = False
        for rule in active:
            new = unify_quote_style(text, quote_style) if rule.name == "quote-style" else rule.apply(text)
            if new != text:
                changed = True
                if rule.name not in fired:
                    fired.append(rule.name)
                text = new
        if not changed:
            break
    return Normalized(text, tuple(fired))


def document_quote_style(english_texts) -> str | None:
    """The majority double-quote style of a document's English ("straight"/"curly"), None if no quotes."""
    straight = curly = 0
    for t in english_texts:
        straight += t.count('"')
        curly += t.count("“") + t.count("”")
    if not straight and not curly:
        return None
    return "curly" if curly > straight else "straight"


def diff_excerpt(before: str, after: str, context: int = 20) -> tuple[str, str]:
    """The stretch where ``before`` and ``after`` differ, with ``context`` characters
    around it (``…`` marks a cut), for reports and ``normalize --diff``."""
    if before == after:
        return before[: 2 * context], after[: 2 * context]
    start = 0
    limit = min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end_b, end_a = len(before), len(after)
    while end_b > start and end_a > start and before[end_b - 1] == after[end_a - 1]:
        end_b -= 1
        end_a -= 1
    lo = max(0, start - context)

    def cut(s: str, end: int) -> str:
        hi = min(len(s), end + context)
        return ("…" if lo else "") + s[lo:hi] + ("…" if hi < len(s) else "")

    return cut(before, end_b), cut(after, end_a)
