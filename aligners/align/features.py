"""Sentences as sparse vectors in one English-stem space, plus their lengths.

An English sentence is its content stems (and anchor tokens), weighted by IDF over
the document's English sentences. A Chinese sentence is "translated" word by word
into the same space: each word (wordseg.py) spreads a unit of mass over the stems of its
CC-CEDICT glosses; unknown words back off to the pinyin
of the word (names: 陈清扬 -> chen, qingyang) and to the glosses of its characters.
Latin tokens inside Chinese map to themselves; numbers (二十一, 21, twenty-one) and
? ! and quotation marks become shared anchor tokens. Dot products between the two
kinds of vectors are then lexical overlap, and they add up over sentences, which is
what lets the DP score multi-sentence beads from sentence-pair products.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from aligners.config import FeatureParams  # defined with the other settings

from . import chinese, english
from .sparse import Csr

ZH_STOP = frozenset("的 了 着 过 地 得 之 把 被 在 和 与 及 就 也 都 又 还 而 吗 呢 吧 啊 呀 么 嘛 哦 是 有 这 那 这个 那个 个 我 你 他 她 它 我们 你们 他们 她们 咱们 自己 一 不 没 没有 很 要 会 能 说道 便 却 才 已 已经 并 将".split())
ZH_PUNCT_ANCHORS = {"？": "#?", "?": "#?", "！": "#!", "!": "#!", "“": '#"', "”": '#"', "「": '#"', "」": '#"', "\"": '#"'}
EN_PUNCT_ANCHORS = {"?": "#?", "!": "#!", "\"": '#"', "“": '#"', "”": '#"'}
LATIN = re.compile(r"[A-Za-z][A-Za-z'\-]*")
PUNCT_ONLY = re.compile(r"^[\W_]+$")




@dataclass
class SideFeatures:
    vectors: Csr
    lengths: np.ndarray  # characters (Chinese) or letters (English), float64
    extra: dict = field(default_factory=dict)


def _chars_of(table: Mapping[str, str]) -> re.Pattern:
    return re.compile("[" + re.escape("".join(sorted(table))) + "]")


ZH_ANCHOR_CHARS, EN_ANCHOR_CHARS = _chars_of(ZH_PUNCT_ANCHORS), _chars_of(EN_PUNCT_ANCHORS)


def _punct_anchors(text: str, table: Mapping[str, str], chars: re.Pattern) -> list[str]:
    return [table[c] for c in chars.findall(text)]


def english_tokens(text: str) -> list[str]:
    return english.content_tokens(text) + english.numbers(text)


# Dialogue in single quotes (British style: 'Tell me, sonny,' she said.), told apart from
# apostrophes (it's, the boys' hats): an opening quote starts the text or follows a space,
# bracket or dash and comes before a letter; a closing one follows punctuation, or a letter
# at the very end, and comes before a space or the end.
SINGLE_QUOTE = re.compile(r"(?:(?:^|(?<=[\s(\[—–-]))['‘](?=[\w.…])"
                          r"|(?<=[.,!?;:…—–-])['’](?=\s|$|[)\]])|(?<=\w)['’]$)")
DOUBLE_QUOTE = re.compile(r'["“”]')


def english_anchor_tokens(text: str, quote_sides: bool = False) -> list[str]:
    text = text.strip()
    if not quote_sides:
        return _punct_anchors(text, EN_PUNCT_ANCHORS, EN_ANCHOR_CHARS) + ['#"'] * len(SINGLE_QUOTE.findall(text))
    out = [t for t in _punct_anchors(text, EN_PUNCT_ANCHORS, EN_ANCHOR_CHARS) if t != '#"']
    if "'" in text or "‘" in text or "’" in text:
        out += [_side(text, m.start()) for m in SINGLE_QUOTE.finditer(text)]
    out += [_side(text, m.start()) for m in DOUBLE_QUOTE.finditer(text)]
    return out


OPENING = "“「『‘"
CLOSING = "”」』’"


def _side(text: str, at: int) -> str:
    """'#"<' for an opening quotation mark at ``at``, '#">' for a closing one."""
    c = text[at]
    if c in OPENING:
        return '#"<'
    if c in CLOSING:
        return '#">'
    before = text[at - 1] if at else " "
    return '#"<' if (before.isspace() or before in "([—–-:：") else '#">'


ZH_ELLIPSIS_DASH = re.compile(r"(…+|\.{3,}|。{3,})|(—+|－{2,}|-{2,})")
EN_ELLIPSIS_DASH = re.compile(r"(…|\.\s?\.\s?\.)|(—|–|--)")


def ellipsis_dash_tokens(text: str, pattern: re.Pattern) -> list[str]:
    return ["#..." if m.group(1) else "#--" for m in pattern.finditer(text)]


def chinese_anchor_tokens(text: str, quote_sides: bool = False) -> list[str]:
    if not quote_sides:
        return _punct_anchors(text, ZH_PUNCT_ANCHORS, ZH_ANCHOR_CHARS)
    out = []
    for m in ZH_ANCHOR_CHARS.finditer(text):
        tok = ZH_PUNCT_ANCHORS[m.group()]
        out.append(_side(text, m.start()) if tok == '#"' else tok)
    return out


def translate_word(word: str, dictionary: Mapping[str, Sequence[str]], params: FeatureParams) -> dict[str, float]:
    """Translation mass of one Chinese word over English stems (sums to at most 1 + pinyin)."""
    if chinese.HAN.search(word):  # a Han character is a word character: neither punctuation only nor Latin
        if word in ZH_STOP:
            return {}
    else:
        if PUNCT_ONLY.match(word) or word in ZH_STOP:
            return {}
        if LATIN.fullmatch(word):
            s = english.stem(word.lower())
            return {} if s in english.STOP_WORDS else {s: 1.0}
        return {}
    out: dict[str, float] = {}
    stems = dictionary.get(word)
    if stems:
        stems = stems[: params.max_glosses]
        w = 1.0 / len(stems) ** params.polysemy_power
        for s in stems:
            out[s] = out.get(s, 0.0) + w
        if params.char_always and len(word) > 1:
            _add_char_glosses(out, word, dictionary, params, params.char_always)
        return out
    # Unknown word: pinyin (names) and the glosses of its characters.
    for s in chinese.pinyin_tokens(word):
        out[s] = out.get(s, 0.0) + params.pinyin_weight
    _add_char_glosses(out, word, dictionary, params, params.char_backoff)
    return out


def _add_char_glosses(out: dict[str, float], word: str, dictionary, params: FeatureParams, mass: float) -> None:
    """Spread ``mass`` over the gloss stems of the word's characters (in place)."""
    chars = [c for c in word if c not in ZH_STOP]
    for c in chars:
        cst = dictionary.get(c)
        if not cst:
            continue
        cst = cst[: params.max_glosses]
        w = mass / len(chars) / len(cst) ** params.polysemy_power
        for s in cst:
            out[s] = out.get(s, 0.0) + w


@dataclass(frozen=True)
class WordEntries:
    """The translation mass (``translate_word``) of each distinct word of a document's
    Chinese sentences in its vocabulary, and every sentence's words as numbers into it:
    parts of the sentences are vectorised from these without looking a word up again."""

    ids: np.ndarray  # int64: the number of each word of the sentences, sentence after sentence
    start: np.ndarray  # int64: each sentence's first place in ``ids``, and the end
    entry_start: np.ndarray  # int64: each word number's first entry in ``cols``/``vals``
    entry_count: np.ndarray  # int64: its number of entries
    cols: np.ndarray  # int64: vocabulary columns
    vals: np.ndarray  # float64: masses (not weighted)


def word_entries(zh_words: Sequence[Sequence[str]], vocab: dict[str, int], dictionary,
                 params: FeatureParams, translations: Mapping[str, dict] | None = None) -> WordEntries:
    """Each distinct word's translation mass over the vocabulary's columns, in the order the
    words first occur, and the numbers of the sentences' words. ``translations``: each
    word's ``translate_word`` already made (else made here with ``dictionary``)."""
    word_id: dict[str, int] = {}
    occurrences = [word_id.setdefault(w, len(word_id)) for words in zh_words for w in words]
    entry_cols: list[int] = []
    entry_vals: list[float] = []
    lengths = [0]  # entries of each word (counted in a list: a numpy scalar costs more per += than the rest)
    for word in word_id:
        n = len(entry_cols)
        mass = translations[word] if translations is not None else translate_word(word, dictionary, params)
        for s, m in mass.items():
            c = vocab.get(s)
            if c is not None:
                entry_cols.append(c)
                entry_vals.append(m)
        lengths.append(len(entry_cols) - n)
    entry_len = np.array(lengths, np.int64)
    return WordEntries(np.array(occurrences, dtype=np.int64), np.cumsum([0] + [len(w) for w in zh_words]),
                       np.cumsum(entry_len)[:-1], entry_len[1:], np.array(entry_cols, dtype=np.int64),
                       np.array(entry_vals, dtype=np.float64))


def _chinese_triples(zh, zh_words, vocab: dict[str, int], dictionary, params: FeatureParams,
                     weight: np.ndarray, translations: Mapping[str, dict] | None = None,
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, WordEntries]:
    """(rows, columns, values) of the Chinese vectors, and the word entries they were made from."""
    entries = word_entries(zh_words, vocab, dictionary, params, translations)
    return (*_triples(zh, entries.ids, [len(w) for w in zh_words], entries, vocab, params, weight), entries)


def _triples(zh: Sequence[str], ids: np.ndarray, counts: Sequence[int], entries: WordEntries, vocab: dict[str, int],
             params: FeatureParams, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, columns, values) of the vectors of texts ``zh`` whose words are the numbers
    ``ids`` into ``entries`` (``counts[r]`` of them for text r): each word's translation
    mass, then the anchor tokens (numbers, punctuation), in that order for every row."""
    count = entries.entry_count[ids]
    first = np.cumsum(count) - count
    at = np.repeat(entries.entry_start[ids] - first, count) + np.arange(int(count.sum()))
    rows = np.repeat(np.repeat(np.arange(len(zh)), counts), count)
    cols = entries.cols[at]
    vals = entries.vals[at]
    a_rows, a_cols = [], []
    for r, text in enumerate(zh):
        toks = chinese.numbers(text) + chinese_anchor_tokens(text, params.quote_sides)
        if params.ellipsis_dash:
            toks += ellipsis_dash_tokens(text, ZH_ELLIPSIS_DASH)
        for tok in toks:
            c = vocab.get(tok)
            if c is not None:
                a_rows.append(r)
                a_cols.append(c)
    rows = np.concatenate([rows, np.array(a_rows, dtype=np.int64)])
    cols = np.concatenate([cols, np.array(a_cols, dtype=np.int64)])
    vals = np.concatenate([vals, np.ones(len(a_cols))])
    return rows, cols, vals * weight[cols]


def chinese_vectors(zh: Sequence[str], zh_words: Sequence[Sequence[str]], vocab: dict[str, int], weight: np.ndarray,
                    params: FeatureParams = FeatureParams(), dictionary: Mapping[str, Sequence[str]] | None = None) -> Csr:
    """Vectors of Chinese texts, segmented into ``zh_words``, in a document's vocabulary and
    weights (``build_features``' info)."""
    return _chinese_vectors(zh, zh_words, vocab, weight, params, dictionary)[0]


def _chinese_vectors(zh, zh_words, vocab, weight, params, dictionary) -> tuple[Csr, WordEntries]:
    if dictionary is None:
        from .dictionary import cedict

        dictionary = cedict()
    translations = None
    if hasattr(dictionary, "subset"):  # CC-CEDICT's tables: the words (and characters) not met before, at once
        translations = _translations({w for words in zh_words for w in words}, dictionary, params)
    rows, cols, vals, entries = _chinese_triples(zh, zh_words, vocab, dictionary, params, weight, translations)
    return Csr.from_triples(rows, cols, vals, len(zh)), entries


MAX_MEMO_WORDS = 50_000  # remembered translations per table (~0.7 kB each: the 258 dev documents have 21k words)


def _translations(words: set[str], table, params: FeatureParams) -> dict[str, dict]:
    """``translate_word`` of each of ``words`` with CC-CEDICT's tables ``table``, remembered in
    ``table.translations`` (a pure function of the word, the table and ``params``: the
    documents of a process share most of their words), the new words looked up at once."""
    memo = table.translations.setdefault(params, {})
    out = {w: memo.get(w) for w in words}
    new = [w for w, mass in out.items() if mass is None]
    if new:
        found = table.subset(set(new) | {c for w in new for c in w})
        if len(memo) + len(new) > MAX_MEMO_WORDS:
            memo.clear()
        for w in new:
            out[w] = memo[w] = translate_word(w, found, params)
    return out


def vectors_of_words(zh: Sequence[str], ids: np.ndarray, counts: Sequence[int], entries: WordEntries,
                     vocab: dict[str, int], weight: np.ndarray, params: FeatureParams = FeatureParams()) -> Csr:
    """Vectors of Chinese texts whose words are already in ``entries`` (``counts[r]`` of
    the numbers ``ids`` for text r), as ``chinese_vectors`` makes them, with no look-up."""
    return Csr.from_triples(*_triples(zh, ids, counts, entries, vocab, params, weight), len(zh))


def build_features(zh: Sequence[str], en: Sequence[str], params: FeatureParams = FeatureParams(),
                   dictionary: Mapping[str, Sequence[str]] | None = None,
                   segmented: Sequence[Sequence[str]] | None = None) -> tuple[SideFeatures, SideFeatures, dict]:
    """Vectors of both sides in the vocabulary of the English side's tokens.

    Returns (zh features, en features, info) where info holds the vocabulary, the
    segmented Chinese words and their entries (``WordEntries``).
    """
    if dictionary is None:
        from .dictionary import cedict

        dictionary = cedict()
    vocab: dict[str, int] = {}
    en_tokens: list[list[str]] = []
    df: Counter = Counter()
    for text in en:
        toks = english_tokens(text) + english_anchor_tokens(text, params.quote_sides)
        if params.ellipsis_dash:
            toks += ellipsis_dash_tokens(text, EN_ELLIPSIS_DASH)
        en_tokens.append(toks)
        df.update(set(toks))
    for t in sorted(df):
        vocab[t] = len(vocab)
    n_en = max(1, len(en))
    idf = np.array([math.log(1.0 + n_en / df[t]) for t in sorted(df)], dtype=np.float64)
    special = {t: (params.number_weight if t.startswith("#") and t[1:2].isdigit() else params.punct_weight)
               for t in vocab if t.startswith("#")}
    weight = idf ** params.idf_power
    for t, w in special.items():
        weight[vocab[t]] *= w

    cols = np.array([vocab[t] for toks in en_tokens for t in toks], dtype=np.int64)
    rows = np.repeat(np.arange(len(en)), [len(toks) for toks in en_tokens])
    en_vec = Csr.from_triples(rows, cols, weight[cols], len(en))

    zh_words = [list(w) for w in segmented] if segmented is not None else chinese.segment_many(zh)
    zh_vec, zh_entries = _chinese_vectors(zh, zh_words, vocab, weight, params, dictionary)

    zh_len = np.array([len("".join(t.split())) for t in zh], dtype=np.float64)  # characters but white space
    en_len = np.array([len("".join(t.split())) for t in en], dtype=np.float64)
    info = {"vocab": vocab, "zh_words": zh_words, "zh_entries": zh_entries, "en_tokens": en_tokens, "weight": weight}
    return SideFeatures(zh_vec, zh_len), SideFeatures(en_vec, en_len), info
