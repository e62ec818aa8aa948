"""The reprocessing flow: read -> segment -> align per document, then write the corpus.

One task per document stage, mapped over documents. ``segment`` and ``align`` are
cached on their inputs (the document or its segments), a stage key (config
section + library code, see ``aligners.fingerprint``) and the task's own source,
with results kept in ``OUT/.cache`` so a rerun with nothing changed recomputes
nothing, and a run killed half-way resumes from the documents it finished.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import INPUTS, TASK_SOURCE

from aligners import inputs, pipeline, report, runs, write
from aligners.config import Config
from aligners.fingerprint import stage_key
from aligners.types import Document, DocumentResult

CACHE = INPUTS + TASK_SOURCE  # never INPUTS alone: two tasks with equal inputs would share an entry


@task(name="read", retries=2, retry_delay_seconds=[1, 3])
def read_task(spec: inputs.DocSpec, config: Config) -> Document:
    return inputs.read_document(spec, config.decode)


@task(name="segment", cache_policy=CACHE, persist_result=True)
def segment_task(doc: Document, config: Config, key: str) -> tuple[Document, tuple, float]:
    return pipeline.segment_stage(doc, config)


@task(name="align", cache_policy=CACHE, persist_result=True)
def align_task(doc: Document, segments: tuple, config: Config, key: str) -> DocumentResult:
    return pipeline.align_stage(doc, segments, config)


@task(name="write", retries=2, retry_delay_seconds=[1, 3])
def write_task(results: list[DocumentResult], skipped: list, config: Config, out: str,
               timings: dict) -> dict:
    run_id, run_dir = runs.new_run_dir(out)
    paths = write.write_tables(results, run_dir)
    rep = report.build_report(results, skipped, config, timings)
    write.atomic_write_text(os.path.join(run_dir, "report.json"), [report.report_json(rep)])
    md = report.render_markdown(rep)
    write.atomic_write_text(os.path.join(run_dir, "report.md"), [md])
    runs.publish(out, run_id)
    return {"run_id": run_id, "run_dir": run_dir, "out": out, **paths, "report": rep, "markdown": md}


def _from_cache(future) -> bool:
    return future.state.name == "Cached"


def _stage_config(config: Config, stage: str) -> Config:
    """Only the sections a stage reads, so other sections cannot change its cache key."""
    if stage == "segment":
        return Config(decode=config.decode, text=config.text)
    return Config(align=config.align)


@flow(name="bitextflow-run", log_prints=False, validate_parameters=False)
def run_flow(inputs_: list[str], out: str = "outputs", config: Config | None = None) -> dict:
    """Turn files and folders into a sentence-aligned corpus in ``out``."""
    config = config or Config()
    logger = get_run_logger()
    t0 = time.perf_counter()
    out = os.path.abspath(out)
    os.makedirs(out, exist_ok=True)
    storage = Path(out, ".cache")  # a Path is taken as a local result store
    specs, skipped = inputs.discover(inputs_)
    logger.info("%d documents, %d inputs skipped", len(specs), len(skipped))

    seg_cfg, align_cfg = _stage_config(config, "segment"), _stage_config(config, "align")
    seg_key, align_key = stage_key(config, "segment"), stage_key(config, "align")
    segment = segment_task.with_options(result_storage=storage)
    align = align_task.with_options(result_storage=storage)

    docs = read_task.map(specs, config)
    t_read = time.perf_counter()
    segmented = [segment.submit(d, seg_cfg, seg_key) for d in docs]
    aligned = []
    seg_seconds = 0.0
    for fut in segmented:
        doc, segs, seconds = fut.result()
        seg_seconds += seconds
        aligned.append(align.submit(doc, segs, align_cfg, align_key))
    results = [f.result() for f in aligned]
    cached = {"segment": sum(_from_cache(f) for f in segmented), "align": sum(_from_cache(f) for f in aligned)}
    t_align = time.perf_counter()
    timings = {
        "discover+read": round(t_read - t0, 3),
        "segment (sum over documents)": round(seg_seconds, 3),
        "align (sum over documents)": round(sum(r.timings.get("align", 0.0) for r in results), 3),
        "segment+align (wall)": round(t_align - t_read, 3),
    }
    written = write_task(results, skipped, config, out, timings)
    written["cached"] = cached
    create_markdown_artifact(markdown=written["markdown"], key="bitextflow-report",
                             description=f"bitextflow run {written['run_id']}")
    return written


def run(inputs_: list[str], out: str = "outputs", config: Config | None = None, *, runner: str = "thread",
        address: str | None = None, progress: bool = False) -> dict:
    """Run the flow with the chosen task runner (the CLI's and the Python API's entry point)."""
    if runner != "thread":
        raise ValueError(f"unknown runner {runner!r}")
    return run_flow(inputs_, out, config)
