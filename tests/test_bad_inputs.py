"""A corpus of bad inputs, generated here: every file is processed or listed with its reason.

The library path (no Prefect) checks the accounting invariant file by file; the
flow path checks that one run over the whole corpus completes and reports
everything.
"""
import codecs
import csv
import json
import os
import random

import pandas as pd
import pytest

from aligners.io.inputs import discover, read_document
from aligners.pipeline import prepare_document, process_document
from aligners.types import DROPPED

ZH = "清晨六点，雾气还没有散开，李秀梅已经走进了茶园。她在这片山坡上采茶已经二十多年了。\n\n去年，村里的茶叶卖到了每斤三百元。\n"
EN = ("At six in the morning, before the mist had lifted, Li Xiumei was already walking into the tea garden. "
      "She has been picking tea on this hillside for more than twenty years.\n\n"
      "Last year the village's tea sold for 300 yuan a jin.\n")
TRAD = "清晨六點，霧氣還沒有散開，李秀梅已經走進了茶園。她在這片山坡上採茶已經二十多年了。\n"
GIANT_WORDS = "the tea garden village mist morning basket hillside picking years rain spring buds".split()


def bad_corpus(folder):
    """Write one file per kind of bad input; returns {file name: what should happen}."""
    rng = random.Random(7)
    files = {
        "gb18030.zh.txt": ZH.encode("gb18030"), "gb18030.en.txt": EN.encode("ascii"),
        "big5.txt": TRAD.encode("big5"),
        "utf16bom.zh.txt": ZH.encode("utf-16"), "utf16bom.en.txt": EN.encode("utf-16"),
        "utf16le.txt": (ZH + EN).encode("utf-16-le"),
        "utf16be_zh.txt": ZH.encode("utf-16-be"),
        "utf8bom.txt": codecs.BOM_UTF8 + (ZH + EN).encode("utf-8"),
        "invalid_utf8.txt": EN.encode() + b"\xff\xfe broken \xc3(" + EN.encode(),
        "crlf.zh.txt": ZH.replace("\n", "\r\n").encode(), "crlf.en.txt": EN.replace("\n", "\r\n").encode(),
        "report.pdf.txt": b"%PDF-1.5\n%\xb5\xb5\xb5\xb5\n1 0 obj\n<<>>\nendobj\n" + bytes(range(256)),
        "image.txt": b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(500)),
        "nul.txt": b"text\x00with\x00nul\x00bytes" * 20,
        "empty.txt": b"",
        "blank.txt": b" \n\t\n   \n",
        # ~270 kB without a line break (2.5 MB cost 2.9 s of CPU in each test that reads it; 0.4 MB,
        # ~1 s): the flow still computes in worker processes, from aligners.workers.MIN_POOL_BYTES
        # = 250 kB (checked in the flow's test)
        "giant.txt": " ".join(rng.choice(GIANT_WORDS) for _ in range(42_000)).encode(),
        "lonely.zh.txt": ZH.encode(),
        "swapped.zh.txt": EN.encode(), "swapped.en.txt": ZH.encode(),
        "traditional.txt": (TRAD * 3).encode(),
        "tab\tand\nnewline.txt": EN.encode(),
        "esc\x1b[31mred.txt": EN.encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with open(os.path.join(os.fsencode(folder), b"latin1-\xe9.txt"), "wb") as fh:  # not UTF-8 as a file name
        fh.write(EN.encode())
    os.symlink("loop_b.txt", folder / "loop_a.txt")
    os.symlink("loop_a.txt", folder / "loop_b.txt")
    os.symlink(".", folder / "again")  # a folder link back to itself
    (folder / "notes.odt").write_bytes(b"PK\x03\x04zip")  # a format no reader knows
    (folder / "truncated.docx").write_bytes(b"PK\x03\x04zip")
    return files


def non_space(text):
    return "".join(text.split())


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    bad_corpus(folder)
    return folder


def test_library_accounts_for_every_character_of_every_file(corpus):
    specs, skipped = discover([str(corpus)])
    assert {os.path.basename(s.path) for s in skipped} >= {"loop_a.txt", "loop_b.txt", "again", "notes.odt"}
    seen_kinds = set()
    for spec in specs:
        doc = read_document(spec)
        result = process_document(doc)
        prepared = prepare_document(doc)  # the text segmentation saw (after optional conversions)
        for i, src in enumerate(prepared.sources):
            if src.error:
                seen_kinds.add(src.error.split(" (")[0])
                assert not any(s.source == i for s in result.segments)
                continue
            raw = "".join(s.raw for s in result.segments if s.source == i)
            assert non_space(raw) == non_space(src.text), f"{spec.doc_id}: text lost or altered"
            for s in result.segments:
                assert s.status in ("paired", "unpaired", "dropped")
                assert s.status != DROPPED or s.reason
    assert seen_kinds == {"binary file", "empty file", "only whitespace", "damaged or truncated DOCX file"}


def test_decoding_of_each_encoding(corpus):
    specs, _ = discover([str(corpus)])
    by_id = {s.doc_id: read_document(s) for s in specs}
    assert by_id["gb18030"].sources[0].encoding == "gb18030"
    assert by_id["big5"].sources[0].encoding == "big5"
    assert by_id["utf16bom"].sources[0].encoding == "utf-16"
    assert by_id["utf16le"].sources[0].encoding == "utf-16-le"
    assert by_id["utf16be_zh"].sources[0].encoding == "utf-16-be"
    assert by_id["utf8bom"].sources[0].encoding == "utf-8-sig"
    for doc_id in ("gb18030", "utf16bom", "crlf"):
        assert by_id[doc_id].sources[0].text == ZH, doc_id
    assert by_id["invalid_utf8"].sources[0].replaced == 3
    assert by_id["report.pdf"].sources[0].error == "binary file (PDF)"
    assert by_id["image"].sources[0].error == "binary file (PNG)"
    assert by_id["nul"].sources[0].error == "binary file (contains NUL bytes)"
    assert "tab\\u0009and\\u000anewline" in by_id
    assert "esc\\u001b[31mred" in by_id
    assert "latin1-\ufffd" in by_id


def test_flow_over_the_bad_corpus_completes_and_lists_every_file(prefect_harness, corpus, tmp_path):
    from aligners.workers import MIN_POOL_BYTES, input_bytes
    from flows.pipeline import run

    assert input_bytes([str(corpus / "giant.txt")]) > MIN_POOL_BYTES  # so the run computes in worker processes
    out = tmp_path / "out"
    written = run([str(corpus)], str(out))
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    docs = {d["doc_id"]: d for d in rep["per_document"]}
    rejected = {r["doc_id"]: r["reason"] for r in rep["files_rejected"]}
    assert rejected == {"report.pdf": "binary file (PDF)", "image": "binary file (PNG)",
                        "nul": "binary file (contains NUL bytes)", "empty": "empty file", "blank": "only whitespace",
                        "truncated": "damaged or truncated DOCX file (File is not a zip file)"}
    skipped = {os.path.basename(s["path"]): s["reason"] for s in rep["inputs_skipped"]}
    assert skipped["loop_a.txt"] == "symlink loop" and skipped["notes.odt"].startswith("not a supported file type")
    # pairs in unusual encodings and line ends still align (the same text in each: all but the
    # first document's pairs are written once, and counted as duplicates)
    copies = rep["corpus"]["per_document"]
    for doc_id in ("gb18030", "utf16bom", "crlf", "swapped"):
        assert docs[doc_id]["pairs"] + copies.get(doc_id, {}).get("duplicates", 0) >= 2, doc_id
    assert any("sides swapped" in n for n in docs["swapped"]["notes"])
    assert any("Traditional Chinese" in n for s in docs["traditional"]["sources"] for n in s["notes"])
    assert any("not found" in n for s in docs["lonely"]["sources"] for n in s["notes"])
    assert docs["giant"]["unpaired"] > 0

    segments = pd.read_csv(out / "segments.tsv", sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False, dtype=str)
    assert set(segments.doc_id) == set(docs)  # every document, rejected ones included, has lines
    with open(out / "corpus.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert all(len(r) == len(rows[0]) for r in rows)
    assert written.report["documents"] == len(docs)
