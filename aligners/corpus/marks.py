"""Taking pairs out of a document's result, with the status and reason of their segments."""
from __future__ import annotations

import dataclasses

from aligners.types import DocumentResult


def take_out_rows(result: DocumentResult, decisions: dict[int, tuple[str, str]]) -> DocumentResult:
    """``result`` without the rows whose index is in ``decisions``; the segments of each
    such row get the row's (status, reason). Beads and scores stay as recorded."""
    if not decisions:
        return result
    marks = {}
    for k, (status, reason) in decisions.items():
        row = result.rows[k]
        for seg_id in row.zh_ids + row.en_ids:
            marks[seg_id] = (status, reason)
    segments = tuple(dataclasses.replace(s, status=marks[s.seg_id][0], reason=marks[s.seg_id][1])
                     if s.seg_id in marks else s for s in result.segments)
    rows = tuple(r for k, r in enumerate(result.rows) if k not in decisions)
    return dataclasses.replace(result, segments=segments, rows=rows)


def ids_text(ids) -> str:
    return ",".join(str(i) for i in ids)
