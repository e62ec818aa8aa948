"""Numbers written in a sentence, for comparing the numbers of two sides.

A number a side writes in digits (``1990``, ``5,000``, ``3.5``) should appear on the
other side, in digits or in words: Chinese numerals (``三``, ``二〇〇七``,
``五十万``), English number and month words (``three``, ``March``), or with a scale
word (``500万`` = ``5 million``). Only digit numbers are required to match; words are
what they may match.
"""
from __future__ import annotations

import unicodedata

import regex

# a number token: digits with separators ("5,000", "3.5", "4:40"); what follows may scale it
_TOKEN = regex.compile(r"\d+(?:[.,:]\d+)*")
_EN_SCALE_AFTER = regex.compile(r"\s*(thousand|million|billion|trillion|bn)\b", regex.I)
_ZH_SCALE_AFTER = regex.compile(r"\s*([千万亿])")
_ZH_DECADE = regex.compile(r"(\d+)\s*世纪\s*(\d0)\s*年代")
_ZH_NUMERAL = regex.compile(r"[〇零一二两三四五六七八九十百千万亿]+")
_EN_WORDS_RUN = regex.compile(r"[a-z]+(?:-[a-z]+)?(?:\s+(?:hundred|thousand|million|billion))?", regex.I)

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9,
          "千": 1e3, "万": 1e4, "亿": 1e8}
_ZH_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}
_EN_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_EN_WORDS.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                  "ninety": 90, "hundred": 100, "thousand": 1000, "million": 1_000_000, "a": 1, "an": 1,
                  "first": 1, "second": 2, "third": 3, "half": 0.5, "dozen": 12, "once": 1, "twice": 2})
_MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}


def _token_value(token: str) -> float:
    if ":" in token:  # a time of day, 4:40
        token = token.replace(":", ".")
    if regex.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
        token = token.replace(",", "")
    try:
        return float(token)
    except ValueError:  # "1,2,3": a list
        return float(token.replace(",", "").replace(".", "", token.count(".") - 1))


def number_keys(text: str, lang: str) -> list[set]:
    """One entry per number ``text`` writes in digits: the values it may be written as
    elsewhere (as is, scaled by a following 万/million, a decade's last two digits) and
    its digit string, so ``4:40`` matches ``4.40``."""
    text = unicodedata.normalize("NFKC", text)
    scale_after = _ZH_SCALE_AFTER if lang == "zh" else _EN_SCALE_AFTER
    decades = [(m.span(), (int(m.group(1)) - 1) * 100 + int(m.group(2))) for m in _ZH_DECADE.finditer(text)] \
        if lang == "zh" else []
    out = []
    for m in _TOKEN.finditer(text):
        value = _token_value(m.group())
        keys = {value, regex.sub(r"\D", "", m.group())}
        scale = scale_after.match(text, m.end())
        if scale:
            keys.add(round(value * _SCALE[scale.group(1).lower()], 6))
        if lang == "en" and text[m.end():m.end() + 1] == "s" and len(m.group()) == 4:
            keys.add(value % 100)  # the 1980s: 八十年代
        keys |= {year for (start, end), year in decades if start <= m.start() < end}  # 20 世纪 30 年代: the 1930s
        out.append(keys)
    return out


def chinese_numeral(run: str) -> float:
    """The value of a run of Chinese numerals: ``三十五`` 35, ``二〇〇七`` 2007, ``五十万`` 500000."""
    if all(ch in _ZH_DIGIT for ch in run):  # digit by digit, as years are written
        return float("".join(str(_ZH_DIGIT[ch]) for ch in run))
    total, section, digit = 0, 0, None
    for ch in run:
        if ch in _ZH_DIGIT:
            digit = _ZH_DIGIT[ch]
        elif ch in _ZH_UNIT:
            section += (1 if digit is None else digit) * _ZH_UNIT[ch]
            digit = None
        elif ch in _ZH_BIG:
            total = (total + section + (digit or 0)) * _ZH_BIG[ch]
            section, digit = 0, None
    return float(total + section + (digit or 0))


def english_words_value(run: str) -> float | None:
    """``fifty-eight`` 58, ``six million`` 6000000, ``March`` 3; None for other words."""
    parts = run.lower().split()
    head = parts[0].split("-")
    if not all(w in _EN_WORDS for w in head):
        return _MONTHS.get(parts[0]) if len(parts) == 1 else None
    value = sum(_EN_WORDS[w] for w in head)
    if len(parts) == 2:
        value *= 100 if parts[1] == "hundred" else _SCALE[parts[1]]
    return float(value)


def written_values(text: str, lang: str) -> set:
    """Everything ``text`` expresses a number as, in digits or words (what a digit number may match)."""
    values = {v for keys in number_keys(text, lang) for v in keys}
    if lang == "zh":
        values |= {chinese_numeral(run) for run in _ZH_NUMERAL.findall(text)}
    else:
        for run in _EN_WORDS_RUN.findall(text):
            value = english_words_value(run)
            if value is not None:
                values.add(value)
                for w in run.lower().split()[0].split("-"):
                    values.add(float(_EN_WORDS.get(w, _MONTHS.get(w, -1))))
    return values


def unmatched_numbers(zh: str, en: str) -> tuple[int, int]:
    """(digit numbers of either side the other side does not express, digit numbers in all)."""
    zh_numbers, en_numbers = number_keys(zh, "zh"), number_keys(en, "en")
    if not zh_numbers and not en_numbers:
        return 0, 0
    zh_values, en_values = written_values(zh, "zh"), written_values(en, "en")
    missing = sum(1 for keys in zh_numbers if not keys & en_values) + sum(1 for keys in en_numbers if not keys & zh_values)
    return missing, len(zh_numbers) + len(en_numbers)
