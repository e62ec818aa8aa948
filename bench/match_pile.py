"""Pairing the files of a pile by content: quality per part size, partnerless files, scale.

MAC-Dev chapters and news-dev documents (split/ sentences, gold beads) are cut into
parts of 5, 15 and 40 consecutive gold beads; each part's two sides are written as
files with random names (one paragraph each, as in raw/). Some parts lose one side
(the other is then partnerless), and partnerless files from elsewhere are added:
sides of parts of a held-out MAC-Dev chapter and of held-out news documents, never
both sides of one part. Then

* pairing precision, recall and F1 against the parts (a pair is right when both
  files are the two sides of one part), and how many partnerless files got paired;
* the end-to-end corpus (the pipeline run on the matched documents) against the same
  parts given as name pairs: strict F1 of the corpus rows against the gold beads;
* ``--scale``: time and peak memory of the matching at 100, 1,000, 10,000 files, on
  documents of 5 gold beads drawn at random from both dev sets (so a bead recurs in
  several documents at 10,000 files), a tenth of them without their partner. Above
  ``--sample-above`` files only 1,000 candidates are re-scored (the time of all is
  estimated from theirs) and the figure is how many partners are among the candidates.

    nice -n 10 .venv/bin/python bench/match_pile.py [--sizes 5 15 40] [--e2e]
        [--scale 100 1000 10000] [--data ../shared/data]
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligners.align.beads import read_beads  # noqa: E402
from aligners.align.evaluate import score_alignments  # noqa: E402
from aligners.config import Config  # noqa: E402
from aligners.io.inputs import DocSpec, read_document  # noqa: E402
from aligners.match import pile as M  # noqa: E402
from aligners.match.candidates import merge_candidates, query_ranges  # noqa: E402
from aligners.match.profile import PileFile  # noqa: E402
from aligners.pipeline import process_document  # noqa: E402
from aligners.types import Bead  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
HELD_OUT_CHAPTER = "006"  # its parts are partnerless files "from elsewhere" (another book)
HELD_OUT_NEWS = 5  # every 5th news document too
WIDOWS = 0.1  # share of the pile's parts that lose one side


@dataclass(frozen=True)
class Part:
    name: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    beads: tuple[Bead, ...]  # over the part's own sentence ids


def load(data: Path) -> tuple[list, list]:
    """(MAC-Dev chapters, news documents) as (name, zh sentences, en sentences, gold beads)."""
    out = []
    for sub in ("mac-dev", "news-dev"):
        docs = []
        for gold in sorted((data / sub / "gold").glob("*.align")):
            split = data / sub / "split"
            zh = (split / f"{gold.stem}.zh").read_text(encoding="utf-8").splitlines()
            en = (split / f"{gold.stem}.en").read_text(encoding="utf-8").splitlines()
            docs.append((gold.stem, zh, en, read_beads(gold)))
        out.append(docs)
    return out[0], out[1]


def part_of(name: str, zh, en, beads) -> Part:
    zi = [i for b in beads for i in b.src]
    ei = [j for b in beads for j in b.tgt]
    zmap, emap = {i: k for k, i in enumerate(zi)}, {j: k for k, j in enumerate(ei)}
    local = tuple(Bead(tuple(zmap[i] for i in b.src), tuple(emap[j] for j in b.tgt)) for b in beads)
    return Part(name, tuple(zh[i] for i in zi), tuple(en[j] for j in ei), local)


def cut(docs, k: int) -> list[Part]:
    """Consecutive parts of k gold beads (a shorter remainder is dropped)."""
    return [part_of(f"{name}@{a}", zh, en, beads[a:a + k])
            for name, zh, en, beads in docs for a in range(0, len(beads) - k + 1, k)]


@dataclass
class Pile:
    files: list[PileFile]
    truth: dict  # path -> (part index, "zh" | "en")
    parts: list[Part]
    partnerless: set  # paths


def write_pile(folder: str, parts: list[Part], outsiders: list[Part], rng: random.Random) -> Pile:
    """Both sides of each part as randomly named files, except widows; one side of each outsider."""
    files, truth, lonely = [], {}, set()
    everything = parts + outsiders
    widows = set(rng.sample(range(len(parts)), round(WIDOWS * len(parts))))
    for n, part in enumerate(everything):
        if n < len(parts):
            sides = ("zh", "en") if n not in widows else (rng.choice(("zh", "en")),)
        else:
            sides = ("zh",) if (n - len(parts)) % 2 == 0 else ("en",)
        for side in sides:
            name = "%012x" % rng.getrandbits(48)
            path = os.path.join(folder, name + ".txt")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(("" if side == "zh" else " ").join(getattr(part, side)) + "\n")  # one paragraph, as raw/
            files.append(PileFile(path, name))
            truth[path] = (n, side)
            if len(sides) == 1:
                lonely.add(path)
    rng.shuffle(files)
    return Pile(files, truth, everything, lonely)


def pairing_scores(pile: Pile, profiles, matching) -> dict:
    gold = sum(1 for n in range(len(pile.parts)) if sum(1 for v in pile.truth.values() if v[0] == n) == 2)
    pairs = [(profiles[m.zh].file.path, profiles[m.en].file.path) for m in matching.pairs]
    right = sum(1 for z, e in pairs if pile.truth[z][0] == pile.truth[e][0])
    lonely = sum(1 for z, e in pairs for p in (z, e) if p in pile.partnerless)
    p = right / len(pairs) if pairs else 0.0
    r = right / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"gold": gold, "found": len(pairs), "right": right, "P": p, "R": r, "F1": f,
            "partnerless": len(pile.partnerless), "partnerless_paired": lonely}


def timed_match(files, config, sample: int = 0):
    """match_files step by step, with the seconds of each step. With ``sample``, only that
    many candidates (a seeded random choice) are re-scored, and the re-scoring time of all
    is estimated from theirs; nothing is assigned then."""
    t, seconds = time.perf_counter(), {}
    profiles = M.profile_files(files, config)
    seconds["profile"], t = time.perf_counter() - t, time.perf_counter()
    index = M.index_profiles(profiles, config)
    seconds["index"], t = time.perf_counter() - t, time.perf_counter()
    candidates = merge_candidates(M.candidates_for(index, side, a, b, config)
                                  for side, a, b in query_ranges(index, 1000))
    seconds["candidates"], t = time.perf_counter() - t, time.perf_counter()
    if sample and sample < len(candidates):
        M.rescore_candidates(profiles, random.Random(0).sample(candidates, sample), config)
        seconds["rescore (estimated from a sample)"] = (time.perf_counter() - t) * len(candidates) / sample
        return profiles, candidates, seconds, len(candidates)
    scored = M.rescore_candidates(profiles, candidates, config)
    seconds["rescore"], t = time.perf_counter() - t, time.perf_counter()
    matching = M.assign(profiles, scored, config.match.threshold)
    seconds["assign"] = time.perf_counter() - t
    return profiles, matching, seconds, len(candidates)


def corpus_f1(pile: Pile, specs: list[DocSpec], config: Config) -> dict:
    """Strict/lax F1 of the pipeline's rows on ``specs`` against the gold beads of the two-sided parts."""
    from e2e_macdev import Locator

    zh_base, en_base, gold = {}, {}, []
    zb = eb = 0
    for n, part in enumerate(pile.parts):
        zh_base[n], en_base[n] = zb, eb
        zb, eb = zb + len(part.zh), eb + len(part.en)
        if sum(1 for v in pile.truth.values() if v[0] == n) == 2:
            gold += [Bead(tuple(zh_base[n] + i for i in b.src), tuple(en_base[n] + j for j in b.tgt))
                     for b in part.beads]
        else:  # a side without partner: its sentences are gold null beads (no row should pair them)
            gold += [Bead((zh_base[n] + i,), ()) for i in range(len(part.zh))]
            gold += [Bead((), (en_base[n] + j,)) for j in range(len(part.en))]
    test, used_zh, used_en = [], set(), set()
    for spec in specs:
        if spec.kind != "pair":
            continue
        (pz, _), (pe, _) = pile.truth[spec.paths[0]], pile.truth[spec.paths[1]]
        result = process_document(read_document(spec, config.decode), config)
        loc = {"zh": Locator(list(pile.parts[pz].zh)), "en": Locator(list(pile.parts[pe].en))}
        ids = {s.seg_id: loc[s.lang].locate(s.text) for s in result.segments if s.lang in loc}
        for row in result.rows:  # a gold sentence that two rows' segments map to counts in the first only
            z = tuple(sorted({zh_base[pz] + i for sid in row.zh_ids for i in ids.get(sid, ())} - used_zh))
            e = tuple(sorted({en_base[pe] + j for sid in row.en_ids for j in ids.get(sid, ())} - used_en))
            used_zh.update(z)
            used_en.update(e)
            test.append(Bead(z, e))
    res = score_alignments([gold], [test])
    return {"strict": res["strict"]["f1"], "lax": res["lax"]["f1"]}


def name_specs(pile: Pile) -> list[DocSpec]:
    by_part: dict[int, dict[str, str]] = {}
    for path, (n, side) in pile.truth.items():
        by_part.setdefault(n, {})[side] = path
    return [DocSpec(f"p{n}", "pair", (s["zh"], s["en"])) for n, s in sorted(by_part.items()) if len(s) == 2]


def quality(data: Path, sizes, e2e: bool, config: Config, seed: int) -> None:
    mac, news = load(data)
    for k in sizes:
        rng = random.Random(seed * 1000 + k)
        pile_docs = [d for d in mac if d[0] != HELD_OUT_CHAPTER] + [d for i, d in enumerate(news) if i % HELD_OUT_NEWS]
        away = [d for d in mac if d[0] == HELD_OUT_CHAPTER] + [d for i, d in enumerate(news) if not i % HELD_OUT_NEWS]
        parts, outsiders = cut(pile_docs, k), cut(away, k)
        with tempfile.TemporaryDirectory() as tmp:
            pile = write_pile(tmp, parts, outsiders, rng)
            profiles, matching, seconds, n_cand = timed_match(pile.files, config)
            s = pairing_scores(pile, profiles, matching)
            print(f"parts of {k:>2} beads: {len(pile.files)} files, {s['gold']} pairs to find; "
                  f"found {s['found']}, right {s['right']}: P {s['P']:.3f} R {s['R']:.3f} F1 {s['F1']:.3f}; "
                  f"partnerless paired {s['partnerless_paired']}/{s['partnerless']}; "
                  f"{n_cand} candidates re-scored; {sum(seconds.values()):.1f} s")
            wrong = [m for m in matching.pairs if pile.truth[profiles[m.zh].file.path][0] != pile.truth[profiles[m.en].file.path][0]]
            for m in wrong[:5]:
                print(f"    wrong pair: score {m.score:.2f} cos {m.similarity:.3f}")
            right_scores = sorted(m.score for m in matching.pairs if m not in wrong)
            if right_scores:
                print(f"    right pairs' scores: min {right_scores[0]:.2f}, 5th percentile "
                      f"{right_scores[len(right_scores) // 20]:.2f}")
            lonely = sorted((a.score or 0.0) for a in matching.alone if profiles[a.file].file.path in pile.partnerless)
            if lonely:
                print(f"    partnerless files' best scores: max {lonely[-1]:.2f}, 95th percentile {lonely[int(0.95 * (len(lonely) - 1))]:.2f}")
            if e2e:
                specs, _ = M.matched_specs([], profiles, matching)
                got, ref = corpus_f1(pile, specs, config), corpus_f1(pile, name_specs(pile), config)
                print(f"    corpus strict F1: matched pile {got['strict']:.4f}, name pairs {ref['strict']:.4f} "
                      f"(lax {got['lax']:.4f} / {ref['lax']:.4f})")


def candidate_recall(pile: Pile, profiles, candidates) -> float:
    """Share of the pairs to find that are among the candidates (what re-scoring can recover)."""
    paths = {(profiles[c.zh].file.path, profiles[c.en].file.path) for c in candidates}
    by_part: dict[int, dict[str, str]] = {}
    for path, (n, side) in pile.truth.items():
        by_part.setdefault(n, {})[side] = path
    pairs = [(s["zh"], s["en"]) for s in by_part.values() if len(s) == 2]
    return sum(1 for p in pairs if p in paths) / max(1, len(pairs))


def scale(data: Path, counts, config: Config, seed: int, sample_above: int) -> None:
    mac, news = load(data)
    beads = [(zh, en, b) for _, zh, en, bs in mac + news for b in bs]
    for n_files in counts:
        rng = random.Random(seed + n_files)
        n_parts = round(n_files / (2 - WIDOWS))
        parts = []
        for n in range(n_parts):
            picked = rng.sample(range(len(beads)), 5)
            zh = tuple(beads[i][0][x] for i in picked for x in beads[i][2].src)
            en = tuple(beads[i][1][x] for i in picked for x in beads[i][2].tgt)
            parts.append(Part(f"r{n}", zh, en, ()))
        with tempfile.TemporaryDirectory() as tmp:
            pile = write_pile(tmp, parts, [], rng)
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            sample = 1000 if len(pile.files) > sample_above else 0
            profiles, matching, seconds, n_cand = timed_match(pile.files, config, sample)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            steps = ", ".join(f"{k} {v:.1f}" for k, v in seconds.items())
            if sample:
                quality_ = f"partners among the candidates {candidate_recall(pile, profiles, matching):.3f}"
            else:
                s = pairing_scores(pile, profiles, matching)
                quality_ = (f"P {s['P']:.3f} R {s['R']:.3f} F1 {s['F1']:.3f}, "
                            f"partnerless paired {s['partnerless_paired']}/{s['partnerless']}")
            print(f"{len(pile.files):>6} files: {sum(seconds.values()):7.1f} s ({steps}); {n_cand} candidates "
                  f"({n_cand / len(pile.files):.2f} per file); peak RSS {peak / 1024:.0f} MB "
                  f"(+{(peak - before) / 1024:.0f}); {quality_}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[5, 15, 40])
    ap.add_argument("--e2e", action="store_true", help="also the corpus F1 of the matched pile vs name pairs")
    ap.add_argument("--scale", type=int, nargs="*", default=[], help="pile sizes (files) to time")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sample-above", type=int, default=2000,
                    help="in larger scale piles, re-score 1,000 candidates and estimate the rest (keeps the run short)")
    ap.add_argument("--data", type=Path, default=DATA, help="folder holding mac-dev/ and news-dev/")
    args = ap.parse_args()
    if not (args.data / "mac-dev" / "gold").is_dir():
        print(f"no dev data at {args.data}; skipping")
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    config = Config()
    print(f"load {open('/proc/loadavg').read().split()[0]}")
    quality(args.data, args.sizes, args.e2e, config, args.seed)
    if args.scale:
        scale(args.data, args.scale, config, args.seed, args.sample_above)


if __name__ == "__main__":
    main()
