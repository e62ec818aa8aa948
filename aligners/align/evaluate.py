"""Alignment quality against gold beads (Sennrich & Volk 2010, as in Vecalign's score.py).

* strict: a test bead counts if a gold bead has exactly the same two sides.
* lax: a test bead counts if some gold bead overlaps it on both sides (shares at least
  one Chinese and one English id); recall is the same with the roles swapped.
* Null beads (one side empty) follow Vecalign's score.py, which is not symmetric:
  recall is computed over gold beads with both sides non-empty, matched against test
  beads with both sides non-empty; precision is computed over every test bead (only a
  bead empty on both sides is skipped), against every gold bead. So a test ``[5]:[]``
  counts as correct (strict and lax) only if the gold has exactly ``[5]:[]``, and
  otherwise as an error in both, since an empty side overlaps nothing.

Counts are pooled over documents (micro-average), then P, R, F1 computed once.

Both files are checked first (``check_beads``, ``check_against_gold``): a sentence in
two beads (so a repeated bead too), a test id beyond the gold's sentences, or a
non-finite score makes the scores meaningless, and is refused with a ValueError.
"""
from __future__ import annotations

import math
from typing import Sequence

from aligners.types import Bead


def _key(b: Bead) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple(b.src), tuple(b.tgt)


def _non_null(beads: Sequence[Bead]) -> list[Bead]:
    return [b for b in beads if b.src and b.tgt]


def _lax_hits(these: Sequence[Bead], others: Sequence[Bead]) -> int:
    """How many beads of ``these`` overlap some bead of ``others`` on both sides."""
    by_src: dict[int, list[int]] = {}
    tgt_sets = [set(o.tgt) for o in others]
    for k, o in enumerate(others):
        for s in o.src:
            by_src.setdefault(s, []).append(k)
    hits = 0
    for b in these:
        tgt = set(b.tgt)
        cands = {k for s in b.src for k in by_src.get(s, ())}
        if any(tgt & tgt_sets[k] for k in cands):
            hits += 1
    return hits


def _prf(hit_p: int, n_test: int, hit_r: int, n_gold: int) -> dict:
    p = hit_p / n_test if n_test else 0.0
    r = hit_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def check_beads(beads: Sequence[Bead], what: str) -> None:
    """Refuse a sentence in two beads (or twice in one) and non-finite scores."""
    for side, name in ((0, "Chinese"), (1, "English")):
        seen: dict[int, int] = {}
        for n, b in enumerate(beads, 1):
            for i in (b.src, b.tgt)[side]:
                if i in seen:
                    where = f"beads {seen[i]} and {n}" if seen[i] != n else f"bead {n} twice"
                    raise ValueError(f"{what}: {name} sentence {i} is in {where}; each sentence belongs to one bead")
                seen[i] = n
    for n, b in enumerate(beads, 1):
        if not math.isfinite(b.score):
            raise ValueError(f"{what}: bead {n} has score {b.score}, not a finite number")


def check_against_gold(gold: Sequence[Bead], test: Sequence[Bead], what: str) -> None:
    """Refuse test ids beyond the sentences the gold file has on that side."""
    for side, name in ((0, "Chinese"), (1, "English")):
        gold_ids = [i for b in gold for i in (b.src, b.tgt)[side]]
        if not gold_ids:
            continue
        top = max(gold_ids)
        for n, b in enumerate(test, 1):
            bad = [i for i in (b.src, b.tgt)[side] if i > top]
            if bad:
                raise ValueError(f"{what}: bead {n} has {name} id {bad[0]}, beyond the gold's sentences 0-{top}")


def score_alignments(gold: Sequence[Sequence[Bead]], test: Sequence[Sequence[Bead]],
                     names: Sequence[str] | None = None) -> dict:
    """Pooled strict and lax precision/recall/F1 over documents (gold[k] pairs with test[k]).

    ``names``: one label per document for the error messages (default: its number)."""
    if len(gold) != len(test):
        raise ValueError(f"{len(gold)} gold documents but {len(test)} test documents")
    names = list(names) if names is not None else [f"document {k + 1}" for k in range(len(gold))]
    for name, g_doc, t_doc in zip(names, gold, test):
        check_beads(g_doc, f"gold {name}")
        check_beads(t_doc, f"test {name}")
        check_against_gold(g_doc, t_doc, f"test {name}")
    strict_hits_p = strict_hits_r = lax_p = lax_r = n_gold = n_test = 0
    for g_doc, t_doc in zip(gold, test):
        t_all = [b for b in t_doc if b.src or b.tgt]
        gold_keys = {_key(b) for b in g_doc}
        strict_p = sum(1 for b in t_all if _key(b) in gold_keys)
        strict_hits_p += strict_p
        lax_p += strict_p + _lax_hits([b for b in t_all if _key(b) not in gold_keys], g_doc)
        n_test += len(t_all)
        g, t = _non_null(g_doc), _non_null(t_doc)
        test_keys = {_key(b) for b in t}
        strict_r = sum(1 for b in g if _key(b) in test_keys)
        strict_hits_r += strict_r
        lax_r += _lax_hits(g, t)
        n_gold += len(g)
    return {
        "strict": _prf(strict_hits_p, n_test, strict_hits_r, n_gold),
        "lax": _prf(lax_p, n_test, lax_r, n_gold),
        "documents": len(gold),
        "gold_beads": n_gold,  # with both sides non-empty (the recall denominator)
        "test_beads": n_test,  # all but empty-empty (the precision denominator)
        "counts": {"strict_p": strict_hits_p, "strict_r": strict_hits_r, "lax_p": lax_p, "lax_r": lax_r},
    }
