"""The document stages chained: decoded document -> segments -> beads -> rows.

``flows/`` runs these same functions as Prefect tasks; ``process_document`` runs
them in one call for users and tests that do not want Prefect.
"""
from __future__ import annotations

import dataclasses
import time

from aligners.config import AlignConfig, Config, DecodeConfig
from aligners.types import DROPPED, PAIRED, UNPAIRED, Bead, Decoded, Document, DocumentResult, Row, Segment

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
        share = traditional_share(src.text)
        if share < 0.05:
            sources.append(src)
            continue
        if config.to_simplified:
            text = _t2s().convert(src.text)
            note = f"Traditional Chinese ({share:.0%} of Han characters) converted to Simplified"
        else:
            text, note = src.text, f"Traditional Chinese ({share:.0%} of Han characters), kept as is"
        sources.append(dataclasses.replace(src, text=text, notes=src.notes + (note,)))
    return dataclasses.replace(doc, sources=tuple(sources))


def traditional_share(text: str, sample: int = 20_000) -> float:
    """Share of Han characters that OpenCC's t2s conversion changes (0 for Simplified text)."""
    han = "".join(ch for ch in text[: sample * 4] if ord(ch) in _HAN)[:sample]
    if not han:
        return 0.0
    converted = _t2s().convert(han)
    changed = sum(1 for a, b in zip(han, converted) if a != b)
    return changed / len(han)


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


def align_segments(segments, config: AlignConfig = AlignConfig(), given: bool = False) -> tuple[list[Bead], tuple]:
    """(beads over the document's sentences, alignment warnings): searched, or (``given``:
    an existing bitext, one pair per paragraph) taken pair by pair and scored."""
    from aligners.align import align_checked

    zh, en = split_sides(segments)
    if not zh or not en:
        return [], ()
    if given:
        from aligners.align.given import given_beads

        return given_beads([s.text for s in zh], [s.paragraph for s in zh],
                           [s.text for s in en], [s.paragraph for s in en], config), ()
    return align_checked(
        [s.text for s in zh], [s.text for s in en], config,
        zh_paragraphs=paragraph_ranks(zh), en_paragraphs=paragraph_ranks(en),
    )


def apply_beads(doc_id: str, segments, beads: list[Bead], min_score: float) -> tuple[tuple[Segment, ...], tuple[Row, ...]]:
    """Decide pairs from scored beads: statuses and reasons for every segment, and the rows.

    Scores are recorded as computed; the threshold is applied here, not in the aligner.
    """
    zh, en = split_sides(segments)
    status: dict[int, tuple[str, str, int, float]] = {}  # seg_id -> (status, reason, bead, score)
    rows = []
    for k, bead in enumerate(beads):
        zh_segs = [zh[i] for i in bead.src]
        en_segs = [en[j] for j in bead.tgt]
        score = round(bead.score, 4)
        if not zh_segs or not en_segs:
            decision = (UNPAIRED, "no counterpart found by the aligner")
        elif bead.score < min_score:
            decision = (UNPAIRED, f"alignment score below {min_score:.2f}")
        else:
            decision = (PAIRED, "")
            rows.append(Row(
                doc_id=doc_id,
                zh=join_sentences([s.text for s in zh_segs], "zh"),
                en=join_sentences([s.text for s in en_segs], "en"),
                score=score,
                zh_ids=tuple(s.seg_id for s in zh_segs),
                en_ids=tuple(s.seg_id for s in en_segs),
            ))
        for s in zh_segs + en_segs:
            status[s.seg_id] = (*decision, k, score)

    missing_reason = {"zh": "document has no English text to pair with",
                      "en": "document has no Chinese text to pair with"}
    out = []
    for s in segments:
        if s.status == DROPPED:
            out.append(s)
        elif s.seg_id in status:
            st, reason, k, score = status[s.seg_id]
            out.append(dataclasses.replace(s, status=st, reason=reason, bead=k, score=score))
        elif s.lang not in ("zh", "en"):
            out.append(dataclasses.replace(s, status=UNPAIRED, reason="language is neither Chinese nor English"))
        elif (s.lang == "zh" and not en) or (s.lang == "en" and not zh):
            out.append(dataclasses.replace(s, status=UNPAIRED, reason=missing_reason[s.lang]))
        else:  # the aligner must cover every sentence; say so loudly rather than lose it
            out.append(dataclasses.replace(s, status=UNPAIRED, reason="not covered by the aligner (bug)"))
    return tuple(out), tuple(rows)


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


def finish(doc: Document, segments, rows, timings: dict) -> DocumentResult:
    """Package a document's outcome; the decoded text itself is not carried further."""
    sources = tuple(dataclasses.replace(s, text="") for s in doc.sources)
    notes = document_notes(doc, segments)
    if doc.kind == "bitext":
        pairs = len({s.paragraph for s in segments if s.source == 0})
        notes += (f"{len(rows):,} of {pairs:,} pairs kept",)
    error = "; ".join(f"{s.path}: {s.error}" for s in doc.sources if s.error)
    return DocumentResult(doc.doc_id, doc.kind, sources, tuple(segments), tuple(rows),
                          error=error, timings=dict(timings), stats={"notes": list(notes)})


def segment_stage(doc: Document, config: Config = Config()) -> tuple[Document, tuple[Segment, ...], float]:
    """prepare + segment, timed."""
    t0 = time.perf_counter()
    doc = prepare_document(doc, config.decode)
    segs = segment(doc, config)
    return doc, segs, time.perf_counter() - t0


def align_stage(doc: Document, segments, config: Config = Config(), seg_seconds: float = 0.0) -> DocumentResult:
    """align + decide pairs, timed, packaged as the document's result."""
    t0 = time.perf_counter()
    beads, warnings = align_segments(segments, config.align, given=doc.kind == "bitext")
    segs, rows = apply_beads(doc.doc_id, segments, beads, config.align.min_score)
    result = finish(doc, segs, rows, {"segment": seg_seconds, "align": time.perf_counter() - t0})
    if not warnings:
        return result
    zh, en = split_sides(segments)  # the aligner's sentence numbers -> segment ids
    warnings = tuple(dataclasses.replace(
        w, zh=tuple(zh[i].seg_id if i >= 0 else -1 for i in w.zh), en=tuple(en[j].seg_id if j >= 0 else -1 for j in w.en))
        for w in warnings)
    result.stats["notes"] += [w.describe() for w in warnings]  # one line each in report.md/html
    return dataclasses.replace(result, warnings=warnings)


def process_document(doc: Document, config: Config = Config()) -> DocumentResult:
    """All document stages in one call (no Prefect)."""
    doc, segs, seconds = segment_stage(doc, config)
    return align_stage(doc, segs, config, seconds)


def decoded(text: str, path: str = "<memory>") -> Decoded:
    """A source from an in-memory string (for the Python API and tests)."""
    return Decoded(path=path, text=text, encoding="utf-8")
