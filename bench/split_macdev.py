"""Sentence-boundary precision/recall of aligners.text.split on MAC-Dev.

raw/NNN.zh.txt is split/NNN.zh joined with "" and raw/NNN.en.txt is split/NNN.en joined
with " ", so the gold boundaries are character offsets in the raw text. A predicted
boundary counts when a sentence ends exactly where a gold sentence ends.

    .venv/bin/python bench/split_macdev.py [--errors N]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligners.text.split import split_lines, split_paragraphs, split_sentences  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mac-dev"


def gold_ends(sentences: list[str], sep: str) -> set[int]:
    ends, pos = set(), 0
    for s in sentences:
        pos += len(s)
        ends.add(pos)
        pos += len(sep)
    return ends


def predicted_ends(text: str) -> set[int]:
    ends = set()
    for ps, pe in split_paragraphs(text):
        for ls, le in split_lines(text, ps, pe):
            ends.update(e for _, e in split_sentences(text, ls, le, max_chars=10**9))
    return ends


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", type=int, default=0, help="print this many missed/extra boundaries per language")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"MAC-Dev not found at {DATA}; skipped")
        return
    totals = {}
    print(f"{'chapter':8} {'lang':4} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for lang, sep in (("zh", ""), ("en", " ")):
        tp_all = gold_all = pred_all = 0
        shown = 0
        for split_file in sorted((DATA / "split").glob(f"*.{lang}")):
            chapter = split_file.stem
            sentences = [line for line in split_file.read_text(encoding="utf-8").split("\n") if line]
            text = (DATA / "raw" / f"{chapter}.{lang}.txt").read_text(encoding="utf-8").rstrip("\n")
            gold = gold_ends(sentences, sep)
            pred = predicted_ends(text)
            tp = len(gold & pred)
            p, r = tp / len(pred), tp / len(gold)
            print(f"{chapter:8} {lang:4} {len(gold):5} {len(pred):5} {p:6.3f} {r:6.3f} {2 * p * r / (p + r):6.3f}")
            tp_all, gold_all, pred_all = tp_all + tp, gold_all + len(gold), pred_all + len(pred)
            for kind, offsets in (("missed", gold - pred), ("extra", pred - gold)):
                for off in sorted(offsets):
                    if shown < args.errors:
                        shown += 1
                        print(f"   {kind:6} {chapter} …{text[max(0, off - 40):off]}|{text[off:off + 30]}…")
        p, r = tp_all / pred_all, tp_all / gold_all
        totals[lang] = (p, r)
        print(f"{'pooled':8} {lang:4} {gold_all:5} {pred_all:5} {p:6.3f} {r:6.3f} {2 * p * r / (p + r):6.3f}")


if __name__ == "__main__":
    main()
