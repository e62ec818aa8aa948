"""Pair filters: small named units that score a pair, and decide on the score apart.

Every filter has the same shape (after OpusFilter's): ``score(zh, en)`` measures one
thing, ``accept(score)`` applies the threshold, ``explain(score)`` says it in words
for ``segments.tsv``. ``fit(pairs)`` lets a filter learn its parameters from the
corpus it filters, before any pair is scored; the others return themselves.
Settings come from ``[filter]`` (:class:`aligners.config.FilterConfig`) and are
checked when a filter is built.
"""
from __future__ import annotations

import dataclasses
import math
import statistics
from dataclasses import dataclass

import regex

from aligners.config import ConfigurationError, FilterConfig
from aligners.corpus.canonical import canonical_form
from aligners.corpus.numbers import unmatched_numbers

_HAN = regex.compile(r"\p{Han}")
_HAN_RUN = regex.compile(r"\p{Han}+")  # counting by runs makes one match per run, not one per character
_LATIN_WORD = regex.compile(r"[\p{Latin}]+")
_SPACE = regex.compile(r"\s")
# quotation marks and sentence-final marks belong to short dialogue lines ("“嗯？”" / '"Hm?"')
# and do not make a side "mostly punctuation"
_DIALOGUE_MARKS = set("\"'“”‘’「」『』.?!。？！…,，、:：;；-—")
# what non_letter_share leaves out: those marks and white space (str.isspace: all below U+3001)
_NOT_COUNTED = dict.fromkeys([ord(ch) for ch in _DIALOGUE_MARKS] + [c for c in range(0x3001) if chr(c).isspace()])


def text_chars(text: str) -> int:
    """Characters that are not white space (Gale & Church count characters)."""
    return len(_SPACE.sub("", text))


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ConfigurationError(f"[filter] {message}")


# --------------------------------------------------------------------------- length ratio

@dataclass(frozen=True)
class LengthRatio:
    """Gale & Church's (1993) length test on a pair's character counts.

    ``delta = (en - c * zh) / sqrt(s2 * (zh + en / c) / 2 + 1)`` is about standard
    normal for a translation; ``c`` (English characters per Chinese character) and
    ``s2`` (variance per character) are fitted on the corpus's own pairs when not set:
    ``c`` as total English over total Chinese characters, ``s2`` from the median
    absolute deviation of the unscaled residuals (robust to the broken pairs the
    filter is there to catch). A pair is rejected when ``|delta| > max_z``.
    """

    name = "length_ratio"
    max_z: float = 4.0
    ratio: float = 0.0  # 0: fitted
    variance: float = 0.0  # 0: fitted
    # for corpora too small to fit on: the fit on MAC-Dev's 1337 gold pairs (bench/filters_dev.py;
    # news-dev's 1997 give 2.49 and 9.31, so a prior is a rough stand-in for the corpus's own fit)
    prior_ratio: float = 3.39
    prior_variance: float = 19.4
    min_fit_pairs: int = 50
    fitted_on: int = 0  # pairs the parameters were fitted on; 0: set or prior

    def __post_init__(self):
        _check(self.max_z > 0, f"length_ratio_max_z must be positive, not {self.max_z}")
        _check(self.ratio >= 0 and self.variance >= 0, "length_ratio and length_variance must be >= 0 (0: fitted)")

    @property
    def fits_on_corpus(self) -> bool:
        return not (self.ratio and self.variance)

    def fit(self, pairs) -> "LengthRatio":
        lengths = [(text_chars(zh), text_chars(en)) for zh, en in pairs]
        lengths = [(z, e) for z, e in lengths if z and e]
        if self.ratio and self.variance:
            return self
        if len(lengths) < self.min_fit_pairs:
            return dataclasses.replace(self, ratio=self.ratio or self.prior_ratio,
                                       variance=self.variance or self.prior_variance)
        c = self.ratio or sum(e for _, e in lengths) / sum(z for z, _ in lengths)
        s2 = self.variance
        if not s2:
            residuals = [(e - c * z) / math.sqrt((z + e / c) / 2 + 1) for z, e in lengths]
            centre = statistics.median(residuals)  # once: inside the generator it sorted n times
            mad = statistics.median(abs(r - centre) for r in residuals)
            s2 = max((1.4826 * mad) ** 2, 1e-6)
        return dataclasses.replace(self, ratio=round(c, 4), variance=round(s2, 4), fitted_on=len(lengths))

    def score(self, zh: str, en: str) -> float:
        z, e = text_chars(zh), text_chars(en)
        c = self.ratio or self.prior_ratio
        s2 = self.variance or self.prior_variance
        return (e - c * z) / math.sqrt(s2 * ((z + e / c) / 2 + 1))

    def accept(self, score: float) -> bool:
        return abs(score) <= self.max_z

    def explain(self, score: float) -> str:
        side = "English" if score > 0 else "Chinese"
        return f"{self.name} {score:+.2f} ({side} side too long for a translation, |z| > {self.max_z:g})"

    def parameters(self) -> dict:
        how = (f"fitted on {self.fitted_on} pairs of this corpus" if self.fitted_on
               else "as set, or the prior for corpora under "
                    f"{self.min_fit_pairs} pairs")
        return {"ratio": self.ratio, "variance": self.variance, "max_z": self.max_z, "how": how}


# --------------------------------------------------------------------------- untranslated

def han_share(text: str) -> float:
    """Han characters among Han characters and Latin words (a word counts once,
    so "iPhone 发布" is half Chinese); 0 for a text with neither."""
    han = sum(map(len, _HAN_RUN.findall(text)))
    latin = len(_LATIN_WORD.findall(text))
    return han / (han + latin) if han + latin else 0.0


_UNIFIED_HAN = regex.compile("[\u4e00-\u9fff]")
# NFKC and case folding map no character below U+2E80 (CJK radicals and everything after)
# to one holding a unified Han character, and leave those characters as they are
# (tests/test_corpus_filters.py checks every code point)
_BELOW_CJK = "\u2e80"


def could_be_copy(zh: str, en: str) -> bool:
    """False when the two sides' canonical forms cannot agree: the Chinese side has a unified
    Han character, which its canonical form keeps, and nothing in the English side can become
    one. Saves folding both sides of almost every pair."""
    return not (en and max(en) < _BELOW_CJK and _UNIFIED_HAN.search(zh))


@dataclass(frozen=True)
class Untranslated:
    """A side left in the other language: 1.0 for a copy (the same canonical text on
    both sides), else the larger of the Chinese side's non-Han share and the English
    side's Han share. Rejected above ``max_score``."""

    name = "untranslated"
    max_score: float = 0.9

    def __post_init__(self):
        _check(0 <= self.max_score <= 1, f"untranslated_max must be in [0, 1], not {self.max_score}")

    def fit(self, pairs) -> "Untranslated":
        return self

    def score(self, zh: str, en: str) -> float:
        if could_be_copy(zh, en) and canonical_form(zh) == canonical_form(en):
            return 1.0
        zh_han = han_share(zh) if (_HAN.search(zh) or _LATIN_WORD.search(zh)) else 1.0
        return max(1.0 - zh_han, han_share(en))

    def accept(self, score: float) -> bool:
        return score <= self.max_score

    def explain(self, score: float) -> str:
        return f"{self.name} {score:.2f} (one side is a copy or in the other language)"


# --------------------------------------------------------------------------- numbers

@dataclass(frozen=True)
class NumberMismatch:
    """Share of the digit numbers of the two sides that the other side does not express
    (in digits or words, ``aligners.corpus.numbers``); 0 when neither side has one.
    Rejected above ``max_share``."""

    name = "number_mismatch"
    max_share: float = 0.5

    def __post_init__(self):
        _check(0 <= self.max_share <= 1, f"numbers_max_mismatch must be in [0, 1], not {self.max_share}")

    def fit(self, pairs) -> "NumberMismatch":
        return self

    def score(self, zh: str, en: str) -> float:
        missing, total = unmatched_numbers(zh, en)
        return missing / total if total else 0.0

    def accept(self, score: float) -> bool:
        return score <= self.max_share

    def explain(self, score: float) -> str:
        return f"{self.name} {score:.2f} (numbers on one side missing on the other)"


# --------------------------------------------------------------------------- length

def content_chars(text: str) -> int:
    """Letters (Han included) and digits: characters of the Unicode categories L* and N*,
    which are exactly those ``str.isalnum`` accepts (tests/test_corpus_filters.py checks
    every code point), counted in C."""
    return sum(map(str.isalnum, text))


@dataclass(frozen=True)
class Length:
    """Too short or too long: the letters and digits of each side, as ``(zh, en)``."""

    name = "length"
    min_chars: int = 1
    max_zh_chars: int = 1000
    max_en_chars: int = 3000

    def __post_init__(self):
        _check(self.min_chars >= 0, f"min_chars must be >= 0, not {self.min_chars}")
        _check(self.max_zh_chars >= self.min_chars and self.max_en_chars >= self.min_chars,
               "max_zh_chars and max_en_chars must be at least min_chars")

    def fit(self, pairs) -> "Length":
        return self

    def score(self, zh: str, en: str) -> tuple[int, int]:
        return content_chars(zh), content_chars(en)

    def accept(self, score: tuple[int, int]) -> bool:
        z, e = score
        return self.min_chars <= z <= self.max_zh_chars and self.min_chars <= e <= self.max_en_chars

    def explain(self, score: tuple[int, int]) -> str:
        z, e = score
        return (f"{self.name} {z} zh / {e} en letters and digits (allowed {self.min_chars}-{self.max_zh_chars} zh, "
                f"{self.min_chars}-{self.max_en_chars} en)")


# --------------------------------------------------------------------------- punctuation and digits

def non_letter_share(text: str) -> float:
    """Share of a side's visible characters that are digits, punctuation or symbols,
    not counting quotation and sentence-final marks; 0 for an empty side. (Letters are
    the categories L*, which is what ``str.isalpha`` accepts.)"""
    chars = text.translate(_NOT_COUNTED)
    if not chars:
        return 0.0
    return (len(chars) - sum(map(str.isalpha, chars))) / len(chars)


@dataclass(frozen=True)
class NonLetters:
    """A side that is mostly digits, punctuation or symbols (a list number, a table row,
    a stray mark): the larger share of the two sides. Rejected above ``max_share``."""

    name = "non_letters"
    max_share: float = 0.5

    def __post_init__(self):
        _check(0 <= self.max_share <= 1, f"non_letters_max_share must be in [0, 1], not {self.max_share}")

    def fit(self, pairs) -> "NonLetters":
        return self

    def score(self, zh: str, en: str) -> float:
        return max(non_letter_share(zh), non_letter_share(en))

    def accept(self, score: float) -> bool:
        return score <= self.max_share

    def explain(self, score: float) -> str:
        return f"{self.name} {score:.2f} (a side mostly digits, punctuation or symbols)"


# --------------------------------------------------------------------------- registry

# name -> the filter built from [filter]; the order is the order of the reasons
FILTERS = {
    "length": lambda c: Length(c.min_chars, c.max_zh_chars, c.max_en_chars),
    "non_letters": lambda c: NonLetters(c.non_letters_max_share),
    "untranslated": lambda c: Untranslated(c.untranslated_max),
    "number_mismatch": lambda c: NumberMismatch(c.numbers_max_mismatch),
    "length_ratio": lambda c: LengthRatio(c.length_ratio_max_z, c.length_ratio, c.length_variance),
}


def build_filters(config: FilterConfig = FilterConfig()) -> list:
    """The enabled filters, in a fixed order, built from ``[filter]``."""
    unknown = sorted(set(config.disabled) - set(FILTERS))
    _check(not unknown, f"disabled: unknown filter(s) {', '.join(unknown)}; known: {', '.join(FILTERS)}")
    return [make(config) for name, make in FILTERS.items() if name not in config.disabled]


