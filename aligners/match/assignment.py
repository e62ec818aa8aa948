"""One-to-one assignment of scored candidate pairs, with a threshold.

Greedy, best score first (competitive linking, Melamed 2000; Buck & Koehn 2016 pair
documents the same way): a pair is taken when neither file is taken yet and its
score reaches the threshold, so a file whose partner is missing stays alone rather
than taking the next best. Ties are broken by the lexical similarity, then by the
files' content keys, never by names or input order.
"""
from __future__ import annotations

from dataclasses import dataclass

from .profile import Profile


@dataclass(frozen=True)
class Scored:
    """A candidate pair (profile indices) with its cosine and its alignment score."""

    zh: int
    en: int
    similarity: float
    score: float


@dataclass(frozen=True)
class Pair:
    zh: int
    en: int
    similarity: float
    score: float


@dataclass(frozen=True)
class Alone:
    """A file left unpaired, its best candidate (profile index or None) and why."""

    file: int
    best: int | None
    similarity: float | None
    score: float | None
    reason: str


@dataclass(frozen=True)
class Matching:
    pairs: tuple[Pair, ...]
    alone: tuple[Alone, ...]
    scores: tuple[float, ...]  # every re-scored candidate's score, for the distribution
    threshold: float


def assign(profiles: list[Profile], scored: list[Scored], threshold: float) -> Matching:
    order = sorted(scored, key=lambda s: (-s.score, -s.similarity, profiles[s.zh].key, profiles[s.en].key))
    partner: dict[int, tuple[int, float]] = {}
    pairs = []
    for s in order:
        if s.score < threshold:
            break
        if s.zh in partner or s.en in partner:
            continue
        partner[s.zh], partner[s.en] = (s.en, s.score), (s.zh, s.score)
        pairs.append(Pair(s.zh, s.en, s.similarity, s.score))
    best: dict[int, Scored] = {}
    for s in order:  # the first one met is the best
        best.setdefault(s.zh, s)
        best.setdefault(s.en, s)
    alone = []
    for i, p in enumerate(profiles):
        if i in partner:
            continue
        if not p.lang:
            alone.append(Alone(i, None, None, None, p.reason))
            continue
        b = best.get(i)
        if b is None:
            alone.append(Alone(i, None, None, None, "no file in the other language shares its heavier words"))
            continue
        other = b.en if b.zh == i else b.zh
        if b.score < threshold:
            reason = f"score {b.score:.2f} < threshold {threshold:.2f}"
        else:
            rival, score = partner[other]
            reason = f"paired with {profiles[rival].shown} ({score:.2f})"
        alone.append(Alone(i, other, b.similarity, b.score, reason))
    pairs.sort(key=lambda m: (profiles[m.zh].file.label, profiles[m.en].file.label))
    return Matching(tuple(pairs), tuple(alone), tuple(sorted(s.score for s in scored)), threshold)
