"""What each input format costs: the same documents as .txt and as every other format.

MAC-Dev chapters (raw/) and news-dev documents (raw/) are converted to HTML (with
navigation, cookie banner, footer, scripts), Markdown (front matter, a code block,
a table, links), DOCX (running header and footer, a heading), EPUB (two chapters
and a navigation document), PDF (running header, page numbers, lines wrapped and
hyphenated), SRT and WebVTT (cues, English sentences cut in two) by the fixture
writers of tests/format_fixtures.py, from the same paragraphs and sentences as
the .txt version. Each is read by its reader and goes through the whole document
path (process_document); output segments are located in the gold sentences
(as bench/e2e_macdev.py does) and scored with strict F1 against gold. Printed per
format and data set: strict F1, its difference from the .txt run (what the reader
costs), the share of the .txt run's pairs that come out identical, and rows
holding a boilerplate marker (must be 0). Subtitles have no paragraphs: a news
headline, which has no final mark, runs into the first sentence there.

    python bench/formats_e2e.py [--data ../shared/data] [--news 30] [--mac 6] [--formats .html,.pdf]

Needs the test extras (python-docx, reportlab) to write DOCX and PDF.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import regex

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

from aligners.align.beads import read_beads  # noqa: E402
from aligners.align.evaluate import score_alignments  # noqa: E402
from aligners.config import Config  # noqa: E402
from aligners.io import readers  # noqa: E402
from aligners.pipeline import process_document  # noqa: E402
from aligners.types import Document  # noqa: E402
from e2e_macdev import beads_from_result, key, read_lines  # noqa: E402
from format_fixtures import MARKERS, WRITERS  # noqa: E402

SHARED = HERE.parents[1] / "shared" / "data"
# where the writers may cut: English at a space after a final mark, Chinese right after one
_EN_CUT = regex.compile(r"(?<=[.!?…][\"”’)]?)\s+(?=\S)")
_ZH_CUT = regex.compile(r"(?<=[。！？…][”’」』）]*)(?=[^”’」』）。！？…])")


def paragraphs(text: str, lang: str) -> list[list[str]]:
    """Paragraphs (blank-line separated, else one per line) as lists of sentences.

    The sentences only tell the writers where cues and links may go; joined back
    (Chinese without a space, English with one) they give the paragraph's text."""
    parts = regex.split(r"\n[ \t]*\n", text) if regex.search(r"\n[ \t]*\n", text) else text.split("\n")
    out = []
    for p in parts:
        p = " ".join(p.split())
        if p:
            out.append([s for s in (_ZH_CUT if lang == "zh" else _EN_CUT).split(p) if s])
    return out


def documents(data: Path, n_news: int, n_mac: int):
    """(set name, doc id, zh paragraphs, en paragraphs, gold zh, gold en, gold beads)."""
    for name, folder, limit in (("MAC-Dev", data / "mac-dev", n_mac), ("news-dev", data / "news-dev", n_news)):
        ids = sorted(f[:-6] for f in os.listdir(folder / "gold") if f.endswith(".align"))[:limit]
        for doc_id in ids:
            zh = (folder / "raw" / f"{doc_id}.zh.txt").read_text(encoding="utf-8")
            en = (folder / "raw" / f"{doc_id}.en.txt").read_text(encoding="utf-8")
            yield (name, doc_id, paragraphs(zh, "zh"), paragraphs(en, "en"), read_lines(folder / "split" / f"{doc_id}.zh"),
                   read_lines(folder / "split" / f"{doc_id}.en"), read_beads(str(folder / "gold" / f"{doc_id}.align")))


def one_bead_each(beads):
    """Beads whose sentences no earlier bead holds: a gold sentence split over two rows
    makes both rows wrong under strict scoring, and the scorer takes each sentence once."""
    seen_zh, seen_en, out = set(), set(), []
    for bead in beads:
        if seen_zh.isdisjoint(bead.src) and seen_en.isdisjoint(bead.tgt):
            out.append(bead)
        seen_zh.update(bead.src)
        seen_en.update(bead.tgt)
    return out


def run_format(ext: str, doc_id: str, zh_paras, en_paras, config: Config):
    zh_dec = readers.read_bytes(WRITERS[ext](zh_paras, "zh"), f"{doc_id}.zh{ext}", config.decode)
    en_dec = readers.read_bytes(WRITERS[ext](en_paras, "en"), f"{doc_id}.en{ext}", config.decode)
    return process_document(Document(doc_id, "pair", (zh_dec, en_dec)), config)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED)
    ap.add_argument("--news", type=int, default=30, help="news-dev documents")
    ap.add_argument("--mac", type=int, default=6, help="MAC-Dev chapters")
    ap.add_argument("--formats", default=",".join(WRITERS), help="comma-separated extensions (.txt always runs)")
    args = ap.parse_args()
    formats = [".txt"] + [f for f in args.formats.split(",") if f and f != ".txt"]
    config = Config()
    docs = list(documents(args.data, args.news, args.mac))
    sets = sorted({d[0] for d in docs})
    gold = {s: [] for s in sets}
    test = {(s, f): [] for s in sets for f in formats}
    same = {(s, f): [0, 0] for s in sets for f in formats}  # txt pairs found identical, txt pairs
    dirty = {(s, f): 0 for s in sets for f in formats}
    seconds = {f: 0.0 for f in formats}
    errors = {f: [] for f in formats}
    t_all = time.perf_counter()
    for name, doc_id, zh_p, en_p, zh_s, en_s, gold_beads in docs:
        gold[name].append(gold_beads)
        txt_pairs = set()
        for ext in formats:
            t0 = time.perf_counter()
            result = run_format(ext, doc_id, zh_p, en_p, config)
            seconds[ext] += time.perf_counter() - t0
            if result.error:
                errors[ext].append(f"{doc_id}: {result.error}")
            beads, _ = beads_from_result(result, zh_s, en_s)
            test[(name, ext)].append(one_bead_each(beads))
            pairs = {(key(r.zh), key(r.en)) for r in result.rows}
            if ext == ".txt":
                txt_pairs = pairs
            same[(name, ext)][0] += len(txt_pairs & pairs)
            same[(name, ext)][1] += len(txt_pairs)
            dirty[(name, ext)] += sum(1 for r in result.rows if any(m in r.zh or m in r.en for m in MARKERS
                                                                    if m not in ("|", "<", ">")))
    print(f"{sum(1 for d in docs if d[0] == 'MAC-Dev')} MAC-Dev chapters, "
          f"{sum(1 for d in docs if d[0] == 'news-dev')} news-dev documents; config {config.signature()}")
    print(f"{'set':<9} {'format':<6} {'strict F1':>9} {'vs .txt':>8} {'same pairs':>10} {'dirty rows':>10}")
    for name in sets:
        base = score_alignments(gold[name], test[(name, ".txt")])["strict"]["f1"]
        for ext in formats:
            f1 = score_alignments(gold[name], test[(name, ext)])["strict"]["f1"]
            hit, total = same[(name, ext)]
            print(f"{name:<9} {ext:<6} {f1:9.4f} {f1 - base:+8.4f} {hit / max(total, 1):10.3f} {dirty[(name, ext)]:10d}")
    print("seconds per format (write + read + process): " + ", ".join(f"{f} {s:.1f}" for f, s in seconds.items()))
    for ext, errs in errors.items():
        for e in errs[:3]:
            print(f"error {ext}: {e}")
    print(f"total {time.perf_counter() - t_all:.0f} s; load {open('/proc/loadavg').read().split()[0]}")


if __name__ == "__main__":
    main()
