"""A canonical form of a pair's texts, and its hash, for finding pairs written before.

Two pairs count as the same when their texts agree after folding what does not
change what a sentence says: letter case, character width (full-width ``Ａ１，``
against ``A1,``), spacing (runs of spaces, spaces around punctuation and between
Han characters) and punctuation variants (curly and straight quotes, Chinese and
Western full stops, dashes, ellipses). Letters, digits and Han characters are kept
as they are, so a pair that differs in one word or number is a different pair.
"""
from __future__ import annotations

import hashlib
import unicodedata

import regex

# Punctuation variants folded to one representative, after NFKC (which already maps
# full-width ，？！：；（） to their ASCII forms).
_PUNCT = str.maketrans({
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "「": '"', "」": '"', "『": '"', "』": '"',
    "‘": "'", "’": "'", "‚": "'", "‹": "'", "›": "'", "`": "'", "´": "'",
    "。": ".", "｡": ".", "、": ",", "·": ".", "・": ".",
    "—": "-", "–": "-", "―": "-", "‒": "-", "−": "-", "﹣": "-",
    "《": '"', "》": '"', "〈": '"', "〉": '"', "【": "(", "】": ")", "〔": "(", "〕": ")",
    "…": "...",
})
_SPACE = regex.compile(r"\s+")
# a space next to punctuation or a Han character carries nothing: "你 好 ." == "你好."
_LOOSE_SPACE = regex.compile(r" (?=[\p{P}\p{S}\p{Han}])|(?<=[\p{P}\p{S}\p{Han}]) ")
_DOTS = regex.compile(r"\.{2,}")
_DASHES = regex.compile(r"-{2,}")


def canonical_form(text: str) -> str:
    """``text`` with case, width, spacing and punctuation variants folded."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_PUNCT)
    text = _DOTS.sub("...", _DASHES.sub("-", text))
    text = _SPACE.sub(" ", text).strip()
    return _LOOSE_SPACE.sub("", text)


def pair_key(zh: str, en: str) -> str:
    """A short stable hash of a pair's canonical form (the two sides kept apart)."""
    blob = canonical_form(zh) + "\x00" + canonical_form(en)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]
