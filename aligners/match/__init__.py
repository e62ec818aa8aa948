"""Pair the files of a pile by content: which file is the translation of which.

Steps (one module each):
  profile.py     file -> language, sentences, and a bag of terms in the English-stem
                 space of the aligner's features (CC-CEDICT glosses of jieba words,
                 pinyin of names, Latin tokens, numbers)
  index.py       TF-IDF vectors over the pile and a pruned inverted index
                 (Buck & Koehn 2016: TF-IDF cosine of translated documents)
  candidates.py  each file's few best partners by cosine, found through the index,
                 so a pile of N files needs O(N) look-ups, not N x M comparisons
  rescore.py     each candidate pair aligned by the sentence aligner; its score is the
                 share of sentences in confident beads (after Thompson & Koehn 2020,
                 who score document pairs by their sentence alignment)
  assignment.py  greedy one-to-one assignment above a threshold; the rest stay alone
  pile.py        the steps chained, and the result as document specs and documents.tsv

Everything is ordered by a hash of each file's text, so the same pile gives the same
pairs whatever the files are called and in whatever order they come.
"""
from __future__ import annotations

from .pile import DocumentEntry, document_lines, match_files, matched_specs, split_pile

__all__ = ["DocumentEntry", "document_lines", "match_files", "matched_specs", "split_pile"]
