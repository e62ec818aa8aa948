"""Each pair once: later copies of a pair become ``duplicate`` segments.

The pass runs over the documents in corpus order, so which occurrence counts as
the first (and so every status) does not depend on batching or on the task
runner. Two pairs are the same when their canonical forms agree
(``aligners.corpus.canonical``), whether in two documents or within one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from aligners.corpus.canonical import pair_key
from aligners.corpus.marks import ids_text, take_out_rows
from aligners.types import DUPLICATE, DocumentResult


@dataclass(frozen=True)
class DuplicateStats:
    per_document: dict[str, int] = field(default_factory=dict)  # doc_id -> pairs taken out as copies
    example: dict | None = None  # the first copy met, with the occurrence it repeats

    @property
    def total(self) -> int:
        return sum(self.per_document.values())


def first_occurrence_reason(doc_id: str, zh_ids, en_ids) -> str:
    return f"same pair as {doc_id} zh {ids_text(zh_ids)} en {ids_text(en_ids)}"


def mark_duplicates(results: list[DocumentResult], keys: list[dict] | None = None,
                    ) -> tuple[list[DocumentResult], DuplicateStats]:
    """``keys``: per result, {(zh_ids, en_ids): pair_key} of its rows, where already computed."""
    seen: dict[str, tuple[str, tuple[int, ...], tuple[int, ...]]] = {}
    out, counts, example = [], {}, None
    for d, res in enumerate(results):
        decisions = {}
        known = keys[d] if keys is not None else None
        for k, row in enumerate(res.rows):
            key = known.get((row.zh_ids, row.en_ids)) if known else None
            if key is None:
                key = pair_key(row.zh, row.en)
            first = seen.get(key)
            if first is None:
                seen[key] = (row.doc_id, row.zh_ids, row.en_ids)
                continue
            decisions[k] = (DUPLICATE, first_occurrence_reason(*first))
            if example is None:
                example = {"doc_id": row.doc_id, "zh_ids": list(row.zh_ids), "en_ids": list(row.en_ids),
                           "zh": row.zh, "en": row.en, "first": {"doc_id": first[0], "zh_ids": list(first[1]),
                                                                 "en_ids": list(first[2])}}
        if decisions:
            counts[res.doc_id] = len(decisions)
        out.append(take_out_rows(res, decisions))
    return out, DuplicateStats(counts, example)
