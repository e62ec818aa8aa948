"""Alignment-guided sentence splitting: a sentence cut at clause marks where the other
side of its bead has two or more sentences that its clauses translate one by one.

Translators join and split sentences: an English ``A. B.`` becomes ``甲，乙。`` (or the
reverse), and no sentence splitter can see that boundary from one side alone. The
aligner then makes a 1-2 bead, where the reference (and a reader) wants two 1-1 pairs.
After the document is aligned, every bead with one sentence on one side and k = 2..4
on the other is re-examined, after the divisive splitting of aligned chunks at
punctuation by Deng, Kumar & Byrne (2007, "Segmentation and alignment of parallel text
for statistical machine translation"): the single sentence is cut at k - 1 of its
clause boundaries (``clause_cuts``) into k pieces paired in order with the k sentences,
where the aligner's own bead cost (dp.py: lexical cosine, Gale-Church length term) of
those one-to-one beads is lowest. The split is kept when each of its beads scores
higher than the merged bead did by the aligner's confidence model (confidence.py: the
estimated probability that a bead is right; the merged bead and the split beads cannot
both be right), so no threshold is added.

Only Chinese sentences are cut (``SPLIT_SIDES``): Chinese joins sentences with commas
where English ends them (run-on "flowing" sentences, 流水句), while an English sentence
end is marked unambiguously and English references keep the English sentence whole.
Measured on news-dev's Traditional translation (bench/e2e_news.py --only tw, English
side against the gold): cutting English sentences too gave 0.962, Chinese only 0.979.

Both hypotheses are scored with the same vectors: the sentence's vector is the sum of
the vectors of its "atoms" (the text between two candidate cuts), a piece's vector is
a sum of atoms, and the comparison does not depend on how a piece would be segmented
into words on its own. The other beads keep their scores.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import regex

from aligners.config import AlignConfig
from aligners.types import Bead

# Candidate cuts: after a clause mark (with the closing quotes and brackets that follow
# it), after a closing quotation mark that text follows, before an opening one that
# follows text (``球员说“我们``), and after a sentence mark the sentence splitter declined
# (an abbreviation, a lower-case word after it).
_ZH_CUT = regex.compile(
    r"(?:[，；：、,;:]|[—–]+|…+|\.{3,}|[。！？!?]+)[”’」』）)》〉\]\"']*[ \t]*"
    r"|(?<=\S)[”’」』》\"]+(?=[\p{Han}\p{L}\p{N}“「『（(《])"
    r"|(?<=[\p{Han}\p{L}\p{N}])(?=[“「『])"
)
_EN_CUT = regex.compile(
    r"(?:[,;:]|[.!?…]+)[\"”’')\]]*[ \t]+"
    r"|[ \t]+[—–-]+[ \t]+"
    r"|(?<=\p{L})[—–]+(?=\p{L})"
    r"|(?<=\S)[\"”][ \t]+"
)
_WORD = regex.compile(r"[\p{L}\p{N}]")
SPLIT_SIDES = ("zh",)  # the sides whose sentences are cut (see the module docstring)


def clause_cuts(text: str, lang: str) -> list[int]:
    """Offsets in ``text`` where a piece may start: after a clause boundary, with letters
    or digits on both sides of it."""
    pattern = _ZH_CUT if lang == "zh" else _EN_CUT
    cuts = []
    for m in pattern.finditer(text):
        at = m.end()
        if 0 < at < len(text) and _WORD.search(text, 0, m.start()) and _WORD.search(text, at):
            if not cuts or cuts[-1] != at:
                cuts.append(at)
    return cuts


def pieces(text: str, cuts: Sequence[int]) -> list[str]:
    """``text`` cut at ``cuts``, each piece stripped of white space."""
    bounds = [0, *cuts, len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:])]


@dataclass(frozen=True)
class Split:
    """Sentence ``index`` of side ``lang`` cut at ``cuts`` (offsets into its text)."""

    lang: str  # "zh" or "en"
    index: int
    cuts: tuple[int, ...]


@dataclass(frozen=True)
class Refinement:
    """The splits, and the beads over the refined sentence lists (each split sentence
    replaced by its pieces, in place)."""

    splits: tuple[Split, ...]
    beads: tuple[Bead, ...]

    def numbering(self, n_zh: int, n_en: int) -> tuple[list[tuple[int, ...]], list[tuple[int, ...]]]:
        """Per original sentence of each side, its numbers in the refined lists."""
        return _numbering(self.splits, "zh", n_zh), _numbering(self.splits, "en", n_en)


def _numbering(splits, lang: str, n: int) -> list[tuple[int, ...]]:
    count = {s.index: len(s.cuts) + 1 for s in splits if s.lang == lang}
    out, k = [], 0
    for i in range(n):
        c = count.get(i, 1)
        out.append(tuple(range(k, k + c)))
        k += c
    return out


class _Vectors:
    """Sparse vectors (dicts column -> weight) of sentences and atoms in the document's
    English vocabulary, and the document's length ratio (as dp.LevelStats has it)."""

    def __init__(self, zh: Sequence[str], en: Sequence[str], zh_atoms: Sequence[str], en_atoms: Sequence[str],
                 config: AlignConfig):
        from .features import build_features

        zf, ef, info = build_features(list(zh) + list(zh_atoms), list(en), config.features)
        rows = _rows(zf.vectors)
        self.zh, self.zh_atoms = rows[: len(zh)], rows[len(zh):]
        self.en = _rows(ef.vectors)
        self.en_atoms = [_english_vector(t, info, config) for t in en_atoms]
        self.ratio = 2.8  # dp.LevelStats' fallback; set by length_ratio

    def length_ratio(self, zh_len: Sequence[int], en_len: Sequence[int], beads: Sequence[Bead]) -> float:
        """The length term's ratio as search.py settles it: the whole text's, or the paired
        beads' when they differ by more than RATIO_TOLERANCE."""
        from .search import RATIO_TOLERANCE

        total_z, total_e = sum(zh_len), sum(en_len)
        ratio = total_e / total_z if total_z > 0 and total_e > 0 else 2.8
        z = sum(zh_len[i] for b in beads if b.src and b.tgt for i in b.src)
        e = sum(en_len[j] for b in beads if b.src and b.tgt for j in b.tgt)
        if z > 0 and e > 0 and abs((e / z) / ratio - 1.0) > RATIO_TOLERANCE:
            ratio = e / z
        self.ratio = ratio
        return ratio


def _rows(m) -> list[dict[int, float]]:
    return [dict(zip(m.indices[a:b].tolist(), m.data[a:b].astype(np.float64).tolist()))
            for a, b in zip(m.indptr[:-1], m.indptr[1:])]


def _english_vector(text: str, info: dict, config: AlignConfig) -> dict[int, float]:
    """An English text's vector in the vocabulary and weights of ``build_features``
    (tokens outside the vocabulary are dropped; the document's IDF is not changed)."""
    from .features import EN_ELLIPSIS_DASH, ellipsis_dash_tokens, english_anchor_tokens, english_tokens

    toks = english_tokens(text) + english_anchor_tokens(text, config.features.quote_sides)
    if config.features.ellipsis_dash:
        toks += ellipsis_dash_tokens(text, EN_ELLIPSIS_DASH)
    vocab, weight = info["vocab"], info["weight"]
    out: dict[int, float] = {}
    for t in toks:
        c = vocab.get(t)
        if c is not None:
            out[c] = out.get(c, 0.0) + float(weight[c])
    return out


def _length(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def _add(vectors) -> dict[int, float]:
    out: dict[int, float] = {}
    for v in vectors:
        for c, w in v.items():
            out[c] = out.get(c, 0.0) + w
    return out


def _dot(a: dict, b: dict) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(c, 0.0) for c, w in a.items())


def bead_cost(cos: float, zh_len: float, en_len: float, a: int, b: int, params, ratio: float) -> float:
    """dp.Evidence.bead_cost for one non-null bead of a Chinese and b English sentences
    (paragraph terms left out: the pieces of a sentence share its paragraph)."""
    mean = (zh_len + en_len / ratio) / 2.0
    delta = (en_len - ratio * zh_len) / np.sqrt(params.len_var * (mean + 1.0))
    size = ((a + b) / 2.0) ** params.size_power
    return params.w_sim * (1.0 - cos) * size + params.w_len * delta * delta / 2.0 + params.penalties.get((a, b), 0.0)


class _Bead:
    """One candidate bead: the single sentence's atoms against the k sentences opposite."""

    def __init__(self, atoms: list[dict], atom_len: list[int], others: list[dict], other_len: list[int]):
        n, k = len(atoms), len(others)
        self.k = k
        self.D = np.array([[_dot(x, y) for y in others] for x in atoms])  # atom . other sentence
        self.G = np.array([[_dot(x, y) for y in atoms] for x in atoms])  # atom . atom
        self.H = np.array([[_dot(x, y) for y in others] for x in others])
        self.Gc = np.zeros((n + 1, n + 1))
        self.Gc[1:, 1:] = self.G.cumsum(0).cumsum(1)  # 2-D prefix sums: |sum of atoms a..b-1|^2
        self.Dc = np.vstack([np.zeros(k), self.D.cumsum(0)])
        self.lc = np.r_[0, np.cumsum(atom_len)]
        self.other_len = other_len

    def piece(self, a: int, b: int) -> tuple[float, float]:
        """(|sum of atoms a..b-1|^2, its length)."""
        g = self.Gc[b, b] - self.Gc[a, b] - self.Gc[b, a] + self.Gc[a, a]
        return g, self.lc[b] - self.lc[a]

    def cos(self, a: int, b: int, i: int) -> float:
        g, _ = self.piece(a, b)
        denom = np.sqrt(max(g, 0.0) * self.H[i, i])
        return float((self.Dc[b, i] - self.Dc[a, i]) / denom) if denom > 0 else 0.0


def _best_split(bead: _Bead, single_is_zh: bool, params, ratio: float) -> tuple[float, tuple[int, ...]] | None:
    """(cost, atom boundaries) of the cheapest way to pair k consecutive groups of atoms
    with the k sentences opposite (a DP over the atoms: O(k n^2) bead costs, vectorised
    over the start of the last group), or None when there are fewer than k atoms."""
    n, k = len(bead.lc) - 1, bead.k
    if n < k:
        return None
    inf = np.inf
    best = np.full((k + 1, n + 1), inf)
    back = np.zeros((k + 1, n + 1), np.int64)
    best[0, 0] = 0.0
    g_diag = np.diag(bead.Gc)
    for i in range(1, k + 1):
        other = bead.other_len[i - 1]
        h = bead.H[i - 1, i - 1]
        for end in range(i, n + 1):
            a = np.arange(i - 1, end)  # start of the i-th group
            prev = best[i - 1, a]
            ok = np.isfinite(prev)
            if not ok.any():
                continue
            g = g_diag[end] - bead.Gc[a, end] - bead.Gc[end, a] + g_diag[a]
            dot = bead.Dc[end, i - 1] - bead.Dc[a, i - 1]
            denom = np.sqrt(np.maximum(g, 0.0) * h)
            cos = np.where(denom > 0, dot / np.where(denom > 0, denom, 1.0), 0.0)
            length = bead.lc[end] - bead.lc[a]
            zl, el = (length, other) if single_is_zh else (other, length)
            mean = (zl + el / ratio) / 2.0
            delta = (el - ratio * zl) / np.sqrt(params.len_var * (mean + 1.0))
            cost = params.w_sim * (1.0 - cos) + params.w_len * delta * delta / 2.0 + params.penalties.get((1, 1), 0.0)
            total = np.where(ok, prev + cost, inf)
            j = int(np.argmin(total))
            best[i, end], back[i, end] = total[j], a[j]
    if not np.isfinite(best[k, n]):
        return None
    bounds, end = [], n
    for i in range(k, 0, -1):
        end = int(back[i, end])
        bounds.append(end)
    return float(best[k, n]), tuple(reversed(bounds[:-1]))


def find_splits(zh: Sequence[str], en: Sequence[str], beads: Sequence[Bead],
                config: AlignConfig = AlignConfig()) -> list[Split]:
    """The splits worth making in the beads of an alignment of ``zh`` with ``en``."""
    return list(refine(zh, en, beads, config).splits)


@dataclass(frozen=True)
class _Candidate:
    bead: int  # number of the bead in the alignment
    split: Split
    vectors: tuple  # the pieces' vectors (sums of atoms)


def _candidates(zh, en, beads, config) -> tuple[list[_Candidate], "_Vectors | None"]:
    """For every bead with one sentence on one side and 2..4 on the other, the cheapest way
    (by the DP's bead cost) to cut the single sentence into pieces paired in order."""
    from .params import fine_params

    params = fine_params(config)
    todo = []  # (bead number, single side, its index, cuts, the opposite sentences)
    for k, b in enumerate(beads):
        for lang, single, many, text in (("zh", b.src, b.tgt, zh), ("en", b.tgt, b.src, en)):
            if lang in SPLIT_SIDES and len(single) == 1 and 2 <= len(many) <= max(config.max_src, config.max_tgt):
                todo.append((k, lang, single[0], None, many))
    if not todo:
        return [], None
    side = {"zh": zh, "en": en}
    todo = [(k, lang, i, clause_cuts(side[lang][i], lang), many) for k, lang, i, _, many in todo]
    todo = [t for t in todo if len(t[3]) >= len(t[4]) - 1]
    zh_atoms, en_atoms = [], []
    for _, lang, i, cuts, _ in todo:
        (zh_atoms if lang == "zh" else en_atoms).extend(pieces((zh if lang == "zh" else en)[i], cuts))
    vec = _Vectors(zh, en, zh_atoms, en_atoms, config)
    vec.length_ratio([_length(t) for t in zh], [_length(t) for t in en], beads)
    out = []
    used = {"zh": 0, "en": 0}
    for k, lang, i, cuts, many in todo:
        texts = pieces((zh if lang == "zh" else en)[i], cuts)
        pool = vec.zh_atoms if lang == "zh" else vec.en_atoms
        atoms = pool[used[lang]: used[lang] + len(texts)]
        used[lang] += len(texts)
        others = [(vec.en if lang == "zh" else vec.zh)[j] for j in many]
        other_len = [_length((en if lang == "zh" else zh)[j]) for j in many]
        best = _best_split(_Bead(atoms, [_length(t) for t in texts], others, other_len), lang == "zh", params, vec.ratio)
        if best is not None:
            bounds = (0, *best[1], len(atoms))
            out.append(_Candidate(k, Split(lang, i, tuple(cuts[a - 1] for a in best[1])),
                                  tuple(_add(atoms[a:b]) for a, b in zip(bounds, bounds[1:]))))
    return out, vec


def refine(zh: Sequence[str], en: Sequence[str], beads: Sequence[Bead], config: AlignConfig = AlignConfig(),
           accept: Callable[[Split], bool] | None = None) -> Refinement:
    """The splits worth making (those ``accept`` takes, when given) and the beads over the
    refined sentence lists: a split bead becomes k one-to-one beads, scored by the
    confidence model; the others keep their sentences (renumbered) and their scores.

    A candidate split is kept when each of its one-to-one beads scores higher than the
    merged bead did: the confidence model estimates the probability that a bead is right,
    and the merged bead and the split beads cannot both be right.
    """
    candidates, vec = _candidates(zh, en, beads, config)
    if accept is not None:
        candidates = [c for c in candidates if accept(c.split)]
    if not candidates:
        return Refinement((), tuple(beads))
    path, fresh = _path(zh, en, beads, vec, candidates, config)
    kept = [c for c in candidates if min(path[k].score for k in fresh[c.bead]) > beads[c.bead].score]
    if not kept:
        return Refinement((), tuple(beads))
    if len(kept) < len(candidates):  # scored again without the others: neighbours count in a score
        path, fresh = _path(zh, en, beads, vec, kept, config)
    return Refinement(tuple(c.split for c in kept), tuple(path))


def _path(zh, en, beads, vec, candidates, config) -> tuple[list[Bead], dict[int, list[int]]]:
    """The beads with the candidates' splits made, the split beads scored; and, per split
    bead's number, the numbers of the beads it became."""
    splits = [c.split for c in candidates]
    zh_num, en_num = _numbering(splits, "zh", len(zh)), _numbering(splits, "en", len(en))
    split_beads = {c.bead for c in candidates}
    path, fresh = [], {}
    for k, b in enumerate(beads):
        src = tuple(n for i in b.src for n in zh_num[i])
        tgt = tuple(n for j in b.tgt for n in en_num[j])
        if k in split_beads:
            fresh[k] = list(range(len(path), len(path) + len(src)))
            path.extend(Bead((p,), (q,), 0.0) for p, q in zip(src, tgt))
        else:
            path.append(Bead(src, tgt, b.score))
    piece_vectors = {(c.split.lang, c.split.index): c.vectors for c in candidates}
    zh_r, zh_v = _refined(zh, vec.zh, splits, piece_vectors, "zh")
    en_r, en_v = _refined(en, vec.en, splits, piece_vectors, "en")
    scores = path_scores(zh_v, [_length(t) for t in zh_r], en_v, [_length(t) for t in en_r], path, config, vec.ratio)
    for ks in fresh.values():
        for k in ks:
            path[k] = Bead(path[k].src, path[k].tgt, scores[k])
    return path, fresh


def _refined(texts, vectors, splits, piece_vectors, lang: str) -> tuple[list[str], list[dict]]:
    """The sentence texts and vectors of one side with the split sentences replaced by their pieces."""
    cuts = {s.index: s.cuts for s in splits if s.lang == lang}
    out, vecs = [], []
    for i, t in enumerate(texts):
        if i in cuts:
            out.extend(pieces(t, cuts[i]))
            vecs.extend(piece_vectors[(lang, i)])
        else:
            out.append(t)
            vecs.append(vectors[i])
    return out, vecs


def _csr(rows: list[dict]):
    from .sparse import Csr

    r = [i for i, v in enumerate(rows) for _ in v]
    c = [col for v in rows for col in v]
    w = [x for v in rows for x in v.values()]
    return Csr.from_triples(np.array(r, np.int64), np.array(c, np.int64), np.array(w, np.float64), len(rows))


def path_scores(zh: list[dict], zh_len: list[int], en: list[dict], en_len: list[int], path: Sequence[Bead],
                config: AlignConfig, ratio: float | None = None) -> list[float]:
    """The confidence model's score of every bead of ``path`` over sentences with these
    vectors and lengths (as search.align_document scores its path), with this length ratio."""
    from .blas import one_blas_thread
    from .confidence import bead_scores
    from .dp import LevelInput, LevelStats
    from .params import fine_params
    from .search import _path_evidence

    params = fine_params(config)
    pairs = [(b.src, b.tgt) for b in path]
    with one_blas_thread():
        level = LevelInput(_csr(zh), _csr(en), np.array(zh_len, np.float64), np.array(en_len, np.float64),
                           length_ratio=ratio)
        stats = LevelStats(level, max(a for a, _ in params.beads), max(b for _, b in params.beads))
        return bead_scores(_path_evidence(level, params, pairs, stats), pairs)


# ---------------------------------------------------------------- segments


def raw_offset(text: str, raw: str, at: int) -> int | None:
    """The offset in ``raw`` (a segment's input text) matching offset ``at`` of ``text``
    (its normalised text), or None when normalisation changed the text around it."""
    from difflib import SequenceMatcher

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, text, raw, autojunk=False).get_opcodes():
        if tag == "equal" and i1 <= at < i2:
            return j1 + at - i1
        if i1 <= at < i2 or (at == i2 and tag != "equal"):
            return j2 if at == i2 else None
    return len(raw) if at == len(text) else None


def split_segment(seg, cuts: Sequence[int]) -> list | None:
    """``seg`` cut at ``cuts`` (offsets into its normalised text) into pieces whose raw
    texts together hold every character of its raw text; None when a cut cannot be placed
    in the raw text with the same letters and digits on each side."""
    import dataclasses

    raw = seg.raw or seg.text
    texts = pieces(seg.text, cuts)
    raw_cuts = [raw_offset(seg.text, raw, c) for c in cuts]
    if any(c is None for c in raw_cuts) or raw_cuts != sorted(set(raw_cuts)):
        return None
    raws = pieces(raw, raw_cuts)
    if any(len(_WORD.findall(t)) != len(_WORD.findall(r)) or not _WORD.search(t) for t, r in zip(texts, raws)):
        return None
    return [dataclasses.replace(seg, text=t, raw=r, flags=seg.flags + ("clause-split",)) for t, r in zip(texts, raws)]


def refine_segments(segments, zh: list, en: list, beads: Sequence[Bead], warnings: tuple = (),
                    config: AlignConfig = AlignConfig()):
    """(segments, (zh, en), beads, warnings) after ``refine``: each split sentence's segment
    replaced by its pieces, every segment numbered anew in reading order (so ``seg_id``
    keeps numbering a document's segments in order), the beads and the warnings' ranges
    over the new sides. A split whose cut cannot be placed in the raw text is not made."""
    import dataclasses

    from aligners.types import DROPPED

    side = {"zh": zh, "en": en}
    replaced: dict[int, list] = {}

    def accept(sp: Split) -> bool:
        parts = split_segment(side[sp.lang][sp.index], sp.cuts)
        if parts is not None:
            replaced[side[sp.lang][sp.index].seg_id] = parts
        return parts is not None

    result = refine([s.text for s in zh], [s.text for s in en], beads, config, accept)
    if not result.splits:
        return tuple(segments), (zh, en), list(beads), warnings
    zh_num, en_num = result.numbering(len(zh), len(en))
    warnings = tuple(dataclasses.replace(w, zh=_span(w.zh, zh_num), en=_span(w.en, en_num)) for w in warnings)
    made = {side[sp.lang][sp.index].seg_id for sp in result.splits}
    out = []
    for s in segments:
        out.extend(replaced[s.seg_id] if s.seg_id in made else [s])
    out = [dataclasses.replace(s, seg_id=k) for k, s in enumerate(out)]
    live = [s for s in out if s.status != DROPPED]
    return (tuple(out), ([s for s in live if s.lang == "zh"], [s for s in live if s.lang == "en"]),
            list(result.beads), warnings)


def _span(span: tuple[int, int], numbering: list[tuple[int, ...]]) -> tuple[int, int]:
    """A (first, last) sentence range in the refined numbering ((-1, -1) stays)."""
    first, last = span
    return (numbering[first][0], numbering[last][-1]) if first >= 0 else span
