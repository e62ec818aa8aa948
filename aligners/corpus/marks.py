"""Taking pairs out of a document's result, with the status and reason of their segments."""
from __future__ import annotations

import dataclasses

from aligners.types import DocumentResult


def take_out_rows(result: DocumentResult, decisions: dict[int, tuple[str, str]]) -> DocumentResult:
    """``result`` without the rows whose index is in ``decisions``; the segments of each
    such row get the row's (status, reason), and its bead the status (the reason, which
    names a filter's score or a first occurrence, stays with the segments, so the
    report counts beads by status). Scores stay as recorded."""
    if not decisions:
        return result
    marks = {}
    for k, (status, reason) in decisions.items():
        row = result.rows[k]
        for seg_id in row.zh_ids + row.en_ids:
            marks[seg_id] = (status, reason)
    segments = tuple(dataclasses.replace(s, status=marks[s.seg_id][0], reason=marks[s.seg_id][1])
                     if s.seg_id in marks else s for s in result.segments)
    bead_status = {(result.rows[k].zh_ids, result.rows[k].en_ids): status for k, (status, _) in decisions.items()}
    beads = tuple(dataclasses.replace(b, status=bead_status[(b.zh, b.en)], reason="")
                  if (b.zh, b.en) in bead_status else b for b in result.beads)
    rows = tuple(r for k, r in enumerate(result.rows) if k not in decisions)
    return dataclasses.replace(result, segments=segments, rows=rows, beads=beads)


def ids_text(ids) -> str:
    return ",".join(str(i) for i in ids)
