"""The corpus-level pass at write time: filters, then duplicates, over documents in order.

Filters run first, so a pair rejected by a filter is never the "first occurrence"
a later copy is counted against; every copy of a rejected pair is rejected for the
same reason. Both passes see the whole corpus in document order, so the outcome
does not depend on how documents were batched or which runner computed them.
"""
from __future__ import annotations

from dataclasses import dataclass

from aligners.config import FilterConfig
from aligners.corpus.duplicates import DuplicateStats, mark_duplicates
from aligners.corpus.filters import build_filters
from aligners.corpus.screen import FilterStats, apply_filters
from aligners.types import DocumentResult


@dataclass(frozen=True)
class CorpusStats:
    filters: FilterStats
    duplicates: DuplicateStats

    def to_dict(self) -> dict:
        """The report's section: counts per filter and per document, one example each."""
        docs = sorted(set(self.filters.per_document) | set(self.duplicates.per_document))
        return {
            "filtered": self.filters.total,
            "duplicates": self.duplicates.total,
            "filters": {name: {"pairs": n, "example": self.filters.examples.get(name)}
                        for name, n in self.filters.counts.items()},
            "filter_parameters": self.filters.parameters,
            "duplicate_example": self.duplicates.example,
            "per_document": {d: {"filtered": self.filters.per_document.get(d, 0),
                                 "duplicates": self.duplicates.per_document.get(d, 0)} for d in docs},
        }


def curate(results: list[DocumentResult], config: FilterConfig = FilterConfig(),
           measured: list | None = None) -> tuple[list[DocumentResult], CorpusStats]:
    """``measured``: per result, ``screen.measure(build_filters(config), result)`` or None,
    taken while the documents were aligned (the outcome is the same without it)."""
    filtered, filter_stats = apply_filters(list(results), build_filters(config), measured)
    keys = None
    if measured is not None:
        keys = [{(r.zh_ids, r.en_ids): key for r, key in zip(res.rows, m.keys)} if m is not None else None
                for res, m in zip(results, measured)]
    deduped, dup_stats = mark_duplicates(filtered, keys)
    return deduped, CorpusStats(filter_stats, dup_stats)
