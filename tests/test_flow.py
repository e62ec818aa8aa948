"""The Prefect flow end to end, under the test harness, on small fixtures: one run and its rerun."""
import csv
import os

import pandas as pd
import pytest

ZH = """  山里的茶园

  清晨六点,雾气还没有散开,李秀梅已经背着竹篓走进了茶园。她在这片山坡上采茶已经二十多年了。

  去年,村里的茶叶卖到了每斤三百元,比五年前翻了一番。
"""
EN = """  The Tea Garden in the Mountains

  At six in the morning, before the mist had lifted, Li Xiumei was already walking into the tea garden. She has been picking tea on this hillside for more than twenty years.

  Last year the village's tea sold for 300 yuan a jin, double the price of five years ago.
"""


def read_tsv(path):
    return pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False, dtype=str)


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "tea.zh.txt").write_text(ZH, encoding="utf-8")
    (folder / "tea.en.txt").write_text(EN, encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"%PDF-1.4\n\x00\x01binary")
    return folder


def run(inputs, out):
    from flows.pipeline import run_flow

    return run_flow([str(inputs)], str(out))


def test_flow_writes_corpus_segments_and_reports_and_a_rerun_is_cached_and_byte_identical(
        prefect_harness, inputs, tmp_path):
    out = tmp_path / "out"
    written = run(inputs, out)
    for name in ("corpus.tsv", "segments.tsv", "report.json", "report.md", "report.html"):
        assert (out / name).is_file() and (out / "latest" / name).is_file()
    corpus = read_tsv(out / "corpus.tsv")
    assert set(corpus.doc_id) == {"tea"}
    # each Chinese paragraph pairs with its English translation
    assert any("三百元" in z and "300 yuan" in e for z, e in zip(corpus.zh, corpus.en))
    assert any("李秀梅" in z and "Li Xiumei" in e for z, e in zip(corpus.zh, corpus.en))
    segments = read_tsv(out / "segments.tsv")
    rejected = segments[segments.doc_id == "broken"]
    assert list(rejected.reason) == ["file rejected: binary file (PDF)"]
    assert set(segments.status) <= {"paired", "unpaired", "dropped"}
    assert written.report["files_rejected"][0]["reason"] == "binary file (PDF)"

    # the same inputs again: everything from the cache, the same bytes, a run folder of its own
    corpus1 = (out / "corpus.tsv").read_bytes()
    segments1 = (out / "segments.tsv").read_bytes()
    second = run(inputs, out)
    assert written.from_cache == {"segment": 0, "align": 0}
    assert second.from_cache == {"segment": 2, "align": 2}  # the pair and the rejected PDF
    assert written.run_id != second.run_id
    assert (out / "corpus.tsv").read_bytes() == corpus1
    assert (out / "segments.tsv").read_bytes() == segments1
    assert len(os.listdir(out / "runs")) == 2
