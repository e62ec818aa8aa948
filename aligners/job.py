"""The corpus-level job without Prefect: discover, read, segment, align, write a run folder, publish.

``process_corpus`` does it all in one process, one document after the other. The
Prefect flow (``flows/pipeline.py``) calls the same functions as tasks and adds
only caching, parallelism, retries and artifacts, so both write the same files.
"""
from __future__ import annotations

import os
import time

from aligners.config import Config
from aligners.types import DocumentResult, RunOutputs

# The keys of report.json's "timings" (seconds of this run; a document taken from the
# cache adds nothing to a stage's sum and is counted in "from_cache" instead).
READ, SEGMENT, ALIGN, WALL = ("discover+read", "segment (sum over documents)", "align (sum over documents)",
                              "segment+align (wall)")


def stage_timings(read: float, segment: float, align: float, wall: float) -> dict[str, float]:
    return {READ: round(read, 3), SEGMENT: round(segment, 3), ALIGN: round(align, 3), WALL: round(wall, 3)}


def write_run(out: str, results: list[DocumentResult], skipped=(), config: Config = Config(),
              timings: dict | None = None, from_cache: dict[str, int] | None = None,
              cache_keys=(), documents=None, matching: dict | None = None,
              measured: list | None = None) -> RunOutputs:
    """The corpus pass (filters, duplicates) over all documents in order, then
    ``OUT/runs/<id>/`` (corpus.tsv, segments.tsv, the exports, report.json/.md/.html, the
    cache manifest, and documents.tsv when files were matched by content), published
    as ``OUT/latest`` and the top-level files. ``measured``: the share of the corpus pass
    already done per document (``aligners.corpus.screen.measure``), or None."""
    from aligners.cache.store import write_manifest
    from aligners.corpus.finish import export_corpus, finish_corpus
    from aligners.io import runs, tsv
    from aligners.report import html, summary

    from_cache = dict(from_cache or {"segment": 0, "align": 0})
    done = finish_corpus(results, config, measured)
    results = done.results
    run_id, run_dir = runs.new_run_dir(out)
    tsv.write_tables(results, run_dir)
    export_corpus(done, run_dir, config.output.formats)
    report = summary.build_report(results, skipped, config, timings, corpus=done.section,
                                  provenance=done.provenance, from_cache=from_cache)
    if matching is not None:
        from aligners.match.pile import document_lines

        report["matching"] = matching
        tsv.atomic_write_text(os.path.join(run_dir, "documents.tsv"), document_lines(documents))
    tsv.atomic_write_text(os.path.join(run_dir, "report.json"), [summary.report_json(report)])
    tsv.atomic_write_text(os.path.join(run_dir, "report.md"), [report_markdown(report)])
    tsv.atomic_write_text(os.path.join(run_dir, "report.html"),
                          [html.render_html(report, results, config.align.min_score)])
    write_manifest(run_dir, cache_keys)
    runs.publish(out, run_id)
    return RunOutputs(run_id, run_dir, out, report, from_cache)


def report_markdown(report: dict) -> str:
    """report.md: the run report, and the matching section when files were matched by content."""
    from aligners.report.summary import render_markdown

    md = render_markdown(report)
    if report.get("matching") is not None:
        from aligners.match.report import render_markdown as matching_markdown

        md += matching_markdown(report["matching"])
    return md


def match_specs(specs, config: Config):
    """Pair files of a pile by content (``aligners.match``): (specs, documents.tsv entries, summary)."""
    from aligners.match import pile

    named, files = pile.split_pile(specs)
    profiles, matching = pile.match_files(files, config)
    return matching_outcome(named, profiles, matching)


def matching_outcome(named, profiles, matching):
    """The documents a matching makes (with the name pairs ``named``), their documents.tsv
    entries and the report's summary; shared by ``match_specs`` and the flow."""
    from aligners.match import pile, report

    specs, entries = pile.matched_specs(named, profiles, matching)
    return specs, entries, report.matching_summary(entries, matching.scores, matching.threshold)


def process_corpus(inputs: list[str], out: str = "outputs", config: Config = Config()) -> RunOutputs:
    """Turn files and folders into a sentence-aligned corpus in ``out`` (no Prefect, no cache)."""
    import dataclasses

    from aligners.io.inputs import discover, read_document
    from aligners.pipeline import process_document

    t0 = time.perf_counter()
    out = os.path.abspath(out)
    os.makedirs(out, exist_ok=True)
    specs, skipped = discover(inputs)
    documents = matching = None
    if config.match.enabled:
        specs, documents, matching = match_specs(specs, config)
    docs = [read_document(spec, config.decode) for spec in specs]
    t_read = time.perf_counter()
    results = [process_document(doc, config) for doc in docs]
    timings = stage_timings(t_read - t0, sum(r.timings["segment"] for r in results),
                            sum(r.timings["align"] for r in results), time.perf_counter() - t_read)
    written = write_run(out, results, skipped, config, timings, documents=documents, matching=matching)
    return dataclasses.replace(written, seconds=round(time.perf_counter() - t0, 3))
