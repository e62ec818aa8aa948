"""MAC-Dev alignment quality: pooled strict/lax P/R/F1 and time, per chapter.

    .venv/bin/python bench/align_macdev.py [--data ../shared/data/mac-dev]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligners.align import align_sentences  # noqa: E402
from aligners.align.beads import read_beads  # noqa: E402
from aligners.align.evaluate import score_alignments  # noqa: E402


DEFAULT_DATA = str(Path(__file__).resolve().parents[2] / "shared" / "data" / "mac-dev")  # ../shared beside the repo


def load_or_skip(data) -> list | None:
    """The MAC-Dev chapters under ``data``, or None (with a message) when the data is not there."""
    data = Path(data)
    if not (data / "gold").is_dir():
        print(f"no MAC-Dev data at {data}; skipping")
        return None
    return load(data)


def load(data: Path):
    docs = []
    for gold in sorted((data / "gold").glob("*.align")):
        name = gold.stem
        zh = (data / "split" / f"{name}.zh").read_text(encoding="utf-8").splitlines()
        en = (data / "split" / f"{name}.en").read_text(encoding="utf-8").splitlines()
        docs.append((name, zh, en, read_beads(gold)))
    return docs


def paragraphs_from_gold(gold, n_zh, n_en, every):
    """Paragraph numbers per sentence: a new paragraph on both sides every ``every`` gold beads."""
    zp, ep = [0] * n_zh, [0] * n_en
    for k, b in enumerate(gold):
        for i in b.src:
            zp[i] = k // every
        for j in b.tgt:
            ep[j] = k // every
    return {"zh_paragraphs": zp, "en_paragraphs": ep}


def fmt(res):
    s, l = res["strict"], res["lax"]
    return (f"strict P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} | "
            f"lax P {l['precision']:.3f} R {l['recall']:.3f} F1 {l['f1']:.3f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--paragraphs", type=int, default=0,
                    help="simulate paragraph input: a paragraph break on both sides every N gold beads "
                         "(like the blocks of mixed/), passed as zh_paragraphs/en_paragraphs")
    ap.add_argument("--scores", action="store_true",
                    help="also align each chapter's Chinese with the next chapter's English (unrelated text) "
                         "and print how many beads pass each min_score threshold")
    args = ap.parse_args()
    docs = load_or_skip(args.data)
    if docs is None:
        return
    t0 = time.perf_counter()
    align_sentences(["热身。"], ["Warm up."])
    print(f"first call (loads the segmenter and CC-CEDICT): {time.perf_counter() - t0:.2f} s")
    golds, tests = [], []
    t_all = 0.0
    for name, zh, en, gold in docs:
        kw = paragraphs_from_gold(gold, len(zh), len(en), args.paragraphs) if args.paragraphs else {}
        t = time.perf_counter()
        test = align_sentences(zh, en, **kw)
        dt = time.perf_counter() - t
        t_all += dt
        golds.append(gold)
        tests.append(test)
        print(f"{name}: {len(zh)} zh x {len(en)} en  {dt:.2f} s  {fmt(score_alignments([gold], [test]))}")
    print(f"pooled ({len(docs)} chapters, {t_all:.2f} s): {fmt(score_alignments(golds, tests))}")
    if args.scores:
        right, wrong, unrelated = [], [], []
        for gold, test in zip(golds, tests):
            keys = {(b.src, b.tgt) for b in gold}
            for b in test:
                if b.src and b.tgt:
                    (right if (b.src, b.tgt) in keys else wrong).append(b.score)
        for k, (name, zh, _, _) in enumerate(docs):
            other = docs[(k + 1) % len(docs)][2]
            unrelated += [b.score for b in align_sentences(zh, other) if b.src and b.tgt]
        print("min_score | strict-correct beads kept | wrong beads kept | beads of unrelated text kept")
        for th in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6):
            share = lambda xs: sum(x >= th for x in xs) / max(1, len(xs))
            print(f"  {th:.1f}    | {share(right):.3f} of {len(right)} | {share(wrong):.3f} of {len(wrong)} | "
                  f"{share(unrelated):.3f} of {len(unrelated)}")


if __name__ == "__main__":
    main()
