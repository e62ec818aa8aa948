"""Leave-one-chapter-out choice of the paragraph cost (params.PARAGRAPH) on MAC-Dev.

Paragraph input is simulated as in mixed/: a break on both sides every N gold beads.
For each held-out chapter the cost with the best pooled strict F1 on the other five is
chosen; prints per-fold choices, held-out F1 and the pooled held-out figure.

    .venv/bin/python bench/align_para_cv.py [--every 8] [--costs 0,0.25,0.5,1,2,4]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligners.align import align_sentences  # noqa: E402
from aligners.config import AlignConfig  # noqa: E402
from aligners.align.evaluate import score_alignments  # noqa: E402
from bench.align_macdev import DEFAULT_DATA, load_or_skip, paragraphs_from_gold  # noqa: E402
from bench.align_tune import loco_choices, pooled  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--every", type=int, default=8)
    ap.add_argument("--costs", default="0,0.25,0.5,1,2,4")
    args = ap.parse_args()
    docs = load_or_skip(args.data)
    if docs is None:
        return
    costs = [float(c) for c in args.costs.split(",")]
    results = []
    for c in costs:
        config = AlignConfig(paragraph_cost=c)
        rows = []
        for name, zh, en, gold in docs:
            test = align_sentences(zh, en, config, **paragraphs_from_gold(gold, len(zh), len(en), args.every))
            r = score_alignments([gold], [test])
            rows.append((r["counts"]["strict_p"], r["counts"]["strict_r"], r["test_beads"], r["gold_beads"]))
        results.append(rows)
        print(f"cost {c}: in-sample pooled strict F1 {pooled(rows, set(range(len(docs)))):.3f}")
    n = len(docs)
    held = []
    for k, best in enumerate(loco_choices(results, n)):
        held.append(results[best][k])
        print(f"fold {docs[k][0]}: cost {costs[best]} held-out F1 {pooled(results[best], {k}):.3f}")
    folds = [pooled([h], {0}) for h in held]
    print(f"CV pooled strict F1 {pooled(held, set(range(n))):.3f} with paragraphs every {args.every} gold beads "
          f"(folds {' '.join(f'{f:.3f}' for f in folds)})")


if __name__ == "__main__":
    main()
