"""End-to-end alignment quality on MAC-Dev: raw/ document pairs and mixed/ bilingual documents.

The whole document path runs (decode, paragraphs, sentence splitting, language
separation, normalisation, alignment, threshold), then every output segment is
located in the gold sentences of split/ by its letters and digits, so a
splitting error costs what it should: a segment that covers parts of two gold
sentences maps to both, and a bead built on it no longer equals a gold bead.
Paired rows become beads of gold ids (each output pair's text located in the
gold sentences). A second line adds the unpaired segments as null
beads, which Vecalign's scoring counts in precision: there a below-threshold
bead costs one error per sentence instead of none.

    python bench/e2e_macdev.py [--data ../shared/data/mac-dev] [--min-score X] [--no-clause-split]

(``--no-clause-split``: without the alignment-guided splitting of aligners/align/refine.py.)

Prints pooled strict/lax P/R/F1 for raw/ and mixed/, per chapter, and the time, and how
many gold Chinese sentences lie in two or more output pairs (fragments as pair sides,
which the scoring joins back and so does not count).
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time

import regex

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from aligners.align.beads import read_beads  # noqa: E402
from aligners.config import AlignConfig, Config  # noqa: E402
from aligners.align.evaluate import score_alignments  # noqa: E402
from aligners.io.inputs import DocSpec, read_document  # noqa: E402
from aligners.pipeline import process_document  # noqa: E402
from aligners.types import PAIRED, UNPAIRED, Bead  # noqa: E402

DEFAULT_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "mac-dev")
_KEEP = regex.compile(r"[\p{L}\p{N}]+")


def key(text: str) -> str:
    """Letters and digits only, lower-cased: what normalisation never changes."""
    return "".join(_KEEP.findall(text)).lower()


class Locator:
    """Maps a segment's text to the gold sentence ids it covers, scanning forward."""

    def __init__(self, sentences: list[str]):
        self.text = ""
        self.owner: list[int] = []
        for i, s in enumerate(sentences):
            k = key(s)
            self.text += k
            self.owner += [i] * len(k)
        self.pos = 0
        self.missed = 0

    def locate(self, text: str) -> tuple[int, ...]:
        k = key(text)
        if not k:
            return ()
        at = self.text.find(k, self.pos)
        if at < 0:
            at = self.text.find(k)  # out of order (rare); search from the start
        if at < 0:
            self.missed += 1
            return ()
        self.pos = at + len(k)
        return tuple(sorted(set(self.owner[at:at + len(k)])))


def beads_from_result(result, zh_sents, en_sents, with_nulls: bool = False) -> tuple[list[Bead], int]:
    """Output pairs and unpaired segments as beads over gold sentence ids."""
    loc = {"zh": Locator(zh_sents), "en": Locator(en_sents)}
    ids = {}
    for s in sorted(result.segments, key=lambda s: s.seg_id):
        if s.lang in loc and s.status in (PAIRED, UNPAIRED):
            ids[s.seg_id] = loc[s.lang].locate(s.text)
    beads = []
    used = set()
    for row in result.rows:
        zh = tuple(sorted({i for sid in row.zh_ids for i in ids.get(sid, ())}))
        en = tuple(sorted({i for sid in row.en_ids for i in ids.get(sid, ())}))
        beads.append(Bead(zh, en, row.score))
        used.update(row.zh_ids + row.en_ids)
    for s in result.segments if with_nulls else ():
        if s.status == UNPAIRED and s.seg_id not in used and ids.get(s.seg_id):
            side = ids[s.seg_id]
            beads.append(Bead(side, ()) if s.lang == "zh" else Bead((), side))
    return merge_shared(beads), loc["zh"].missed + loc["en"].missed


def split_across_pairs(result, zh_sents) -> int:
    """Gold Chinese sentences whose text lies in two or more output pairs: each such
    pair holds a fragment of a Chinese sentence (``merge_shared`` joins them back for
    scoring, so strict F1 does not see them)."""
    loc = Locator(zh_sents)
    ids = {s.seg_id: loc.locate(s.text) for s in sorted(result.segments, key=lambda s: s.seg_id)
           if s.lang == "zh" and s.status in (PAIRED, UNPAIRED)}
    rows_of: dict[int, int] = {}
    for row in result.rows:
        for i in {i for sid in row.zh_ids for i in ids.get(sid, ())}:
            rows_of[i] = rows_of.get(i, 0) + 1
    return sum(1 for n in rows_of.values() if n > 1)


def merge_shared(beads: list[Bead]) -> list[Bead]:
    """Beads that share a gold sentence become one: a segment straddling two gold
    sentences, or two segments of one gold sentence paired apart, put a gold id in two
    output pairs, and as a whole those pairs cover it (a gold sentence lies in one bead,
    which the scorer checks). The merged bead keeps the lowest score."""
    out: list[Bead] = []
    owner: dict[tuple[int, int], int] = {}  # (side, gold id) -> index in out
    for b in beads:
        hit = sorted({owner[(side, i)] for side, ids in ((0, b.src), (1, b.tgt)) for i in ids if (side, i) in owner})
        if not hit:
            k = len(out)
            out.append(b)
        else:
            k = hit[0]
            parts = [out[j] for j in hit] + [b]
            out[k] = Bead(tuple(sorted({i for p in parts for i in p.src})),
                          tuple(sorted({i for p in parts for i in p.tgt})), min(p.score for p in parts))
            for j in reversed(hit[1:]):
                out[j] = None  # absorbed; removed below
        for side, ids in ((0, out[k].src), (1, out[k].tgt)):
            for i in ids:
                owner[(side, i)] = k
    return [b for b in out if b is not None]


def chapter_specs(data: str, mode: str):
    """(chapter, gold zh sentences, gold en sentences, DocSpec of the raw/ pair or mixed/ file) per chapter."""
    chapters = sorted(f[:-6] for f in os.listdir(os.path.join(data, "gold")) if f.endswith(".align"))
    for ch in chapters:
        zh_s = read_lines(os.path.join(data, "split", f"{ch}.zh"))
        en_s = read_lines(os.path.join(data, "split", f"{ch}.en"))
        if mode == "raw":
            spec = DocSpec(ch, "pair", (os.path.join(data, "raw", f"{ch}.zh.txt"),
                                        os.path.join(data, "raw", f"{ch}.en.txt")))
        else:
            spec = DocSpec(ch, "mixed", (os.path.join(data, "mixed", f"{ch}.txt"),))
        yield ch, zh_s, en_s, spec


def read_lines(path):
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in fh]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--min-score", type=float, default=None)
    ap.add_argument("--no-clause-split", action="store_true", help="[align] split_clauses = false")
    args = ap.parse_args()
    if not os.path.isdir(args.data):
        sys.exit(f"no MAC-Dev data at {args.data}")
    align = AlignConfig(split_clauses=not args.no_clause_split)
    if args.min_score is not None:
        align = dataclasses.replace(align, min_score=args.min_score)
    config = Config(align=align)
    print(f"config {config.signature()}  min_score {config.align.min_score}")
    for mode in ("raw", "mixed"):
        gold_all, test_all, null_all, missed, split, t0 = [], [], [], 0, 0, time.perf_counter()
        for ch, zh_s, en_s, spec in chapter_specs(args.data, mode):
            result = process_document(read_document(spec), config)
            test, m = beads_from_result(result, zh_s, en_s)
            split += split_across_pairs(result, zh_s)
            null_all.append(beads_from_result(result, zh_s, en_s, with_nulls=True)[0])
            gold = read_beads(os.path.join(args.data, "gold", f"{ch}.align"))
            one = score_alignments([gold], [test])
            print(f"  {mode:<5} {ch}  strict F1 {one['strict']['f1']:.4f}  lax F1 {one['lax']['f1']:.4f}  "
                  f"pairs {len(result.rows)}  segments not located {m}")
            gold_all.append(gold)
            test_all.append(test)
            missed += m
        s = score_alignments(gold_all, test_all)
        seconds = time.perf_counter() - t0
        print(f"{mode:<5} pooled  strict P {s['strict']['precision']:.4f} R {s['strict']['recall']:.4f} "
              f"F1 {s['strict']['f1']:.4f} | lax P {s['lax']['precision']:.4f} R {s['lax']['recall']:.4f} "
              f"F1 {s['lax']['f1']:.4f} | {seconds:.1f} s | segments not located {missed} | "
              f"gold Chinese sentences split across pairs {split}")
        n = score_alignments(gold_all, null_all)
        print(f"{mode:<5} pooled, unpaired as null beads: strict F1 {n['strict']['f1']:.4f} "
              f"lax F1 {n['lax']['f1']:.4f}")


if __name__ == "__main__":
    main()
