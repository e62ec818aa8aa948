"""The corpus pass as the flow's write step calls it: curate, sign, export."""
from __future__ import annotations

from dataclasses import dataclass

from aligners.config import Config
from aligners.corpus.curate import curate
from aligners.corpus.export import write_exports
from aligners.corpus.provenance import corpus_key, provenance
from aligners.types import DocumentResult


@dataclass(frozen=True)
class FinishedCorpus:
    results: list[DocumentResult]  # with duplicate and filtered pairs taken out of the rows
    section: dict  # the report's "corpus" section (CorpusStats.to_dict)
    provenance: dict


def finish_corpus(results: list[DocumentResult], config: Config = Config(), measured: list | None = None,
                  ) -> FinishedCorpus:
    """``measured``: see ``curate``."""
    from aligners.cache.keys import stage_key

    results, stats = curate(results, config.filter, measured)
    keys = {stage: stage_key(config, stage) for stage in ("segment", "align")}
    keys["corpus"] = corpus_key(config)
    return FinishedCorpus(results, stats.to_dict(), provenance(config, keys))


def export_corpus(done: FinishedCorpus, folder: str, formats) -> list[str]:
    """The chosen formats beside corpus.tsv in ``folder``."""
    return write_exports([r for res in done.results for r in res.rows], folder, formats, done.provenance)
