"""End-to-end alignment quality on news-dev: headline + running-text document pairs.

news-dev holds, per document, ``raw/NAME.zh.txt`` and ``raw/NAME.en.txt`` (a headline
paragraph, then the body as running text), ``split/NAME.zh``/``.en`` (one gold unit
per line; a unit may hold two sentences), ``gold/NAME.align`` (1-1 beads over those
lines) and ``raw-tw/NAME.zh.txt``, a Traditional Chinese translation of the same
documents made independently (its sentences do not map line by line onto split/).

Three figures, pooled over documents:

- **pre-split**: the aligner on split/ directly (gold units in, no splitting or
  language separation), scored against gold/;
- **raw/ end to end**: the whole document path (decode, paragraphs, sentences,
  language separation, normalisation, alignment, threshold), every output segment
  located in the gold units by its letters and digits (as bench/e2e_macdev.py
  does), so a segment that straddles two units or a fragment of one costs a bead;
- **raw-tw/ end to end** with ``to_simplified`` (and without, for comparison): no gold exists for the Traditional
  sentences, so this one is scored on the English side only: an output pair is
  right when its English side is exactly the English of one gold bead and it has a
  Chinese side (``en-side``). The same en-side figure is printed for raw/ beside it,
  to compare like with like.

    python bench/e2e_news.py [--data ../shared/data/news-dev] [--only raw|tw|presplit] [--no-clause-split]
        [--merges N]

(``--no-clause-split``: without the alignment-guided splitting of aligners/align/refine.py.
``--merges N``: for raw/, every boundary between two gold beads that lies inside one output
pair, counted by how each side's unit before it ends (a final mark, a comma, another
clause mark, none) and by the sides that ran the two units together, with up to N
examples per kind.)

Also prints how many Chinese segments of the .zh.txt files came out as English and
how many paired Chinese sides outside the headline have no final mark (a fragment, or a
byline).
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import regex

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from aligners.align import align_sentences  # noqa: E402
from aligners.align.beads import read_beads  # noqa: E402
from aligners.align.evaluate import score_alignments  # noqa: E402
from aligners.config import AlignConfig, Config, DecodeConfig  # noqa: E402
from aligners.io.inputs import DocSpec, read_document  # noqa: E402
from aligners.pipeline import process_document  # noqa: E402
from e2e_macdev import Locator, beads_from_result, read_lines  # noqa: E402

DEFAULT_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "news-dev")
_SENTENCE_END = regex.compile(r"[。！？!?…\.”」』\"’）)]$")


def documents(data: str):
    for f in sorted(os.listdir(os.path.join(data, "gold"))):
        if f.endswith(".align"):
            name = f[: -len(".align")]
            yield (name, read_lines(os.path.join(data, "split", f"{name}.zh")),
                   read_lines(os.path.join(data, "split", f"{name}.en")),
                   read_beads(os.path.join(data, "gold", f"{name}.align")))


def en_sides(result, en_sents) -> list[tuple[int, ...]]:
    """The English side of every output pair, located in the gold units."""
    loc = Locator(en_sents)
    ids = {s.seg_id: loc.locate(s.text) for s in sorted(result.segments, key=lambda s: s.seg_id) if s.lang == "en"}
    return [tuple(sorted({i for sid in row.en_ids for i in ids.get(sid, ())})) for row in result.rows if row.zh_ids]


def en_side_counts(gold, sides) -> tuple[int, int, int]:
    """(pairs whose English side is exactly one gold bead's, output pairs, gold beads)."""
    gold_sides = {tuple(b.tgt) for b in gold if b.src and b.tgt}
    return len(gold_sides & set(sides)), len(sides), len(gold_sides)


def prf(hits: int, n_test: int, n_gold: int) -> tuple[float, float, float]:
    p, r = hits / max(n_test, 1), hits / max(n_gold, 1)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def side_checks(result) -> tuple[int, int]:
    """(segments of the .zh.txt judged English, rows whose Chinese side has no final mark
    outside the headline: a fragment, or a byline or caption)."""
    english_in_zh = sum(1 for s in result.segments if s.source == 0 and s.lang == "en")
    by_id = {s.seg_id: s for s in result.segments}
    fragments = 0
    for row in result.rows:
        last = by_id[row.zh_ids[-1]] if row.zh_ids else None
        if last is not None and last.paragraph > 0 and not _SENTENCE_END.search(last.text):
            fragments += 1  # paragraph 0 is the headline, which has no final mark
    return english_in_zh, fragments


_COMMA_END = regex.compile(r"[，,、][”’」』\"']*$")
_CLAUSE_END = regex.compile(r"[；;：:—–-][”’」』\"']*$")


def ending(unit: str) -> str:
    """How a gold unit ends: "final" (a sentence mark, closing quotes after it allowed),
    "comma", "clause" (； ： or a dash) or "none"."""
    unit = unit.rstrip()
    if _SENTENCE_END.search(unit):
        return "final"
    if _COMMA_END.search(unit):
        return "comma"
    return "clause" if _CLAUSE_END.search(unit) else "none"


def merged_boundaries(gold, test, zh_s, en_s) -> list[tuple[str, str, str, str]]:
    """(zh ending, en ending, sides merged, example) for every boundary between two
    consecutive paired gold beads that lies inside one output pair that is not a gold
    bead: the units before it end as ``ending`` says; "zh", "en" or "both" sides of the
    output ran the two units together."""
    gold_pairs = {(tuple(b.src), tuple(b.tgt)) for b in gold}
    side_of = {}  # (side, unit) -> the wrong output bead holding it
    for k, b in enumerate(test):
        if b.src and b.tgt and (tuple(b.src), tuple(b.tgt)) not in gold_pairs:
            side_of.update({("zh", i): k for i in b.src})
            side_of.update({("en", j): k for j in b.tgt})
    paired = [b for b in gold if b.src and b.tgt]
    out = []
    for a, b in zip(paired, paired[1:]):
        zh = side_of.get(("zh", a.src[-1])) is not None and side_of.get(("zh", a.src[-1])) == side_of.get(("zh", b.src[0]))
        en = side_of.get(("en", a.tgt[-1])) is not None and side_of.get(("en", a.tgt[-1])) == side_of.get(("en", b.tgt[0]))
        if zh or en:
            z, e = zh_s[a.src[-1]], en_s[a.tgt[-1]]
            out.append((ending(z), ending(e), "both" if zh and en else "zh" if zh else "en",
                        f"{z[-24:]} | {zh_s[b.src[0]][:12]}  //  {e[-40:]} | {en_s[b.tgt[0]][:20]}"))
    return out


def print_merges(merges, examples: int) -> None:
    counts: dict[tuple[str, str, str], list[str]] = {}
    for z, e, sides, example in merges:
        counts.setdefault((z, e, sides), []).append(example)
    print(f"raw/    gold boundaries inside one output pair: {len(merges)}  (zh unit ends, en unit ends, sides merged)")
    for key, found in sorted(counts.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"  {len(found):3d}  zh {key[0]:<6} en {key[1]:<6} merged on {key[2]}")
        for example in found[:examples]:
            print(f"         {example}")


def run_e2e(data: str, folder: str, config: Config, docs, merges_shown: int | None = None) -> None:
    golds, tests, en_counts = [], [], [0, 0, 0]
    merges = []
    missed = english_in_zh = fragments = 0
    t0 = time.perf_counter()
    for name, zh_s, en_s, gold in docs:
        spec = DocSpec(name, "pair", (os.path.join(data, folder, f"{name}.zh.txt"),
                                      os.path.join(data, "raw", f"{name}.en.txt")))
        result = process_document(read_document(spec, config.decode), config)
        e, f = side_checks(result)
        english_in_zh += e
        fragments += f
        en_counts = [a + b for a, b in zip(en_counts, en_side_counts(gold, en_sides(result, en_s)))]
        if folder == "raw":
            test, m = beads_from_result(result, zh_s, en_s)
            missed += m
            golds.append(gold)
            tests.append(test)
            merges += merged_boundaries(gold, test, zh_s, en_s)
            one = score_alignments([gold], [test])["strict"]["f1"]
            if one < 0.9:
                print(f"  {folder} {name}: strict F1 {one:.3f}")
    seconds = time.perf_counter() - t0
    if folder == "raw":
        s = score_alignments(golds, tests)["strict"]
        print(f"raw/    end to end  strict P {s['precision']:.4f} R {s['recall']:.4f} F1 {s['f1']:.4f}"
              f"  | segments not located {missed}")
        if merges_shown is not None:
            print_merges(merges, merges_shown)
    p, r, f = prf(*en_counts)
    print(f"{folder + '/':<7} end to end  en-side strict P {p:.4f} R {r:.4f} F1 {f:.4f}"
          f"  | .zh.txt segments judged English {english_in_zh} | paired Chinese sides with no final mark {fragments}"
          f" | {seconds:.1f} s")


def run_presplit(docs) -> None:
    golds, tests = [], []
    for name, zh_s, en_s, gold in docs:
        golds.append(gold)
        tests.append(align_sentences(zh_s, en_s))
    s = score_alignments(golds, tests)["strict"]
    print(f"split/  pre-split   strict P {s['precision']:.4f} R {s['recall']:.4f} F1 {s['f1']:.4f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--only", choices=("raw", "tw", "presplit"))
    ap.add_argument("--no-clause-split", action="store_true", help="[align] split_clauses = false")
    ap.add_argument("--merges", type=int, metavar="N", help="raw/: merged gold boundaries by kind, N examples each")
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(args.data, "gold")):
        sys.exit(f"no news-dev data at {args.data}")
    docs = list(documents(args.data))
    config = Config(align=AlignConfig(split_clauses=not args.no_clause_split))
    print(f"{len(docs)} documents, {sum(len(g) for *_, g in docs)} gold beads; config {config.signature()}")
    if args.only in (None, "presplit"):
        run_presplit(docs)
    if args.only in (None, "raw"):
        run_e2e(args.data, "raw", config, docs, args.merges)
    if args.only in (None, "tw"):
        for to_simplified in (True, False):
            print(f"raw-tw/ to_simplified={to_simplified}:")
            tw = Config(decode=DecodeConfig(to_simplified=to_simplified), text=config.text, align=config.align)
            run_e2e(args.data, "raw-tw", tw, docs)


if __name__ == "__main__":
    main()
