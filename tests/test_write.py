import csv
import os

import pandas as pd

from aligners.io import runs
from aligners.types import Decoded, DocumentResult, Row, Segment
from aligners.io.tsv import CORPUS_COLUMNS, SEGMENT_COLUMNS, atomic_write_text, tsv_field, write_tables

NASTY = 'tab\there, newline\nthere, CR\r, LS\u2028, "quotes", back\\slash, NA'


def result():
    segs = (
        Segment("d\t1", 0, "zh", "你好。", status="paired"),
        Segment("d\t1", 1, "en", NASTY, status="paired"),
        Segment("d\t1", 2, "en", "Alone.", status="unpaired", reason="no counterpart found by the aligner",
                flags=("a", "b"), rules=("r1",)),
    )
    rows = (Row("d\t1", "你好。", NASTY, 0.87654, (0,), (1,)),)
    sources = (Decoded("x.txt", "", "utf-8"), Decoded("y.txt", "", "", error="binary file (PDF)"))
    return DocumentResult("d\t1", "pair", sources, segs, rows)


def test_fields_never_hold_separators():
    field = tsv_field(NASTY)
    assert not any(c in field for c in "\t\r\n\u2028")
    assert tsv_field((1, 2, 3)) == "1,2,3"
    assert tsv_field(0.5) == "0.5000"


def test_tables_round_trip_through_pandas_and_csv(tmp_path):
    paths = write_tables([result()], str(tmp_path))
    df = pd.read_csv(paths["corpus"], sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False, dtype=str)
    assert list(df.columns) == list(CORPUS_COLUMNS)
    assert len(df) == 1
    assert df.loc[0, "en"] == tsv_field(NASTY)
    assert df.loc[0, "score"] == "0.8765"
    with open(paths["corpus"], encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[1][CORPUS_COLUMNS.index("en")] == tsv_field(NASTY)
    assert all(len(r) == len(CORPUS_COLUMNS) for r in rows)

    seg = pd.read_csv(paths["segments"], sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False, dtype=str)
    assert list(seg.columns) == list(SEGMENT_COLUMNS)
    # 3 segments + 1 line for the rejected file
    assert len(seg) == 4
    rejected = seg[seg.seg_id == "-1"].iloc[0]
    assert rejected.status == "dropped" and rejected.reason == "file rejected: binary file (PDF)"
    assert seg[seg.seg_id == "2"].iloc[0]["flags"] == "a,b"


def test_atomic_write_leaves_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "corpus.tsv"
    target.write_text("old\n")

    def lines():
        yield "new line\n"
        raise RuntimeError("crash in the middle")

    try:
        atomic_write_text(str(target), lines())
    except RuntimeError:
        pass
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["corpus.tsv"]  # no temporary left behind


def test_runs_publish_switches_latest_and_prune_keeps_newest(tmp_path):
    out = str(tmp_path)
    ids = []
    for n in range(3):
        run_id, run_dir = runs.new_run_dir(out)
        atomic_write_text(os.path.join(run_dir, "corpus.tsv"), [f"run {n}\n"])
        runs.publish(out, run_id)
        ids.append(run_id)
    assert len(set(ids)) == 3
    assert runs.latest_run(out) == ids[-1]
    assert (tmp_path / "latest" / "corpus.tsv").read_text() == "run 2\n"
    assert (tmp_path / "corpus.tsv").read_text() == "run 2\n"
    assert runs.prune(out, keep=1) == ids[:2]
    assert runs.list_runs(out) == [ids[-1]]
    assert (tmp_path / "corpus.tsv").read_text() == "run 2\n"


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_FIELD = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_FIELD, _FIELD, _FIELD), min_size=1, max_size=5))
def test_any_text_round_trips_through_pandas_and_csv(tmp_path, rows):
    """Whatever the text, each field comes back as written (its separators folded to
    spaces), through both readers, with every row the same width."""
    segs = tuple(Segment(doc, i, "en", text, status="unpaired") for i, (doc, _, text) in enumerate(rows))
    res_rows = tuple(Row(doc, zh, en, 0.5, (i,), (i,)) for i, (doc, zh, en) in enumerate(rows))
    paths = write_tables([DocumentResult("d", "pair", (), segs, res_rows)], str(tmp_path))
    expected = [[tsv_field(v) for v in (doc, zh, en)] for doc, zh, en in rows]
    with open(paths["corpus"], encoding="utf-8", newline="") as fh:
        got = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert all(len(r) == len(CORPUS_COLUMNS) for r in got)
    assert [r[:3] for r in got[1:]] == expected
    for f in expected:
        assert not any(c in "".join(f) for c in "\t\r\n")
    df = pd.read_csv(paths["corpus"], sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False, dtype=str)
    assert df[["doc_id", "zh", "en"]].values.tolist() == expected
    seg = pd.read_csv(paths["segments"], sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False, dtype=str)
    assert seg["text"].tolist() == [tsv_field(t) for _, _, t in rows]


def test_field_separators_are_replaced_in_otherwise_printable_text():
    # tsv_field skips the replacement for printable text: every separator must be unprintable
    for sep in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029":
        assert tsv_field(f"a{sep}{sep}b") == "a b"
    assert tsv_field("plain 中文 text") == "plain 中文 text"
    assert tsv_field("no\u00a0break") == "no\u00a0break"  # unprintable, but not a separator
