"""bitextflow's library: Chinese-English segment detection, normalisation and sentence alignment.

Nothing here imports Prefect; ``flows/`` orchestrates these functions. The main
entry points (imported lazily, so ``import aligners`` stays cheap):

- ``align_sentences(zh, en)``: align two lists of sentences into scored beads;
- ``process_document(doc)``: one document through every stage, without Prefect;
- ``process_corpus(inputs, out, config)``: files and folders to a published run folder
  (corpus.tsv, segments.tsv, reports), the whole job without Prefect;
- ``score_alignments(gold, test)``: strict and lax precision/recall/F1;
- ``read_beads`` / ``format_bead``: the ``[i, j]:[k]`` bead format.
"""
__version__ = "0.1.0"

_LAZY = {
    "align_sentences": "aligners.align",
    "process_document": "aligners.pipeline",
    "process_corpus": "aligners.job",
    "score_alignments": "aligners.align.evaluate",
    "read_beads": "aligners.align.beads",
    "format_bead": "aligners.align.beads",
    "Config": "aligners.config",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'aligners' has no attribute {name!r}")
