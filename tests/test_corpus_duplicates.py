"""Duplicates: each pair written once, every copy accounted for, in document order."""
from aligners.corpus.curate import curate
from aligners.corpus.duplicates import mark_duplicates
from aligners.types import DUPLICATE, FILTERED, PAIRED, AlignedBead, DocumentResult, Row, Segment


def result(doc_id: str, pairs: list[tuple[str, str]]) -> DocumentResult:
    """A document whose i-th pair holds segments 2i (zh) and 2i+1 (en)."""
    segs, rows = [], []
    for i, (zh, en) in enumerate(pairs):
        segs += [Segment(doc_id, 2 * i, "zh", zh, status=PAIRED),
                 Segment(doc_id, 2 * i + 1, "en", en, source=1, status=PAIRED)]
        rows.append(Row(doc_id, zh, en, 0.9, (2 * i,), (2 * i + 1,)))
    beads = tuple(AlignedBead((2 * i,), (2 * i + 1,), 0.9, PAIRED) for i in range(len(pairs)))
    return DocumentResult(doc_id, "pair", (), tuple(segs), tuple(rows), beads=beads)


PAIRS = [("他来了。", "He came."), ("她走了。", "She left."), ("天黑了。", "It got dark.")]


def test_a_copy_under_another_name_and_a_repeating_document():
    results = [result("a", PAIRS),
               result("b", [("他来了.", "he came."), ("她走了。", "She  left.")]),  # a copy, punctuation/case/space folded
               result("c", [("下雨了。", "It rained."), ("下雨了。", "It rained."), ("天黑了。", "It got dark!")])]
    out, stats = mark_duplicates(results)
    written = [(r.doc_id, r.zh) for res in out for r in res.rows]
    assert written == [("a", "他来了。"), ("a", "她走了。"), ("a", "天黑了。"), ("c", "下雨了。"), ("c", "天黑了。")]
    assert stats.per_document == {"b": 2, "c": 1}
    b = {s.seg_id: s for s in out[1].segments}
    assert {s.status for s in b.values()} == {DUPLICATE}
    assert b[2].reason == "same pair as a zh 2 en 3"
    c = {s.seg_id: s for s in out[2].segments}
    assert c[2].status == DUPLICATE and c[2].reason == "same pair as c zh 0 en 1"
    assert c[0].status == PAIRED and c[4].status == PAIRED  # "!" is not a variant of "."
    # the beads say the same, so report.html does not draw a copy as a pair
    assert [b.status for b in out[1].beads] == [DUPLICATE, DUPLICATE]
    assert [b.status for b in out[2].beads] == [PAIRED, DUPLICATE, PAIRED]
    # every segment of every input is still there, with a status
    assert sum(len(res.segments) for res in out) == sum(len(res.segments) for res in results)


def test_the_first_occurrence_depends_only_on_document_order():
    a, b = result("a", PAIRS[:1]), result("b", PAIRS[:1])
    first, _ = mark_duplicates([a, b])
    second, _ = mark_duplicates([b, a])
    assert [len(r.rows) for r in first] == [1, 0] and [len(r.rows) for r in second] == [1, 0]
    assert second[1].segments[0].reason == "same pair as b zh 0 en 1"


def test_filters_run_before_duplicates():
    copy = ("He came.", "He came.")  # untranslated: filtered in both documents, never a "first occurrence"
    out, stats = curate([result("a", [copy, PAIRS[0]]), result("b", [copy])])
    assert [s.status for s in out[1].segments] == [FILTERED, FILTERED]
    assert out[1].segments[0].reason.startswith("untranslated 1.00")
    assert stats.filters.counts["untranslated"] == 2 and stats.duplicates.total == 0
    section = stats.to_dict()
    assert section["filters"]["untranslated"]["example"]["doc_id"] == "a"
    assert section["per_document"] == {"a": {"filtered": 1, "duplicates": 0}, "b": {"filtered": 1, "duplicates": 0}}
