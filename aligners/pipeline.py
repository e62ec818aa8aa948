"""The document stages chained: decoded document -> segments -> beads -> rows.

``flows/`` runs these same functions as Prefect tasks; ``process_document`` runs
them in one call for users and tests that do not want Prefect.
"""
from __future__ import annotations

import dataclasses
import re
import time
from functools import lru_cache

from aligners.config import AlignConfig, Config, DecodeConfig
from aligners.types import (BELOW_MIN_SCORE, DROPPED, NO_CHINESE, NO_COUNTERPART, NO_ENGLISH, NOT_COVERED,
                            OTHER_LANGUAGE, PAIRED, UNPAIRED, AlignedBead, Bead, Decoded, Document,
                            DocumentResult, Row, Segment)

_HAN = range(0x4E00, 0xA000)


def prepare_document(doc: Document, config: DecodeConfig = DecodeConfig()) -> Document:
    """Document-level facts and conversions before segmentation.

    Traditional Chinese is recorded, and converted to Simplified with OpenCC when
    ``config.to_simplified`` is set.
    """
    sources = []
    for src in doc.sources:
        if src.error or not src.text:
            sources.append(src)
            continue
        han = han_sample(src.text)
        # the bound first: Simplified text holds few characters t2s could change, and converting costs
        if changeable_share(han) < 0.05 or (share := converted_share(han)) < 0.05:
            sources.append(src)
            continue
        if config.to_simplified:
            text = _t2s().convert(src.text)
            note = f"Traditional Chinese ({share:.0%} of Han characters) converted to Simplified"
        else:
            text, note = src.text, f"Traditional Chinese ({share:.0%} of Han characters), kept as is"
        sources.append(dataclasses.replace(src, text=text, notes=src.notes + (note,)))
    return dataclasses.replace(doc, sources=tuple(sources))


_HAN_RUN = re.compile("[\u4e00-\u9fff]+")  # the code points of _HAN


def han_sample(text: str, sample: int = 20_000) -> str:
    """The first ``sample`` Han characters among the first ``4 * sample`` characters, joined."""
    return "".join(_HAN_RUN.findall(text, 0, sample * 4))[:sample]


def traditional_share(text: str, sample: int = 20_000) -> float:
    """Share of Han characters that OpenCC's t2s conversion changes (0 for Simplified text)."""
    han = han_sample(text, sample)
    return converted_share(han) if changeable_share(han) else 0.0


def converted_share(han: str) -> float:
    """Share of the characters of ``han`` that t2s changes."""
    if not han:
        return 0.0
    converted = _t2s().convert(han)
    changed = sum(1 for a, b in zip(han, converted) if a != b)
    return changed / len(han)


def changeable_share(han: str) -> float:
    """Share of the characters of ``han`` that some t2s entry changes: at least ``converted_share``
    (t2s replaces matched keys by values of the same length, so a character changes only where
    an entry's key and value differ), without converting; 1.0 when the tables are not plain."""
    chars = _t2s_changeable()
    if not han or chars is None:
        return 1.0 if han else 0.0
    return sum(map(chars.__contains__, han)) / len(han)


@lru_cache(maxsize=1)
def _t2s_changeable() -> frozenset[str] | None:
    """Characters at which a key of the t2s tables differs from its value (the first, as
    OpenCC takes it); None if a table is not of that plain, length-keeping kind."""
    import json
    import os

    import opencc

    root = os.path.dirname(opencc.__file__)
    with open(os.path.join(root, "config", "t2s.json"), encoding="utf-8") as fh:
        chain = json.load(fh)["conversion_chain"]
    files, todo = [], [step["dict"] for step in chain]
    while todo:
        spec = todo.pop()
        if spec.get("type") == "group":
            todo += spec["dicts"]
        elif spec.get("type") == "txt":
            files.append(spec["file"])
        else:
            return None
    chars = set()
    for name in files:
        with open(os.path.join(root, "dictionary", name), encoding="utf-8") as fh:
            for line in fh:
                key, value = line.strip().split("\t")
                value = value.split(" ")[0]
                if len(key) != len(value):
                    return None
                chars.update(k for k, v in zip(key, value) if k != v)
    return frozenset(chars)


_CONVERTER = None


def _t2s():
    global _CONVERTER
    if _CONVERTER is None:
        import opencc  # opencc-python-reimplemented: pure Python, dictionaries in the wheel

        _CONVERTER = opencc.OpenCC("t2s")
    return _CONVERTER


def segment(doc: Document, config: Config = Config()) -> tuple[Segment, ...]:
    from aligners.text.segment import segment_document

    return tuple(segment_document(doc, config.text))


def split_sides(segments) -> tuple[list[Segment], list[Segment]]:
    """The Chinese and the English segments to align, each in reading order."""
    live = [s for s in segments if s.status != DROPPED]
    return [s for s in live if s.lang == "zh"], [s for s in live if s.lang == "en"]


def paragraph_ranks(segs: list[Segment]) -> list[int]:
    """Dense paragraph numbers per side (0, 0, 1, 2, 2, ...) for the aligner."""
    ranks, last, rank = [], None, -1
    for s in segs:
        key = (s.source, s.paragraph)
        if key != last:
            rank += 1
            last = key
        ranks.append(rank)
    return ranks


def align_sides(zh: list[Segment], en: list[Segment], config: AlignConfig = AlignConfig(),
                given: bool = False) -> tuple[list[Bead], tuple, object]:
    """(beads over the two sides, alignment warnings, the search's ``DocumentFeatures`` or
    None), beads and warnings numbering the sentences of ``zh`` and ``en``; nothing when a
    side is empty. Searched, or (``given``: an existing bitext, one pair per paragraph)
    taken pair by pair and scored."""
    from aligners.align.search import align_document

    if not zh or not en:
        return [], (), None
    if given:
        from aligners.align.given import given_beads

        return given_beads([s.text for s in zh], [s.paragraph for s in zh],
                           [s.text for s in en], [s.paragraph for s in en], config), (), None
    found = align_document([s.text for s in zh], [s.text for s in en], config,
                           zh_paragraphs=paragraph_ranks(zh), en_paragraphs=paragraph_ranks(en))
    return found.beads, found.warnings, found.features


def decide(bead: Bead, min_score: float) -> tuple[str, str]:
    """(status, reason code) of one bead: scores are recorded as computed, the threshold applied here."""
    if not bead.src or not bead.tgt:
        return UNPAIRED, NO_COUNTERPART
    if bead.score < min_score:
        return UNPAIRED, BELOW_MIN_SCORE
    return PAIRED, ""


def apply_beads(doc_id: str, segments, beads: list[Bead], min_score: float,
                sides: tuple[list[Segment], list[Segment]] | None = None,
                ) -> tuple[tuple[Segment, ...], tuple[AlignedBead, ...], tuple[Row, ...]]:
    """Decide pairs from the aligner's beads: every segment's status and reason, the beads
    over seg_ids with their decisions, and the rows of the paired ones.

    ``sides`` is ``split_sides(segments)`` when the caller has it already.
    """
    zh, en = sides if sides is not None else split_sides(segments)
    status: dict[int, tuple[str, str]] = {}  # seg_id -> (status, reason)
    decided, rows = [], []
    for bead in beads:
        zh_segs = [zh[i] for i in bead.src]
        en_segs = [en[j] for j in bead.tgt]
        st, reason = decide(bead, min_score)
        score = round(bead.score, 4)
        decided.append(AlignedBead(tuple(s.seg_id for s in zh_segs), tuple(s.seg_id for s in en_segs),
                                   score, st, reason, min_score))
        if st == PAIRED:
            rows.append(Row(
                doc_id=doc_id,
                zh=join_sentences([s.text for s in zh_segs], "zh"),
                en=join_sentences([s.text for s in en_segs], "en"),
                score=score,
                zh_ids=tuple(s.seg_id for s in zh_segs),
                en_ids=tuple(s.seg_id for s in en_segs),
            ))
        for s in zh_segs + en_segs:
            status[s.seg_id] = (st, reason)

    out = []
    for s in segments:
        if s.status == DROPPED:
            out.append(s)
            continue
        if s.seg_id in status:
            st, reason = status[s.seg_id]
        elif s.lang not in ("zh", "en"):
            st, reason = UNPAIRED, OTHER_LANGUAGE
        elif s.lang == "zh" and not en:
            st, reason = UNPAIRED, NO_ENGLISH
        elif s.lang == "en" and not zh:
            st, reason = UNPAIRED, NO_CHINESE
        else:  # the aligner must cover every sentence; say so loudly rather than lose it
            st, reason = UNPAIRED, NOT_COVERED
        out.append(dataclasses.replace(s, status=st, reason=reason))
    return tuple(out), tuple(decided), tuple(rows)


def join_sentences(texts: list[str], lang: str) -> str:
    if lang == "en":
        return " ".join(texts)
    out = ""
    for t in texts:  # Chinese joins without spaces, except between two Latin words
        if out and t and out[-1].isascii() and out[-1].isalnum() and t[0].isascii() and t[0].isalnum():
            out += " "
        out += t
    return out


def document_notes(doc: Document, segments) -> tuple[str, ...]:
    """Facts about a document worth a line in the report (e.g. swapped pair sides)."""
    notes = []
    if doc.kind == "pair":
        for source, expected in ((0, "zh"), (1, "en")):
            langs = [s.lang for s in segments if s.source == source and s.status != DROPPED]
            other = "en" if expected == "zh" else "zh"
            if langs and langs.count(other) > 0.5 * len(langs):
                notes.append(f"{doc.sources[source].path} holds mostly {other} text (sides swapped?); "
                             "segments are paired by detected language")
    return tuple(notes)


def finish(doc: Document, segments, beads, rows, timings: dict, warnings=()) -> DocumentResult:
    """Package a document's outcome; the decoded text itself is not carried further.

    The sources (paths, encodings, notes) and the messages naming them come from
    ``doc``, so ``with_sources`` can give a cached result the paths of this run.
    """
    sources = tuple(dataclasses.replace(s, text="") for s in doc.sources)
    notes = document_notes(doc, segments)
    if doc.kind == "bitext":
        pairs = len({s.paragraph for s in segments if s.source == 0})
        notes += (f"{len(rows):,} of {pairs:,} pairs kept",)
    notes += tuple(w.describe() for w in warnings)  # one line each in report.md/html
    error = "; ".join(f"{s.path}: {s.error}" for s in doc.sources if s.error)
    return DocumentResult(doc.doc_id, doc.kind, sources, tuple(segments), tuple(rows), tuple(beads),
                          error=error, timings=dict(timings), stats={"notes": list(notes)},
                          warnings=tuple(warnings))


def with_paths(doc: Document, like: Document) -> Document:
    """``doc`` with the source paths of ``like``: the same files, perhaps spelled differently
    (cache entries are keyed by content, so they may come from a run that spelled them otherwise)."""
    if [s.path for s in doc.sources] == [s.path for s in like.sources]:
        return doc
    sources = tuple(dataclasses.replace(s, path=o.path) for s, o in zip(doc.sources, like.sources))
    return dataclasses.replace(doc, sources=sources)


def with_sources(result: DocumentResult, doc: Document) -> DocumentResult:
    """``result`` with the sources of ``doc`` and the messages that name them (see ``with_paths``)."""
    if [s.path for s in result.sources] == [s.path for s in doc.sources]:
        return result
    return finish(doc, result.segments, result.beads, result.rows, result.timings, result.warnings)


def segment_stage(doc: Document, config: Config = Config()) -> tuple[Document, tuple[Segment, ...], float]:
    """prepare + segment, timed: (prepared document, segments, seconds)."""
    t0 = time.perf_counter()
    doc = prepare_document(doc, config.decode)
    segs = segment(doc, config)
    return doc, segs, time.perf_counter() - t0


def align_stage(doc: Document, segments, config: Config = Config()) -> DocumentResult:
    """align + decide pairs, timed (``timings["align"]``), packaged as the document's result."""
    t0 = time.perf_counter()
    sides = split_sides(segments)
    beads, warnings, features = align_sides(*sides, config.align, given=doc.kind == "bitext")
    if config.align.split_clauses and doc.kind != "bitext" and beads:
        from aligners.align.refine import refine_segments

        segments, sides, beads, warnings = refine_segments(segments, *sides, beads, warnings, config.align,
                                                           features)
    segs, decided, rows = apply_beads(doc.doc_id, segments, beads, config.align.min_score, sides)
    zh, en = sides  # the aligner's sentence numbers -> segment ids
    warnings = tuple(dataclasses.replace(
        w, zh=tuple(zh[i].seg_id if i >= 0 else -1 for i in w.zh), en=tuple(en[j].seg_id if j >= 0 else -1 for j in w.en))
        for w in warnings)
    return finish(doc, segs, decided, rows, {"align": time.perf_counter() - t0}, warnings)


def process_document(doc: Document, config: Config = Config()) -> DocumentResult:
    """All document stages in one call (no Prefect)."""
    doc, segs, seconds = segment_stage(doc, config)
    result = align_stage(doc, segs, config)
    return dataclasses.replace(result, timings={"segment": seconds, **result.timings})


def decoded(text: str, path: str = "<memory>") -> Decoded:
    """A source from an in-memory string (for the Python API and tests)."""
    return Decoded(path=path, text=text, encoding="utf-8")
