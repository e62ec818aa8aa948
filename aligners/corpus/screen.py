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


def fit_filters(filters: list, results: list[DocumentResult]) -> list:
    pairs = [(r.zh, r.en) for res in results for r in res.rows]
    return [f.fit(pairs) for f in filters]


def failures(filters: list, zh: str, en: str) -> list[tuple[object, object]]:
    """The filters that reject the pair, each with its score (in the filters' order)."""
    out = []
    for f in filters:
        score = f.score(zh, en)
        if not f.accept(score):
            out.append((f, score))
    return out


def apply_filters(results: list[DocumentResult], filters: list) -> tuple[list[DocumentResult], FilterStats]:
    filters = fit_filters(filters, results)
    counts = {f.name: 0 for f in filters}
    examples, per_document, out = {}, {}, []
    for res in results:
        decisions = {}
        for k, row in enumerate(res.rows):
            failed = failures(filters, row.zh, row.en)
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
