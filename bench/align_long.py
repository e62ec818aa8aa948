"""Long documents: the whole document against the same text aligned in parts, and the
search's path against the full DP's.

Documents are built from MAC-Dev and news-dev (split/ sentences + gold/ beads), with
the gold carried along (every part is kept as a list of gold beads of sentence texts):

  concat     every MAC-Dev chapter and news-dev document, one after the other
  perturbed  the same parts shuffled (seeded), with: 5% of the English sentences
             merged into the next bead's first one, 5% of the Chinese sentences split at
             a comma, a news document's Chinese inserted without English every 10 parts
             (untranslated stretches), one MAC-Dev chapter's English missing
  missing-en news-dev's documents with MAC-Dev's chapters in the middle, the English of
  missing-zh the chapters (30% of the Chinese sentences) missing, or their Chinese
  repetitive lists, formulas and dialogue whose sentences share most of their words
             (generated), between the perturbed parts
  big        the perturbed and repetitive text repeated (each copy perturbed with its own
             seed) up to --size Chinese sentences

For each: strict F1 of the whole document, of the same parts aligned one by one, the
share of beads that differ from the full DP (where (N+1)(M+1) <= --full-cells; the full
DP with the length ratio the search settled on), the search's DP runs and corridor
cells, wall and CPU seconds, how many of the gold's stretches of Chinese without
English the alarms report as unpaired, the share of anchors that pair sentences of
different gold beads (near-identical sentences must not make anchors), peak RSS.

    nice -n 10 .venv/bin/python bench/align_long.py [--size 30000] [--full-cells 16000000]
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligners.align import params as P  # noqa: E402
from aligners.align.alarms import WEAK_RUN, find_warnings  # noqa: E402
from aligners.align.anchors import find_anchors  # noqa: E402
from aligners.align.beads import read_beads  # noqa: E402
from aligners.align.blas import one_blas_thread  # noqa: E402
from aligners.align.dp import LevelInput, corridor_dp, full_corridor  # noqa: E402
from aligners.align.evaluate import score_alignments  # noqa: E402
from aligners.align.features import build_features  # noqa: E402
from aligners.align.search import search_path  # noqa: E402
from aligners.types import Bead  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def load_parts(folder: Path) -> list[list[tuple[list[str], list[str]]]]:
    """Each document of split/ + gold/ as a list of gold beads of texts."""
    parts = []
    for zh_path in sorted((folder / "split").glob("*.zh")):
        zh = zh_path.read_text(encoding="utf-8").splitlines()
        en = zh_path.with_suffix(".en").read_text(encoding="utf-8").splitlines()
        gold = read_beads(folder / "gold" / (zh_path.stem + ".align"))
        parts.append([([zh[i] for i in b.src], [en[j] for j in b.tgt]) for b in gold])
    return parts


def repetitive(rng: random.Random, n: int) -> list[tuple[list[str], list[str]]]:
    """Lists, formulas and dialogue: sentences that differ in a word or a number."""
    names = [("苹果", "apples"), ("梨", "pears"), ("米", "rice"), ("茶", "tea"), ("盐", "salt")]
    lines = [("“好的，”他说。", '"All right," he said.'), ("“不行，”她说。", '"No," she said.'),
             ("“为什么？”他问。", '"Why?" he asked.'), ("“我不知道，”她说。", '"I don\'t know," she said.')]
    out = []
    for k in range(n):
        kind = rng.random()
        if kind < 0.4:
            zn, en = rng.choice(names)
            p = rng.randint(2, 400)
            out.append(([f"第{k + 1}项：{zn}的价格是{p}元。"], [f"Item {k + 1}: the price of {en} is {p} yuan."]))
        elif kind < 0.6:
            v = rng.randint(2, 90)
            out.append(([f"x的平方加y等于{v}。"], [f"x squared plus y equals {v}."]))
        else:
            out.append(tuple([a] for a in rng.choice(lines)))
    return out


def perturb(parts, news, rng: random.Random, missing: int | None):
    """Shuffled parts with merges, splits, untranslated stretches and one missing English side."""
    order = list(range(len(parts)))
    rng.shuffle(order)
    out = []
    for pos, k in enumerate(order):
        beads = [(list(z), list(e)) for z, e in parts[k]]
        if k == missing:
            out.append([([z], []) for zs, _ in beads for z in zs])
            continue
        merged = []
        for z, e in beads:
            if merged and e and merged[-1][1] and rng.random() < 0.05:  # English joined across beads
                pz, pe = merged.pop()
                merged.append((pz + z, pe[:-1] + [pe[-1] + " " + e[0]] + e[1:]))
                continue
            if len(z) == 1 and "，" in z[0][1:-1] and rng.random() < 0.05:  # Chinese split at a comma
                head, _, tail = z[0].partition("，")
                z = [head + "，", tail]
            merged.append((z, e))
        out.append(merged)
        if pos % 10 == 9:
            junk = rng.choice(news)
            out.append([([z], []) for zs, _ in junk for z in zs])
    return out


def flatten(parts):
    """(zh sentences, en sentences, gold beads) of parts laid one after the other."""
    zh, en, gold = [], [], []
    for part in parts:
        for zs, es in part:
            if zs and not es:
                for z in zs:
                    gold.append(Bead((len(zh),), ()))
                    zh.append(z)
                continue
            if es and not zs:
                for e in es:
                    gold.append(Bead((), (len(en),)))
                    en.append(e)
                continue
            gold.append(Bead(tuple(range(len(zh), len(zh) + len(zs))), tuple(range(len(en), len(en) + len(es)))))
            zh += zs
            en += es
    return zh, en, gold


def level_of(zh, en):
    zf, ef, _ = build_features(zh, en)
    return LevelInput(zf.vectors, ef.vectors, zf.lengths, ef.lengths)


def align_beads(zh, en) -> list[Bead]:
    if not zh or not en:
        return [Bead((i,), ()) for i in range(len(zh))] + [Bead((), (j,)) for j in range(len(en))]
    return [Bead(s, t) for s, t in search_path(level_of(zh, en), P.fine_params()).beads]


def in_parts(parts) -> list[Bead]:
    out, dz, de = [], 0, 0
    for part in parts:
        zh, en, _ = flatten([part])
        for b in align_beads(zh, en):
            out.append(Bead(tuple(i + dz for i in b.src), tuple(j + de for j in b.tgt)))
        dz, de = dz + len(zh), de + len(en)
    return out


def f1(gold, test) -> float:
    return score_alignments([gold], [test])["strict"]["f1"]


def report(name: str, parts, full_cells: int) -> None:
    zh, en, gold = flatten(parts)
    t0, c0 = time.perf_counter(), time.process_time()
    level = level_of(zh, en)
    found = search_path(level, P.fine_params())
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    whole = [Bead(s, t) for s, t in found.beads]
    line = (f"{name}: {len(zh)} zh x {len(en)} en  whole F1 {f1(gold, whole):.4f}  parts F1 "
            f"{f1(gold, in_parts(parts)):.4f}  DP runs {found.dp_runs}  corridor {found.corridor_cells / 1e6:.2f}M cells"
            f"  {wall:.1f} s wall {cpu:.1f} s CPU (features + search)")
    if (len(zh) + 1) * (len(en) + 1) <= full_cells:
        # the full DP with the length ratio the search settled on (search.py re-estimates it)
        full = corridor_dp(replace(level, length_ratio=found.length_ratio), P.fine_params(),
                           *full_corridor(len(zh), len(en)))
        differ = len(set(full.beads) ^ set(found.beads)) / max(1, len(full.beads))
        line += f"  beads differing from the full DP {differ:.4f}"
    if found.unconfirmed:
        line += f"  unconfirmed rows {found.unconfirmed[:3]}"
    line += "  " + unpaired_report(gold, whole, level) + "  " + anchor_report(gold, level)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(line + f"  peak RSS so far {rss:.0f} MB", flush=True)


def unpaired_report(gold, found, level) -> str:
    """How many of the gold's stretches of WEAK_RUN+ sentences of one side without counterpart
    the alarms report as unpaired (90% of the stretch inside one warning), and the longest one."""
    scored = [Bead(b.src, b.tgt, 1.0 if b.src and b.tgt else 0.0) for b in found]
    warned = [w for w in find_warnings(scored, level.zh_len, level.en_len, 0.5) if w.kind == "unpaired"]
    runs = []  # (side, first, last)
    for side in ("zh", "en"):
        start = None
        for k, b in enumerate(gold + [Bead((0,), (0,))]):
            mine, other = (b.src, b.tgt) if side == "zh" else (b.tgt, b.src)
            if mine and not other and start is None:
                start = mine[0]
            elif not (mine and not other) and start is not None:
                prev = gold[k - 1].src if side == "zh" else gold[k - 1].tgt
                if prev[-1] - start + 1 >= WEAK_RUN:
                    runs.append((side, start, prev[-1]))
                start = None

    def overlap(side, a, b, w):
        x, y = w.zh if side == "zh" else w.en
        return min(b, y) - max(a, x) + 1

    def hit(side, a, b):
        return any(overlap(side, a, b, w) >= 0.9 * (b - a + 1) for w in warned)

    if not runs:
        return f"unpaired warnings {len(warned)}"
    side, a, b = max(runs, key=lambda r: r[2] - r[1])
    best = max(warned, key=lambda w: overlap(side, a, b, w), default=None)
    got = "none" if best is None else "%s %d-%d" % ((side,) + (best.zh if side == "zh" else best.en))
    return (f"gold one-side stretches of {WEAK_RUN}+ reported {sum(hit(*r) for r in runs)}/{len(runs)} "
            f"(longest {side} {a}-{b}: warning {got})")


def anchor_report(gold, level) -> str:
    """The search's anchors and the share of them that pair sentences of different gold beads."""
    anchors = find_anchors(level.zh, level.en, level.zh_len, level.en_len)
    bead_of_zh = {i: k for k, b in enumerate(gold) for i in b.src}
    bead_of_en = {j: k for k, b in enumerate(gold) for j in b.tgt}
    wrong = sum(bead_of_zh.get(int(i), -1) != bead_of_en.get(int(j), -2) for i, j in anchors)
    return f"anchors {len(anchors)} ({wrong / max(1, len(anchors)):.1%} across gold beads)"


def one_side_missing(parts, start: int, share: float, side: str):
    """The parts with one side of the parts from ``start`` on dropped, up to ``share`` of the Chinese."""
    total = sum(len(z) for part in parts for z, _ in part)
    out, dropped = [], 0
    for k, part in enumerate(parts):
        if k >= start and dropped < share * total:
            drop_en = side == "en"
            out.append([([z], []) for zs, _ in part for z in zs] if drop_en else [([], [e]) for _, es in part for e in es])
            dropped += sum(len(z) for z, _ in part)
        else:
            out.append(part)
    return out


def big_parts(mac, news, size: int, seed: int):
    """Perturbed copies of every part, with repetitive stretches, up to ``size`` Chinese sentences."""
    big = []
    while sum(len(z) for part in big for z, _ in part) < size:
        seed += 1
        r = random.Random(seed)
        for k, part in enumerate(perturb(mac + news, news, r, missing=r.randrange(len(mac)))):
            big.append(part)
            if k % 15 == 7:
                big.append(repetitive(r, 60))
    return big


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--size", type=int, default=30000, help="Chinese sentences of the big document")
    ap.add_argument("--full-cells", type=int, default=16_000_000, help="largest document for the full DP")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default="concat,missing-en,missing-zh,perturbed,repetitive,big")
    args = ap.parse_args()
    data = Path(args.data)
    if not (data / "mac-dev" / "gold").is_dir() or not (data / "news-dev" / "gold").is_dir():
        print(f"no MAC-Dev/news-dev data under {data}; skipping")
        return
    mac, news = load_parts(data / "mac-dev"), load_parts(data / "news-dev")
    rng = random.Random(args.seed)
    only = set(args.only.split(","))
    with one_blas_thread():
        if "concat" in only:
            report("concat", mac + news, args.full_cells)
        for side in ("en", "zh"):  # a third of the text (MAC-Dev's chapters) untranslated / its original missing
            if f"missing-{side}" in only:
                report(f"missing-{side}", one_side_missing(news[:60] + mac + news[60:], 60, 0.3, side), args.full_cells)
        perturbed = perturb(mac + news, news, rng, missing=2)
        if "perturbed" in only:
            report("perturbed", perturbed, args.full_cells)
        mixed = []
        for k, part in enumerate(perturbed):
            mixed.append(part)
            if k % 15 == 7:
                mixed.append(repetitive(rng, 60))
        if "repetitive" in only:
            report("repetitive", mixed, args.full_cells)
        if "big" in only:
            report("big", big_parts(mac, news, args.size, args.seed), args.full_cells)


if __name__ == "__main__":
    main()
