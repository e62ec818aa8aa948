"""Fit the bead-confidence logistic regression (aligners/align/confidence.py) on MAC-Dev.

Each chapter is aligned with the shipped aligner; its non-null beads are examples
(label 1 = strictly equal to a gold bead). Negatives of a second kind come from
aligning each chapter's Chinese with the next chapter's English (unrelated text,
everything wrong). Prints:

  * leave-one-chapter-out: coefficients fitted on five chapters (+ their unrelated
    pairs), log-loss / AUC on the held-out chapter's beads, and the share of correct /
    wrong / unrelated beads kept at a few thresholds (pooled over held-out folds);
  * the reliability of the held-out probabilities (mean predicted vs observed, by bin);
  * the coefficients fitted on all six chapters; ``--write`` stores them, with the
    command and a checksum of the data, in aligners/align/confidence.json.

    .venv/bin/python bench/align_score_fit.py [--data ../shared/data/mac-dev] [--paragraphs 8] [--write]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligners.align.confidence import COEF_FILE, FEATURES, bead_features, fit_logistic, scores_from_features  # noqa: E402
from aligners.align.search import align_raw  # noqa: E402
from aligners.config import AlignConfig  # noqa: E402
from bench.align_macdev import DEFAULT_DATA, load_or_skip, paragraphs_from_gold  # noqa: E402

UNRELATED_WEIGHT = 1.0
INSERTIONS = 20  # untranslated chunks inserted into each chapter (third kind of example)


def with_insertions(zh, en, gold, zh_pool, en_pool, rng):
    """The chapter with INSERTIONS chunks of 1-3 foreign Chinese and 1-3 foreign English
    sentences (from two other chapters) inserted between gold beads: like the seed's
    untranslated chunk. Returns (zh, en, gold keys in new ids, inserted zh ids, inserted en ids)."""
    at = set(rng.choice(np.arange(1, len(gold)), size=min(INSERTIONS, len(gold) - 1), replace=False).tolist())
    new_zh, new_en, keys, ins_z, ins_e = [], [], set(), set(), set()
    for k, b in enumerate(gold):
        if k in at:
            for _ in range(int(rng.integers(1, 4))):
                ins_z.add(len(new_zh))
                new_zh.append(zh_pool[int(rng.integers(len(zh_pool)))])
            for _ in range(int(rng.integers(1, 4))):
                ins_e.add(len(new_en))
                new_en.append(en_pool[int(rng.integers(len(en_pool)))])
        src = tuple(range(len(new_zh), len(new_zh) + len(b.src)))
        tgt = tuple(range(len(new_en), len(new_en) + len(b.tgt)))
        new_zh += [zh[i] for i in b.src]
        new_en += [en[j] for j in b.tgt]
        keys.add((src, tgt))
    return new_zh, new_en, keys, ins_z, ins_e


def examples(docs, paragraphs: int = 0):
    """Per chapter: (X, y, kind) with kind 0 = real bead, 1 = unrelated-text bead,
    2 = bead touching an inserted untranslated chunk."""
    out = []
    cfg = AlignConfig()
    rng = np.random.default_rng(0)
    for k, (name, zh, en, gold) in enumerate(docs):
        kw = paragraphs_from_gold(gold, len(zh), len(en), paragraphs) if paragraphs else {}
        found = align_raw(zh, en, cfg, **kw)
        beads, al = found.beads, found.evidence
        X = bead_features(al, beads)
        keys = {(b.src, b.tgt) for b in gold}
        y = np.array([float((s, t) in keys) for s, t in beads])
        ok = ~np.isnan(X).any(axis=1)
        other = docs[(k + 1) % len(docs)][2]
        found = align_raw(zh, other, cfg)
        ub, ual = found.beads, found.evidence
        UX = bead_features(ual, ub)
        UX = UX[~np.isnan(UX).any(axis=1)]
        z2, e2, keys2, ins_z, ins_e = with_insertions(zh, en, gold, docs[(k + 2) % len(docs)][1],
                                                      docs[(k + 3) % len(docs)][2], rng)
        found = align_raw(z2, e2, cfg)
        ib, ial = found.beads, found.evidence
        IX = bead_features(ial, ib)
        # beads with a whole side inserted (the seed's case: a foreign chunk paired with real text)
        touch = np.array([bool((s and set(s) <= ins_z) or (t and set(t) <= ins_e)) for s, t in ib])
        IX = IX[touch & ~np.isnan(IX).any(axis=1)]
        X2 = np.r_[X[ok], UX, IX]
        y2 = np.r_[y[ok], np.zeros(len(UX)), np.zeros(len(IX))]
        kind = np.r_[np.zeros(ok.sum()), np.ones(len(UX)), np.full(len(IX), 2.0)]
        out.append((name, X2, y2, kind))
    return out


def auc(p, y):
    order = np.argsort(p)
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    npos, nneg = y.sum(), len(y) - y.sum()
    if npos == 0 or nneg == 0:
        return float("nan")
    return float((ranks[y == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg))


def logloss(p, y):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def fit(parts):
    X = np.concatenate([x for _, x, _, _ in parts])
    y = np.concatenate([y for _, _, y, _ in parts])
    kind = np.concatenate([k for _, _, _, k in parts])
    w = np.where(kind == 0, 1.0, UNRELATED_WEIGHT)
    return fit_logistic(X, y, w)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--paragraphs", type=int, default=0, help="also give paragraph breaks every N gold beads")
    ap.add_argument("--write", action="store_true", help="write the coefficients to aligners/align/confidence.json")
    ap.add_argument("--unrelated-weight", type=float, default=UNRELATED_WEIGHT,
                    help="weight of each unrelated-text bead in the fit")
    args = ap.parse_args()
    globals()["UNRELATED_WEIGHT"] = args.unrelated_weight
    docs = load_or_skip(args.data)
    if docs is None:
        return
    t0 = time.perf_counter()
    parts = examples(docs, args.paragraphs)
    print(f"examples: {sum(len(p[2]) for p in parts)} beads in {time.perf_counter() - t0:.1f} s")
    held_p, held_y, held_kind = [], [], []
    for k, (name, X, y, kind) in enumerate(parts):
        coef, icpt = fit([p for j, p in enumerate(parts) if j != k])
        p = scores_from_features(X, coef, icpt)
        real = kind == 0
        print(f"fold {name}: held-out real beads log-loss {logloss(p[real], y[real]):.3f} AUC {auc(p[real], y[real]):.3f}"
              f" | with unrelated AUC {auc(p, y):.3f}")
        held_p.append(p), held_y.append(y), held_kind.append(kind)
    p, y, kind = np.concatenate(held_p), np.concatenate(held_y), np.concatenate(held_kind)
    real = kind == 0
    print(f"pooled held-out: real beads log-loss {logloss(p[real], y[real]):.3f} AUC {auc(p[real], y[real]):.3f}; "
          f"all AUC {auc(p, y):.3f}")
    print("threshold | correct kept | wrong kept | unrelated kept | inserted-chunk beads kept")
    for th in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        def share(mask):
            return f"{(p[mask] >= th).mean():.3f} of {mask.sum()}"
        print(f"  {th:.1f}     | {share(real & (y == 1))} | {share(real & (y == 0))} | {share(kind == 1)} | {share(kind == 2)}")
    print("reliability (held-out real beads): predicted bin -> mean predicted / observed / n")
    for lo in np.arange(0, 1, 0.2):
        m = real & (p >= lo) & (p < lo + 0.2 + (lo >= 0.8))
        if m.any():
            print(f"  [{lo:.1f}, {lo + 0.2:.1f}): {p[m].mean():.3f} / {y[m].mean():.3f} / {m.sum()}")
    coef, icpt = fit(parts)
    print(f"fitted on all six chapters: coef {', '.join(f'{c:.3f}' for c in coef)} ({', '.join(FEATURES)}), "
          f"intercept {icpt:.3f}")
    if args.write:
        fitted = {"features": list(FEATURES), "coef": [round(float(c), 3) for c in coef],
                  "intercept": round(float(icpt), 3),
                  "command": "bench/align_score_fit.py --write" + (f" --paragraphs {args.paragraphs}" if args.paragraphs else "")
                  + (f" --unrelated-weight {args.unrelated_weight}" if args.unrelated_weight != UNRELATED_WEIGHT else ""),
                  "data": "MAC-Dev split/ + gold/", "data_sha256": data_checksum(Path(args.data)),
                  "examples": int(sum(len(p[2]) for p in parts))}
        COEF_FILE.write_text(json.dumps(fitted, indent=1) + "\n", encoding="utf-8")
        print(f"written to {COEF_FILE.relative_to(Path(__file__).resolve().parents[1])}")


def data_checksum(data: Path) -> str:
    """SHA-256 over the names and bytes of the split/ and gold/ files the fit read."""
    h = hashlib.sha256()
    for path in sorted(list((data / "split").glob("*")) + list((data / "gold").glob("*"))):
        h.update(f"{path.parent.name}/{path.name}\0".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


if __name__ == "__main__":
    main()
