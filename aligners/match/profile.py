"""One file of a pile -> its profile: language, sentences and terms in the English-stem space.

The terms are those the sentence aligner compares (``aligners.align.features``):
English content stems and number anchors; for Chinese, each jieba word spreads its
mass over the stems of its CC-CEDICT glosses, unknown words back off to their pinyin
(names) and their characters' glosses, Latin tokens map to themselves, and Chinese
numerals become the same number anchors as English ones. Summed over the document,
they are a bag of English stems for both languages, so that documents can be
compared the way Buck & Koehn (2016) compare translated web pages, by TF-IDF cosine.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from aligners.config import Config
from aligners.io import inputs
from aligners.types import Decoded

ZH, EN = "zh", "en"
HAN_WEIGHT = 3  # one Han character carries about as much as three Latin letters (as in text.detect)


@dataclass(frozen=True)
class PileFile:
    """A file of the pile: where it is and how the report names it."""

    path: str
    label: str  # doc_id it would have alone (file name without .txt, relative in a folder)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """What matching needs of one file. ``key`` (a hash of the decoded text, not of the
    name) orders files and breaks ties, so pairs do not depend on names or order."""

    key: str
    file: PileFile
    shown: str  # the file as the report shows it
    lang: str  # ZH, EN, or "" (neither, both, or unreadable: then ``reason`` says which)
    reason: str
    sentences: tuple[str, ...]  # the sentences in ``lang``, in reading order
    paragraphs: tuple[int, ...]  # dense paragraph number of each sentence
    terms: tuple[tuple[str, float], ...]  # term -> summed mass, sorted by term
    zh_share: float  # weighted share of the text in Chinese spans


def profile_file(file: PileFile, config: Config = Config()) -> Profile:
    """Read, decode and profile one file (errors become a profile with a reason)."""
    source = inputs.read_document(inputs.DocSpec(file.label, "mixed", (file.path,)), config.decode).sources[0]
    return profile_text(file, source, config)


def profile_text(file: PileFile, source: Decoded, config: Config = Config()) -> Profile:
    from aligners.text.segment import source_pieces

    key = hashlib.sha256(source.text.encode("utf-8", "surrogatepass")).hexdigest()
    if source.error:
        return Profile(key, file, source.path, "", source.error, (), (), (), 0.0)
    text = source.text
    pieces = [p for p in source_pieces(text, config.text) if not p.dropped and p.lang in (ZH, EN)]
    weight = {ZH: 0, EN: 0}
    for p in pieces:
        weight[p.lang] += (HAN_WEIGHT if p.lang == ZH else 1) * sum(1 for c in text[p.start:p.end] if not c.isspace())
    total = weight[ZH] + weight[EN]
    if not total:
        return Profile(key, file, source.path, "", "no Chinese or English text", (), (), (), 0.0)
    zh_share = weight[ZH] / total
    share = config.match.language_share
    lang = ZH if zh_share >= share else EN if 1 - zh_share >= share else ""
    if not lang:
        return Profile(key, file, source.path, "", f"holds both languages ({zh_share:.0%} Chinese): "
                       "aligned as one document", (), (), (), round(zh_share, 4))
    sentences, paragraphs, last, rank = [], [], None, -1
    for p in pieces:
        if p.lang != lang:
            continue
        if p.paragraph != last:
            rank, last = rank + 1, p.paragraph
        sentences.append(text[p.start:p.end])
        paragraphs.append(rank)
    terms = chinese_terms(sentences, config) if lang == ZH else english_terms(sentences)
    return Profile(key, file, source.path, lang, "", tuple(sentences), tuple(paragraphs),
                   tuple(sorted(terms.items())), round(zh_share, 4))


def english_terms(sentences) -> dict[str, float]:
    from aligners.align.features import english_tokens

    out: dict[str, float] = {}
    for s in sentences:
        for t in english_tokens(s):
            out[t] = out.get(t, 0.0) + 1.0
    return out


def chinese_terms(sentences, config: Config = Config()) -> dict[str, float]:
    from aligners.align import chinese
    from aligners.align.dictionary import cedict
    from aligners.align.features import translate_word

    params = config.align.features
    sentences = list(sentences)
    words = chinese.segment_many(sentences)
    needed = {w for ws in words for w in ws}
    dictionary = cedict().subset(needed | {c for w in needed for c in w})
    seen: dict[str, dict[str, float]] = {}
    out: dict[str, float] = {}
    for s, ws in zip(sentences, words):
        for word in ws:
            mass = seen.get(word)
            if mass is None:
                mass = seen[word] = translate_word(word, dictionary, params)
            for t, m in mass.items():
                out[t] = out.get(t, 0.0) + m
        for t in chinese.numbers(s):
            out[t] = out.get(t, 0.0) + 1.0
    return out
