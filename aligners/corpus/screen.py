"""Filtering a corpus: fit the filters on its pairs, score every pair, then decide.

Scores come first and decisions after (a pair's reason lists every filter it
fails, with the score), so a threshold can be judged from what was measured.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from aligners.corpus.marks import take_out_rows
from aligners.types import FILTERED, DocumentResult


@dataclass(frozen=True)
class FilterStats:
    counts: dict[str, int] = field(default_factory=dict)  # filter -> pairs it rejected
    examples: dict[str, dict] = field(default_factory=dict)  # filter -> first pair it rejected
    per_document: dict[str, int] = field(default_factory=dict)  # doc_id -> pairs filtered
    parameters: dict[str, dict] = field(default_factory=dict)  # fitted parameters, per filter that has them

    @property
    def total(self) -> int:
        return sum(self.per_document.values())


@dataclass(frozen=True)
class Measured:
    """What the corpus pass can know of one document before it has seen the others
    (``measure``): per row, the failures of the filters that fit nothing on the corpus,
    and the row's duplicate key."""

    failures: tuple[tuple[tuple[int, object], ...], ...]  # per row: (filter's index, score) of each failure
    keys: tuple[str, ...]  # per row: canonical.pair_key


def fits_on_corpus(f) -> bool:
    """Whether ``f.fit`` learns from the corpus (so its scores must wait for all documents)."""
    return bool(getattr(f, "fits_on_corpus", False))


def measure(filters: list, result: DocumentResult) -> Measured:
    """``result``'s rows scored by the filters that need no fitting, and their pair keys: the
    flow calls it for each document as it is aligned, so that this share of the corpus pass
    overlaps the alignment of the others instead of following it."""
    from aligners.corpus.canonical import pair_key

    early = [k for k, f in enumerate(filters) if not fits_on_corpus(f)]
    return Measured(tuple(tuple(failures(filters, r.zh, r.en, early)) for r in result.rows),
                    tuple(pair_key(r.zh, r.en) for r in result.rows))


def fit_filters(filters: list, results: list[DocumentResult]) -> list:
    pairs = [(r.zh, r.en) for res in results for r in res.rows]
    return [f.fit(pairs) for f in filters]


def failures(filters: list, zh: str, en: str, only: list[int] | None = None) -> list[tuple[int, object]]:
    """(index, score) of each filter that rejects the pair, in the filters' order; ``only``:
    the indices of the filters to ask (default all)."""
    out = []
    for k in range(len(filters)) if only is None else only:
        score = filters[k].score(zh, en)
        if not filters[k].accept(score):
            out.append((k, score))
    return out


def apply_filters(results: list[DocumentResult], filters: list,
                  measured: list[Measured | None] | None = None) -> tuple[list[DocumentResult], FilterStats]:
    """Fit, score, decide. ``measured`` (one entry per result, from ``measure`` with the same
    filters, or None) holds the scores of the filters that fit nothing, already taken."""
    late = [k for k, f in enumerate(filters) if fits_on_corpus(f)]
    filters = fit_filters(filters, results)
    counts = {f.name: 0 for f in filters}
    examples, per_document, out = {}, {}, []
    for d, res in enumerate(results):
        decisions = {}
        known = measured[d] if measured is not None else None
        if known is not None and len(known.failures) != len(res.rows):
            known = None  # measured on other rows: score them all here
        for k, row in enumerate(res.rows):
            if known is None:
                found = failures(filters, row.zh, row.en)
            else:  # the measured failures and the fitted filters', in the filters' order
                found = sorted(known.failures[k] + tuple(failures(filters, row.zh, row.en, late)),
                               key=lambda item: item[0])
            failed = [(filters[i], score) for i, score in found]
            if not failed:
                continue
            decisions[k] = (FILTERED, "; ".join(f.explain(score) for f, score in failed))
            for f, score in failed:
                counts[f.name] += 1
                examples.setdefault(f.name, {"doc_id": row.doc_id, "zh_ids": list(row.zh_ids),
                                             "en_ids": list(row.en_ids), "zh": row.zh, "en": row.en,
                                             "reason": f.explain(score)})
        if decisions:
            per_document[res.doc_id] = len(decisions)
        out.append(take_out_rows(res, decisions))
    parameters = {f.name: f.parameters() for f in filters if hasattr(f, "parameters")}
    return out, FilterStats(counts, examples, per_document, parameters)
