"""Exports read back by independent readers: translate-toolkit's TMX reader, lxml,
pandas and pyarrow, and plain line splitting for Moses."""
import json

import pytest

from aligners.corpus.export import FORMATS, export_run, read_corpus, write_exports, write_format
from aligners.io.tsv import CORPUS_COLUMNS, atomic_write_text, tsv_lines
from aligners.types import Row

# texts that break careless writers: XML specials, quotes, a line separator, a control character
ROWS = [
    Row("doc a", "他说：“<b>是 & 否</b>”。", 'He said: "<b>yes & no</b>".', 0.9123, (0,), (3,)),
    Row("doc a", "第二句\u2028续。", "Second\u2028sentence, and\x01more.", 0.5, (1, 2), (4,)),
    Row("b/c", "三。", "Three.", 1.0, (0,), (1, 2)),
]
PROVENANCE = {"signature": "bitextflow:0.1.0|config:abc", "config_signature": "abc"}


def test_tmx_read_by_translate_toolkit(tmp_path):
    tmx = pytest.importorskip("translate.storage.tmx")
    path = tmp_path / "c.tmx"
    write_format("tmx", ROWS, str(path), PROVENANCE)
    store = tmx.tmxfile.parsefile(str(path))
    units = [u for u in store.units if not u.isheader()]
    assert len(units) == len(ROWS)
    for unit, row in zip(units, ROWS):
        zh = unit.getNodeText(unit.getlanguageNode("zh-CN"))
        en = unit.getNodeText(unit.getlanguageNode("en"))
        assert (zh, en.replace("\ufffd", "\x01")) == (row.zh, row.en)


def test_tmx_header_and_props_by_lxml(tmp_path):
    etree = pytest.importorskip("lxml.etree")
    path = tmp_path / "c.tmx"
    write_format("tmx", ROWS, str(path), PROVENANCE)
    root = etree.parse(str(path)).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.get(attr), attr
    assert (header.get("segtype"), header.get("datatype"), header.get("srclang")) == ("sentence", "plaintext", "zh-CN")
    assert header.find("prop[@type='x-signature']").text == PROVENANCE["signature"]
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    tus = root.findall("body/tu")
    assert len(tus) == len(ROWS)
    for tu, row in zip(tus, ROWS):
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        assert props == {"x-doc-id": row.doc_id, "x-score": f"{row.score:.4f}",
                         "x-zh-ids": ",".join(map(str, row.zh_ids)), "x-en-ids": ",".join(map(str, row.en_ids))}
        children = [c.tag for c in tu]
        assert children.index("tuv") > max(i for i, t in enumerate(children) if t == "prop")  # props first
        assert [t.get(xml_lang) for t in tu.findall("tuv")] == ["zh-CN", "en"]
        assert tu.find("tuv/seg").text == row.zh


def test_moses_lines_stay_parallel(tmp_path):
    paths = write_format("moses", ROWS, str(tmp_path / "c"), PROVENANCE)
    zh, en, sidecar = (open(p, encoding="utf-8").read() for p in paths)
    assert len(zh.splitlines()) == len(en.splitlines()) == len(ROWS)
    assert zh.splitlines()[1] == "第二句 续。"  # the line separator became a space
    assert json.loads(sidecar)["provenance"] == PROVENANCE and json.loads(sidecar)["lines"] == len(ROWS)


def test_jsonl_and_parquet_read_by_pandas_and_pyarrow(tmp_path):
    pd = pytest.importorskip("pandas")
    pq = pytest.importorskip("pyarrow.parquet")
    write_exports(ROWS, str(tmp_path), ["jsonl", "parquet"], PROVENANCE)
    frames = [pd.read_json(tmp_path / "corpus.jsonl", lines=True), pd.read_parquet(tmp_path / "corpus.parquet")]
    for df in frames:
        assert len(df) == len(ROWS)
        assert [t["zh"] for t in df["translation"]] == [r.zh for r in ROWS]
        assert [t["en"] for t in df["translation"]] == [r.en for r in ROWS]
        assert list(df["score"]) == [r.score for r in ROWS] and list(df["doc_id"]) == [r.doc_id for r in ROWS]
        assert [tuple(x) for x in df["en_ids"]] == [r.en_ids for r in ROWS]
    meta = pq.read_schema(tmp_path / "corpus.parquet").metadata
    assert json.loads(meta[b"bitextflow"]) == PROVENANCE


def test_exports_are_byte_identical_across_writes(tmp_path):
    formats = list(FORMATS)
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for folder in (a, b):
        write_exports(ROWS, str(folder), formats, PROVENANCE)
    for names in FORMATS.values():
        for name in names:
            assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_export_run_reads_corpus_tsv_and_applies_min_score(tmp_path):
    run = tmp_path / "runs" / "r1"
    run.mkdir(parents=True)
    (tmp_path / "latest").symlink_to("runs/r1")
    records = [(r.doc_id, r.zh, r.en, r.score, r.zh_ids, r.en_ids) for r in ROWS]
    atomic_write_text(str(run / "corpus.tsv"), tsv_lines(CORPUS_COLUMNS, records))
    (run / "report.json").write_text(json.dumps({"provenance": PROVENANCE}), encoding="utf-8")
    read = read_corpus(str(run / "corpus.tsv"))
    assert [(r.doc_id, r.score, r.zh_ids, r.en_ids) for r in read] == [(r.doc_id, r.score, r.zh_ids, r.en_ids)
                                                                       for r in ROWS]
    paths, n = export_run(str(tmp_path), "jsonl", str(tmp_path / "x.jsonl"), min_score=0.9)
    lines = [json.loads(x) for x in open(paths[0], encoding="utf-8")]
    assert n == 2 and [x["score"] for x in lines] == [0.9123, 1.0]


def test_cli_export_and_format_errors(tmp_path, capsys):
    from flows.cli import EXIT_NO_INPUT, EXIT_USAGE, CliError, _formats, load_config, main

    assert main(["export", str(tmp_path / "none"), "--format", "tmx", "--to", str(tmp_path / "x.tmx")]) == EXIT_NO_INPUT
    assert "no corpus" in capsys.readouterr().err
    assert _formats("tmx, moses,,parquet") == ["tmx", "moses", "parquet"]
    with pytest.raises(CliError) as err:
        load_config(None, **{"output.formats": _formats("tmx,docx")})
    assert err.value.code == EXIT_USAGE and "formats" in str(err.value)
    # a folder whose corpus.tsv is not one: a clear error, no traceback
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "corpus.tsv").write_text("a\tb\n", encoding="utf-8")
    assert main(["export", str(tmp_path / "bad"), "--format", "jsonl", "--to", str(tmp_path / "y.jsonl")]) == EXIT_NO_INPUT
    assert not (tmp_path / "y.jsonl").exists()
