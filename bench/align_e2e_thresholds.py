"""End-to-end precision/recall trade-off of AlignConfig.min_score on MAC-Dev raw/ and mixed/.

Runs the whole document path once per chapter with min_score 0 (every non-null bead
becomes a row carrying its score), then, for each threshold, keeps the rows scoring at
least that much: what the pipeline pairs at that min_score. Rows are scored exactly as
bench/e2e_macdev.py does (each pair's text located in the gold sentences).

    .venv/bin/python bench/align_e2e_thresholds.py [--thresholds 0,0.1,0.2,0.3,0.5]
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from aligners.align.beads import read_beads  # noqa: E402
from aligners.config import AlignConfig, Config  # noqa: E402
from aligners.align.evaluate import score_alignments  # noqa: E402
from aligners.io.inputs import read_document  # noqa: E402
from aligners.pipeline import process_document  # noqa: E402
from bench.e2e_macdev import DEFAULT_DATA, beads_from_result, chapter_specs  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--thresholds", default="0,0.05,0.1,0.2,0.3,0.4,0.5")
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(args.data, "gold")):
        print(f"no MAC-Dev data at {args.data}; skipping")
        return
    ths = [float(t) for t in args.thresholds.split(",")]
    config = Config(align=AlignConfig(min_score=0.0))
    for mode in ("raw", "mixed"):
        t0 = time.perf_counter()
        golds, tests = [], []
        for ch, zh_s, en_s, spec in chapter_specs(args.data, mode):
            result = process_document(read_document(spec), config)
            golds.append(read_beads(os.path.join(args.data, "gold", f"{ch}.align")))
            tests.append(beads_from_result(result, zh_s, en_s)[0])
        print(f"{mode}: {time.perf_counter() - t0:.1f} s")
        for th in ths:
            kept = [[b for b in t if b.score >= th] for t in tests]
            s = score_alignments(golds, kept)
            print(f"  {mode:<5} min_score {th:.2f}: strict P {s['strict']['precision']:.4f} R {s['strict']['recall']:.4f} "
                  f"F1 {s['strict']['f1']:.4f} | lax P {s['lax']['precision']:.4f} R {s['lax']['recall']:.4f} "
                  f"F1 {s['lax']['f1']:.4f}")


if __name__ == "__main__":
    main()
