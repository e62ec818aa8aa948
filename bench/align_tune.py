"""Leave-one-chapter-out selection of the DP constants on MAC-Dev.

Every candidate setting is run once on every chapter; for each held-out chapter the
setting with the best pooled strict F1 on the other five is chosen and scored on the
held-out one. Prints the per-fold choice and held-out F1, and the pooled held-out
figures (the honest number), plus the setting chosen on all six (the default to ship).

    .venv/bin/python bench/align_tune.py [--n 120] [--seed 0] [--news ../shared/data/news-dev]

news-dev (the second development domain) is scored for the default, every fold's
choice and the setting chosen on all six chapters: a setting that only MAC-Dev likes
shows there.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligners.align import params as P  # noqa: E402
from aligners.align.dp import LevelInput  # noqa: E402
from aligners.align.search import search_path  # noqa: E402
from aligners.align.features import build_features  # noqa: E402
from aligners.align.evaluate import score_alignments  # noqa: E402
from aligners.types import Bead  # noqa: E402
from bench.align_macdev import DEFAULT_DATA, load, load_or_skip  # noqa: E402

NEWS_DATA = str(Path(DEFAULT_DATA).parent / "news-dev")


def prepare(docs, features=P.FEATURES):
    """The DP input of every chapter (features built once, shared by all candidates)."""
    out = []
    for name, zh, en, gold in docs:
        zf, ef, _ = build_features(zh, en, features)
        out.append((name, LevelInput(zf.vectors, ef.vectors, zf.lengths, ef.lengths), gold))
    return out


def f1_from(counts, n_test, n_gold):
    p = counts / n_test if n_test else 0
    r = counts / n_gold if n_gold else 0
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(prepared, params):
    rows = []
    for name, level, gold in prepared:
        beads = [Bead(s, t) for s, t in search_path(level, params).beads]  # the full DP, length ratio re-estimated
        res = score_alignments([gold], [beads])
        rows.append((res["counts"]["strict_p"], res["counts"]["strict_r"], res["test_beads"], res["gold_beads"]))
    return rows


def pooled(rows, keep):
    sp = sum(r[0] for k, r in enumerate(rows) if k in keep)
    sr = sum(r[1] for k, r in enumerate(rows) if k in keep)
    nt = sum(r[2] for k, r in enumerate(rows) if k in keep)
    ng = sum(r[3] for k, r in enumerate(rows) if k in keep)
    p, r = sp / nt, sr / ng
    return 2 * p * r / (p + r) if p + r else 0.0


def loco_choices(results, n: int) -> list[int]:
    """Leave-one-chapter-out: for each held-out chapter k, the candidate best on the other chapters.

    ``results[c][k]`` holds candidate c's counts on chapter k (see ``pooled``)."""
    return [max(range(len(results)), key=lambda c: pooled(results[c], set(range(n)) - {k})) for k in range(n)]


def sample(rng):
    m = rng.choice([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8])  # per extra sentence
    m2 = rng.choice([0.0, 0.1, 0.2, 0.4])  # extra for many-to-many
    pen = {}
    for (a, b) in P.PENALTIES:
        extra = (a + b - 2)
        pen[(a, b)] = m * extra + (m2 if a > 1 and b > 1 else 0.0)
    return dict(penalties=pen, size_power=rng.choice([0.25, 0.5, 0.75, 1.0, 1.5]),
                w_len=rng.choice([0.0, 0.005, 0.01, 0.02, 0.05, 0.1]),
                null_cost=rng.choice([0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0]), len_var=rng.choice([1.0, 2.0, 4.0, 6.0, 10.0]),
                _desc=f"m={m} m2={m2}")


def perturb(rng, base, key=None, value=None):
    """The default with one constant moved to a neighbouring grid value (or ``key`` to ``value``)."""
    me = base.penalties[(1, 2)]  # per extra English sentence
    mz = base.penalties[(2, 1)]  # per extra Chinese sentence
    m2 = base.penalties[(2, 2)] - me - mz
    c = dict(me=me, mz=mz, m2=m2, size_power=base.size_power, w_len=base.w_len, null_cost=base.null_cost, len_var=base.len_var)
    grids = dict(me=[0.2, 0.3, 0.4, 0.5, 0.6], mz=[0.2, 0.3, 0.4, 0.5, 0.6, 0.8], m2=[-0.1, 0.0, 0.1, 0.2],
                 size_power=[0.25, 0.5, 0.75, 1.0],
                 w_len=[0.0, 0.01, 0.02, 0.03, 0.05], null_cost=[0.5, 0.75, 1.0, 1.5, 2.0, 3.0],
                 len_var=[3.0, 4.0, 6.0, 8.0, 12.0])
    if key is None:
        key = rng.choice(sorted(grids))
        value = rng.choice(grids[key])
    if key == "m":  # both merge penalties together
        c["me"] = c["mz"] = value
    else:
        c[key] = value
    pen = {(a, b): c["mz"] * (a - 1) + c["me"] * (b - 1) + (c["m2"] if a > 1 and b > 1 else 0.0)
           for (a, b) in P.PENALTIES}
    return dict(penalties=pen, size_power=c["size_power"], w_len=c["w_len"], null_cost=c["null_cost"],
                len_var=c["len_var"], _desc=f"mz={c['mz']} me={c['me']} m2={round(c['m2'], 3)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--features", default="",
                    help="feature constants to vary one at a time, e.g. 'punct_weight=0.25,1;char_backoff=1' "
                         "(each variant is prepared and combined with every DP candidate)")
    ap.add_argument("--only", default="", help="comma-separated DP constants to sweep one at a time over their grid")
    ap.add_argument("--news", default=NEWS_DATA, help="second development domain, scored for the chosen "
                    "settings only (news-dev: split/ + gold/); '' to skip")
    ap.add_argument("--local", type=float, default=0.5, help="share of candidates that move one default constant")
    args = ap.parse_args()
    docs = load_or_skip(args.data)
    if docs is None:
        return
    t0 = time.perf_counter()
    weights = [None]
    variants = [("", P.FEATURES)]
    for spec in filter(None, args.features.split(";")):
        name, values = spec.split("=")
        for v in values.split(","):
            variants.append((f"{name}={v} ", replace(P.FEATURES, **{name: type(getattr(P.FEATURES, name))(float(v))})))
    weights = [(w, fdesc, feats) for w in weights for fdesc, feats in variants]
    prepared = {(w, fdesc): prepare(docs, feats) for w, fdesc, feats in weights}
    print(f"features: {time.perf_counter() - t0:.1f} s")
    rng = random.Random(args.seed)
    base = P.fine_params()
    cands = [dict(penalties=base.penalties, size_power=base.size_power, w_len=base.w_len, null_cost=base.null_cost,
                  len_var=base.len_var, _desc="default")]
    cands += [perturb(rng, base) if rng.random() < args.local else sample(rng) for _ in range(args.n)]
    for key in filter(None, args.only.split(",")):
        grid = {"w_len": [0.0, 0.01, 0.02, 0.03, 0.05],
                "size_power": [0.25, 0.5, 0.75, 1.0], "null_cost": [0.5, 1.0, 2.0, 3.0, 5.0, 8.0],
                "len_var": [3.0, 4.0, 6.0, 8.0, 12.0], "m": [0.2, 0.3, 0.4, 0.5, 0.6], "m2": [-0.1, 0.0, 0.1, 0.2],
                "me": [0.2, 0.3, 0.5, 0.6], "mz": [0.2, 0.3, 0.5, 0.6, 0.8]}[key]
        cands += [perturb(rng, base, key, v) for v in grid]
    cands = [{**c, "_desc": f"{fdesc}" + c["_desc"], "_w": (w, fdesc)} for w, fdesc, _ in weights for c in cands]
    results = []
    t0 = time.perf_counter()
    for c in cands:
        kw = {k: v for k, v in c.items() if not k.startswith("_")}
        results.append(evaluate(prepared[c["_w"]], replace(base, **kw)))
    print(f"{len(cands)} settings x {len(docs)} chapters: {time.perf_counter() - t0:.1f} s")
    n = len(docs)
    held = []
    for k, best in enumerate(loco_choices(results, n)):
        train = set(range(n)) - {k}
        held.append(results[best][k])
        c = cands[best]
        print(f"fold {docs[k][0]}: train F1 {pooled(results[best], train):.3f} held-out F1 {pooled(results[best], {k}):.3f}  "
              f"[{c['_desc']} size^{c['size_power']} w_len={c['w_len']} null={c['null_cost']} var={c['len_var']}]")
    cv = pooled(held, set(range(n)))
    folds = [pooled([h], {0}) for h in held]
    print(f"CV pooled strict F1 {cv:.3f} (per fold min {min(folds):.3f} max {max(folds):.3f}; "
          f"folds {' '.join(f'{f:.3f}' for f in folds)})")
    best = max(range(len(cands)), key=lambda c: pooled(results[c], set(range(n))))
    c = cands[best]
    print(f"chosen on all six: F1 {pooled(results[best], set(range(n))):.3f} {c}")
    if args.news and (Path(args.news) / "gold").is_dir():
        news = prepare(load(Path(args.news)), P.FEATURES)
        chosen = sorted(set(loco_choices(results, n)) | {0, best})
        for k in chosen:
            kw = {key: v for key, v in cands[k].items() if not key.startswith("_")}
            rows = evaluate(news, replace(base, **kw))
            per_doc = sorted(pooled([r], {0}) for r in rows)
            q = lambda f: per_doc[min(len(per_doc) - 1, int(f * len(per_doc)))]  # noqa: E731
            tag = "default" if k == 0 else ("chosen on all six" if k == best else "a fold's choice")
            print(f"news-dev ({len(rows)} documents), {tag} [{cands[k]['_desc']}]: pooled strict F1 "
                  f"{pooled(rows, set(range(len(rows)))):.4f}; per document min {per_doc[0]:.3f} "
                  f"10% {q(0.1):.3f} median {q(0.5):.3f}")


if __name__ == "__main__":
    main()
