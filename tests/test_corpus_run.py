"""The corpus pass in a run: duplicates across and within documents, exports that
agree with corpus.tsv pair for pair, and ``bitextflow export``."""
import csv
import json

import pandas as pd
import pytest

from aligners.corpus.canonical import pair_key
from aligners.corpus.finish import finish_corpus
from aligners.io.inputs import discover, read_document
from aligners.io.tsv import write_tables
from aligners.pipeline import process_document

TEA_ZH = ("山里的茶园\n\n清晨六点，雾气还没有散开，李秀梅已经背着竹篓走进了茶园。她在这片山坡上采茶已经二十多年了。\n\n"
          "去年，村里的茶叶卖到了每斤三百元，比五年前翻了一番。\n")
TEA_EN = ("The Tea Garden in the Mountains\n\nAt six in the morning, before the mist had lifted, Li Xiumei was already "
          "walking into the tea garden. She has been picking tea on this hillside for more than twenty years.\n\n"
          "Last year the village's tea sold for 300 yuan a jin, double the price of five years ago.\n")
STORY_ZH = "老王每天早上去河边钓鱼。他总是坐在那棵大柳树下面。傍晚他提着空桶回家。"
STORY_EN = ("Old Wang goes fishing by the river every morning. He always sits under the big willow tree. "
            "In the evening he walks home with an empty bucket.")


@pytest.fixture
def folder(tmp_path):
    """A document pair, a copy of it under another name, and a document that repeats its own sentences."""
    d = tmp_path / "in"
    d.mkdir()
    for name, zh, en in (("a_tea", TEA_ZH, TEA_EN), ("b_copy", TEA_ZH, TEA_EN),
                         ("c_repeat", f"{STORY_ZH}\n\n{STORY_ZH}\n", f"{STORY_EN}\n\n{STORY_EN}\n")):
        (d / f"{name}.zh.txt").write_text(zh, encoding="utf-8")
        (d / f"{name}.en.txt").write_text(en, encoding="utf-8")
    return d


def read_tsv(path):
    return pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False, dtype=str)


def test_each_pair_once_and_every_copy_accounted_for(folder, tmp_path):
    specs, _ = discover([str(folder)])
    aligned = [process_document(read_document(s)) for s in specs]
    done = finish_corpus(aligned)
    write_tables(done.results, str(tmp_path))
    corpus, segments = read_tsv(tmp_path / "corpus.tsv"), read_tsv(tmp_path / "segments.tsv")

    keys = [pair_key(z, e) for z, e in zip(corpus.zh, corpus.en)]
    assert len(keys) == len(set(keys)) > 0  # each pair once
    assert "b_copy" not in set(corpus.doc_id)
    aligned_rows = {(r.doc_id, r.zh_ids, r.en_ids) for res in aligned for r in res.rows}
    written = {(d, tuple(map(int, z.split(","))), tuple(map(int, e.split(","))))
               for d, z, e in zip(corpus.doc_id, corpus.zh_ids, corpus.en_ids)}
    dup = segments[segments.status == "duplicate"]
    # every aligned pair is written or accounted for: all its segments are duplicates
    missing = aligned_rows - written
    assert missing
    for doc_id, zh_ids, en_ids in missing:
        rows = dup[(dup.doc_id == doc_id) & dup.seg_id.isin([str(i) for i in zh_ids + en_ids])]
        assert len(rows) == len(zh_ids) + len(en_ids)
    # the reason names the first occurrence, which is in the corpus with the same texts
    by_place = {(d, z, e): pair_key(zh, en) for d, z, e, zh, en in
                zip(corpus.doc_id, corpus.zh_ids, corpus.en_ids, corpus.zh, corpus.en)}
    for reason in set(dup.reason):
        _, _, _, doc_id, _, zh_ids, _, en_ids = reason.split(" ")
        assert (doc_id, zh_ids, en_ids) in by_place
    assert set(dup[dup.doc_id == "b_copy"].reason.str.split(" ").str[3]) == {"a_tea"}
    assert set(dup[dup.doc_id == "c_repeat"].reason.str.split(" ").str[3]) == {"c_repeat"}  # within one document
    per_doc = done.section["per_document"]
    assert per_doc["b_copy"]["duplicates"] == sum(len(r.rows) for r in aligned if r.doc_id == "a_tea")
    assert per_doc["c_repeat"]["duplicates"] >= 1
    assert done.section["duplicates"] == len(missing)


def _tsv_pairs(path):
    corpus = read_tsv(path)
    return [(d, z, e, float(s), zi, ei) for d, z, e, s, zi, ei in
            zip(corpus.doc_id, corpus.zh, corpus.en, corpus.score, corpus.zh_ids, corpus.en_ids)]


def _ids(xs):
    return ",".join(str(int(x)) for x in xs)


@pytest.mark.slow
def test_run_with_formats_and_export_agree_with_corpus_tsv(prefect_harness, folder, tmp_path):
    from translate.storage.tmx import tmxfile

    from flows.cli import build_parser, cmd_run, main

    def run(*argv):  # in this process, under the test harness (main would start a supervised child)
        return cmd_run(build_parser().parse_args(["run", *argv]))

    out = tmp_path / "out"
    assert run(str(folder), "--out", str(out), "--format", "tmx,moses,jsonl,parquet", "--quiet") == 0
    expected = _tsv_pairs(out / "corpus.tsv")
    assert expected
    units = [u for u in tmxfile.parsefile(str(out / "corpus.tmx")).units if not u.isheader()]
    assert [(u.getNodeText(u.getlanguageNode("zh-CN")), u.getNodeText(u.getlanguageNode("en"))) for u in units] == \
        [(z, e) for _, z, e, *_ in expected]
    zh = (out / "corpus.zh").read_text(encoding="utf-8").splitlines()
    en = (out / "corpus.en").read_text(encoding="utf-8").splitlines()
    assert list(zip(zh, en)) == [(z, e) for _, z, e, *_ in expected]
    for df in (pd.read_json(out / "corpus.jsonl", lines=True, precise_float=True), pd.read_parquet(out / "corpus.parquet")):
        got = [(d, t["zh"], t["en"], s, _ids(zi), _ids(ei)) for d, t, s, zi, ei in
               zip(df.doc_id, df.translation, df.score, df.zh_ids, df.en_ids)]
        assert got == expected
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["provenance"]["signature"].startswith("bitextflow:")
    assert report["corpus"]["duplicates"] > 0 and "## Duplicates and filters" in (out / "report.md").read_text()

    # export from the finished run: the same bytes as the run's own file, and --min-score applied
    assert main(["export", str(out), "--format", "tmx", "--to", str(tmp_path / "x.tmx")]) == 0
    assert (tmp_path / "x.tmx").read_bytes() == (out / "corpus.tmx").read_bytes()
    threshold = sorted(p[3] for p in expected)[len(expected) // 2]
    assert main(["export", str(out), "--format", "moses", "--to", str(tmp_path / "m"), "--min-score",
                 str(threshold)]) == 0
    kept = [(z, e) for _, z, e, s, *_ in expected if s >= threshold]
    assert list(zip((tmp_path / "m.zh").read_text(encoding="utf-8").splitlines(),
                    (tmp_path / "m.en").read_text(encoding="utf-8").splitlines())) == kept

    # a rerun without exports leaves no stale export at the top level
    assert run(str(folder), "--out", str(out), "--quiet") == 0
    assert not (out / "corpus.tmx").exists() and (out / "corpus.tsv").exists()


def test_the_corpus_pass_measured_while_aligning_decides_as_the_pass_at_the_end(folder):
    from aligners.config import Config
    from aligners.corpus import screen
    from aligners.corpus.filters import build_filters

    # filters that fire: a measured one (length) and one fitted on the corpus (length_ratio)
    config = Config.from_dict({"filter": {"max_en_chars": 60, "length_ratio_max_z": 0.5}})
    specs, _ = discover([str(folder)])
    aligned = [process_document(read_document(s)) for s in specs]
    filters = build_filters(config.filter)
    assert [screen.fits_on_corpus(f) for f in filters].count(True) == 1
    measured = [screen.measure(filters, res) for res in aligned]
    measured[1] = None  # a document without measurements is scored at the end
    at_end, early = finish_corpus(aligned, config), finish_corpus(aligned, config, measured)
    assert early.results == at_end.results and early.section == at_end.section
    reasons = {part.split(" ")[0] for res in at_end.results for s in res.segments if s.status == "filtered"
               for part in s.reason.split("; ")}
    assert {"length", "length_ratio"} <= reasons
    assert early.section["duplicates"] > 0
