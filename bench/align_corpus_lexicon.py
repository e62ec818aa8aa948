"""A lexicon learned over the whole corpus (IBM-1 from first-pass beads of every chapter).

No gold is used to learn it (Moore 2002, unsupervised), so learning it from all six
chapters, the held-out one included, is honest; only its weight is chosen, by
leave-one-chapter-out over --weights. Prints pooled strict F1 without and with it.

    .venv/bin/python bench/align_corpus_lexicon.py [--weights 0.2,0.35,0.5]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligners.align import align_sentences  # noqa: E402
from aligners.align.lexicon import corpus_lexicon  # noqa: E402
from aligners.align.evaluate import score_alignments  # noqa: E402
from bench.align_macdev import DEFAULT_DATA, load_or_skip  # noqa: E402
from bench.align_tune import pooled  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--weights", default="0.2,0.35,0.5")
    args = ap.parse_args()
    docs = load_or_skip(args.data)
    if docs is None:
        return
    weights = [None] + [float(w) for w in args.weights.split(",")]
    results = []
    for w in weights:
        lex = corpus_lexicon([(zh, en) for _, zh, en, _ in docs], weight=w) if w is not None else None
        rows = []
        for name, zh, en, gold in docs:
            r = score_alignments([gold], [align_sentences(zh, en, lexicon=lex)])
            rows.append((r["counts"]["strict_p"], r["counts"]["strict_r"], r["test_beads"], r["gold_beads"]))
        results.append(rows)
        per = " ".join(f"{pooled([x], {0}):.3f}" for x in rows)
        print(f"lexicon weight {w}: pooled strict F1 {pooled(rows, set(range(len(docs)))):.3f} (chapters {per})")
    n = len(docs)
    held = []
    for k in range(n):
        best = max(range(1, len(weights)), key=lambda c: pooled(results[c], set(range(n)) - {k}))
        held.append(results[best][k])
    print(f"weight chosen leave-one-chapter-out: CV pooled strict F1 {pooled(held, set(range(n))):.3f} "
          f"(folds {' '.join(f'{pooled([h], {0}):.3f}' for h in held)})")


if __name__ == "__main__":
    main()
