"""Hand-made DocumentResults for the report and output tests: segments marked with their bead."""
from aligners.types import PAIRED, AlignedBead, Decoded, DocumentResult, Segment


def seg(doc, i, lang, text, status="paired", reason="", source=0, rules=(), raw="", bead=-1, score=None):
    """A segment and the number of the bead holding it (-1: none), with that bead's score."""
    return Segment(doc, i, lang, text, raw=raw or text, source=source, status=status, reason=reason,
                   rules=rules), bead, score


def document(doc_id, kind, sources, marked, rows=(), threshold=0.3) -> DocumentResult:
    """A DocumentResult whose beads are gathered from ``marked`` (what ``seg`` returns):
    each bead takes the status and reason of its segments."""
    members: dict[int, list] = {}
    for s, k, score in marked:
        if k >= 0:
            members.setdefault(k, []).append((s, score))
    beads = []
    for k in sorted(members):
        segs = [s for s, _ in members[k]]
        beads.append(AlignedBead(tuple(s.seg_id for s in segs if s.lang == "zh"),
                                 tuple(s.seg_id for s in segs if s.lang == "en"), members[k][0][1],
                                 segs[0].status, segs[0].reason if segs[0].status != PAIRED else "", threshold))
    return DocumentResult(doc_id, kind, tuple(sources), tuple(s for s, _, _ in marked), tuple(rows), tuple(beads))


__all__ = ["Decoded", "document", "seg"]
