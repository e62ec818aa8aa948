"""MAC-Dev alignment quality: pooled strict/lax P/R/F1 and time, per chapter.

    .venv/bin/python bench/align_macdev.py [--data /work/shared/data/mac-dev]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligners.align import align_sentences  # noqa: E402
from aligners.beads import read_beads  # noqa: E402
from aligners.evaluate import score_alignments  # noqa: E402


def load(data: Path):
    docs = []
    for gold in sorted((data / "gold").glob("*.align")):
        name = gold.stem
        zh = (data / "split" / f"{name}.zh").read_text(encoding="utf-8").splitlines()
        en = (data / "split" / f"{name}.en").read_text(encoding="utf-8").splitlines()
        docs.append((name, zh, en, read_beads(gold)))
    return docs


def fmt(res):
    s, l = res["strict"], res["lax"]
    return (f"strict P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} | "
            f"lax P {l['precision']:.3f} R {l['recall']:.3f} F1 {l['f1']:.3f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/work/shared/data/mac-dev")
    args = ap.parse_args()
    data = Path(args.data)
    if not (data / "gold").is_dir():
        print(f"no MAC-Dev data at {data}; skipping")
        return
    docs = load(data)
    t0 = time.perf_counter()
    align_sentences(["热身。"], ["Warm up."])
    print(f"first call (loads jieba + CC-CEDICT): {time.perf_counter() - t0:.2f} s")
    golds, tests = [], []
    t_all = 0.0
    for name, zh, en, gold in docs:
        t = time.perf_counter()
        test = align_sentences(zh, en)
        dt = time.perf_counter() - t
        t_all += dt
        golds.append(gold)
        tests.append(test)
        print(f"{name}: {len(zh)} zh x {len(en)} en  {dt:.2f} s  {fmt(score_alignments([gold], [test]))}")
    print(f"pooled ({len(docs)} chapters, {t_all:.2f} s): {fmt(score_alignments(golds, tests))}")


if __name__ == "__main__":
    main()
