"""TF-IDF vectors of a pile's files and an inverted index over them.

Each side (Chinese, English) is a matrix of L2-normalised rows in one English-stem
vocabulary: weight = log(1 + mass) x log(1 + N / df), df counted over all the
pile's files (so that stems which many Chinese glosses produce weigh little). The
inverted index keeps, per term, only the ``postings`` files in which the term
weighs most (an impact-ordered, pruned index): a lookup then touches at most
``index_terms x postings`` entries whatever the pile's size, which is what keeps
the candidate search linear in the number of files instead of N x M.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from aligners.align.sparse import Csr

from .profile import EN, ZH, Profile


@dataclass(frozen=True)
class Postings:
    """Per term, the rows of one side that contain it, heaviest first (pruned)."""

    start: np.ndarray  # int64 per term: first entry
    count: np.ndarray  # int64 per term: number of entries kept
    rows: np.ndarray  # int64 row ids
    weights: np.ndarray  # float32


@dataclass(frozen=True)
class PileIndex:
    """Both sides' vectors and postings. Row r of side ``zh`` is profile ``zh_ids[r]``."""

    zh_ids: tuple[int, ...]
    en_ids: tuple[int, ...]
    zh: Csr
    en: Csr
    zh_postings: Postings
    en_postings: Postings
    vocabulary: int


def side_order(profiles: list[Profile], lang: str) -> list[int]:
    """Indices of the profiles in ``lang``, ordered by content (key) and only then by name."""
    ids = [i for i, p in enumerate(profiles) if p.lang == lang]
    return sorted(ids, key=lambda i: (profiles[i].key, profiles[i].file.label))


def build_index(profiles: list[Profile], postings: int = 200) -> PileIndex:
    zh_ids, en_ids = side_order(profiles, ZH), side_order(profiles, EN)
    vocab = sorted({t for i in zh_ids + en_ids for t, _ in profiles[i].terms})
    col = {t: c for c, t in enumerate(vocab)}
    df = np.zeros(len(vocab), np.float64)
    for i in zh_ids + en_ids:
        for t, _ in profiles[i].terms:
            df[col[t]] += 1
    n = max(1, len(zh_ids) + len(en_ids))
    idf = np.log1p(n / np.maximum(df, 1.0))
    zh = _vectors([profiles[i] for i in zh_ids], col, idf)
    en = _vectors([profiles[i] for i in en_ids], col, idf)
    return PileIndex(tuple(zh_ids), tuple(en_ids), zh, en, _postings(zh, len(vocab), postings),
                     _postings(en, len(vocab), postings), len(vocab))


def _vectors(profiles: list[Profile], col: dict[str, int], idf: np.ndarray) -> Csr:
    rows, cols, vals = [], [], []
    for r, p in enumerate(profiles):
        for t, m in p.terms:
            rows.append(r)
            cols.append(col[t])
            vals.append(math.log1p(m))
    cols_a = np.array(cols, dtype=np.int64)
    vals_a = np.array(vals, dtype=np.float64) * (idf[cols_a] if len(cols_a) else 0.0)
    m = Csr.from_triples(np.array(rows, dtype=np.int64), cols_a, vals_a, len(profiles))
    norms = np.sqrt(m.norms_sq())
    scale = np.repeat(np.where(norms > 0, 1.0 / np.maximum(norms, 1e-30), 0.0), np.diff(m.indptr))
    return Csr(m.indptr, m.indices, (m.data * scale).astype(np.float32))


def _postings(m: Csr, n_terms: int, keep: int) -> Postings:
    rows, terms, w = m.row_ids(), m.indices.astype(np.int64), m.data
    order = np.lexsort((rows, -w, terms))  # by term, heaviest first, then by row (deterministic)
    terms, rows, w = terms[order], rows[order], w[order]
    first = np.searchsorted(terms, np.arange(n_terms))
    rank = np.arange(len(terms)) - first[terms] if len(terms) else np.zeros(0, np.int64)
    kept = rank < keep
    terms, rows, w = terms[kept], rows[kept], w[kept]
    start = np.searchsorted(terms, np.arange(n_terms))
    count = np.bincount(terms, minlength=n_terms).astype(np.int64)
    return Postings(start.astype(np.int64), count, rows.astype(np.int64), w.astype(np.float32))
