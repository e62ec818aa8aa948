"""Chinese–English sentence alignment: ``align_sentences(zh, en) -> [Bead]``.

Importing this package is cheap: the word segmenter's and CC-CEDICT's tables (from
their cache files, wordseg.py and dictionary.py) and numpy-heavy modules are loaded on
the first call and kept for the process; numba only for documents long enough to need
it (dp.py, sparse.py).

Method (details in the modules):
  features.py  sentences -> sparse vectors in one English-stem space (CC-CEDICT
               glosses, pinyin of names, character back-off, numbers, ? ! quotes)
  dp.py        DP over beads 1-1 .. 1-4/4-1, 2-2, 2-3/3-2, 1-0/0-1 inside a corridor,
               cost = lexical cosine + Gale-Church length term + bead-type penalty
  search.py    anchors (anchors.py: pairs sharing rare words) shape a corridor; the DP
               runs in it and the corridor is widened wherever the path touches its
               edge, so the path is the full DP's at linear cost
  confidence.py  the per-bead score in [0, 1]: a logistic regression fitted on MAC-Dev
               (own cosine, margin over shifted pairings, length, size, neighbours' margins)
  blas.py      one BLAS thread while aligning (thousands of small products)
"""
from __future__ import annotations

from typing import Sequence

from aligners.config import AlignConfig
from aligners.types import Bead


def load_tables() -> None:
    """Load the word segmenter's and CC-CEDICT's tables for this process now, building
    their cache files first where they are missing (a new user's first run: ~8 s of
    CPU), instead of on the first alignment. A run calls it while it waits for
    something else, a temporary Prefect server's start."""
    from .dictionary import load_cedict
    from .wordseg import segmenter

    segmenter()
    load_cedict()


def align_sentences(
    zh: Sequence[str],
    en: Sequence[str],
    config: AlignConfig = AlignConfig(),
    *,
    zh_paragraphs: Sequence[int] | None = None,
    en_paragraphs: Sequence[int] | None = None,
) -> list[Bead]:
    """Align Chinese sentences ``zh`` with English sentences ``en``.

    Returns beads in order; every sentence of both lists is in exactly one bead
    (``Bead((5,), ())`` for a sentence left without counterpart). ``score`` is a
    confidence in [0, 1]; null beads score 0. ``zh_paragraphs``/``en_paragraphs``
    (paragraph index per sentence, non-decreasing) are used as evidence when both
    are given.
    """
    return align_checked(zh, en, config, zh_paragraphs=zh_paragraphs, en_paragraphs=en_paragraphs)[0]


def align_checked(zh: Sequence[str], en: Sequence[str], config: AlignConfig = AlignConfig(), *,
                  zh_paragraphs: Sequence[int] | None = None,
                  en_paragraphs: Sequence[int] | None = None) -> tuple[list[Bead], tuple]:
    """``align_sentences``'s beads, and the stretches where the alignment is likely wrong
    (``aligners.types.AlignmentWarning``: long runs of weak beads, a path far from the
    length diagonal, rows the search could not confirm; see alarms.py)."""
    from .search import align_document

    found = align_document(list(zh), list(en), config, zh_paragraphs=zh_paragraphs, en_paragraphs=en_paragraphs)
    return found.beads, found.warnings


__all__ = ["align_sentences", "align_checked"]
