"""The reprocessing flow: read -> segment -> align over batches of documents, then write the corpus.

The work is the library's (``aligners.pipeline`` per document, ``aligners.job`` for the
run folder: ``process_corpus`` is the same job without Prefect); this module adds
caching, parallelism, retries and the report artifact. One task per document stage, each taking a batch of documents
(``aligners.cache.batching`` says why and how large). Caching works on two levels,
both kept in ``OUT/.cache``:

- Prefect caches each ``segment``/``align`` batch under a key made of the batch's
  documents, the stage key (config section + library code, ``aligners.cache.keys``)
  and this file's source, so a rerun with nothing changed comes back Cached
  everywhere and computes nothing;
- inside a batch task that does run, every document is looked up by its own
  content key (``aligners.cache.store``), so a changed document recomputes alone, and
  a run killed half-way resumes from the documents it finished.

The documents' order, and so the output, does not depend on the runner.
Documents and results are passed to tasks inside ``Payload``: they hold no
futures, and Prefect's walk through every segment looking for some cost ~2 s per
run of 271 documents (measured with cProfile on a cached rerun). (Prefect's own
``quote`` is a namedtuple, which Dask takes apart on the way to a worker.)
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import time
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact

from aligners import job, pipeline
from aligners.cache import batching
from aligners.cache import store as doccache
from aligners.cache.keys import stage_config, stage_key
from aligners.config import Config, FilterConfig
from aligners.corpus import screen
from aligners.corpus.filters import build_filters
from aligners.io import inputs
from aligners.match import candidates as match_candidates
from aligners.match import pile as match_pile
from aligners.match import rescore as match_rescore
from aligners.match.assignment import Scored, assign
from aligners.match.candidates import merge_candidates, query_ranges
from aligners.types import DocumentResult, RunOutputs
from aligners.workers import DocumentPool, align_item, input_bytes, measure_item, pool_size, segment_item

with open(__file__, "rb") as _fh:
    FLOW_SOURCE = hashlib.sha256(_fh.read()).hexdigest()[:16]  # stands in for Prefect's TASK_SOURCE


class Payload:
    """An opaque box: Prefect does not look inside it for futures (see the module docstring)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __getstate__(self):
        return (self.value,)  # never falsy: pickle skips __setstate__ for a falsy state

    def __setstate__(self, state):
        (self.value,) = state


def _batch_key(context, parameters) -> str:
    return parameters["key"]


@task(name="read", retries=2, retry_delay_seconds=[1, 3])
def read_task(specs: list[inputs.DocSpec], config: Config) -> Payload:
    return Payload([inputs.read_document(spec, config.decode) for spec in specs])


@task(name="segment", cache_key_fn=_batch_key, persist_result=True)
def segment_task(docs: Payload, config: Config, key: str, doc_keys: list[str], store: str,
                 pool: DocumentPool | None = None) -> Payload:
    """(results, fresh) of ``pipeline.segment_stage`` over the batch, per document through the store
    (in ``pool``'s worker processes, if given)."""
    return Payload(doccache.cached_map(docs.value, doc_keys, functools.partial(segment_item, config=config),
                                       doccache.DocStore(store), pool))


@task(name="align", cache_key_fn=_batch_key, persist_result=True)
def align_task(items: Payload, config: Config, key: str, doc_keys: list[str], store: str,
               pool: DocumentPool | None = None, filters: FilterConfig | None = None) -> Payload:
    """(results, fresh, measured) of ``pipeline.align_stage`` over the batch's (document, segments),
    ``measured`` each result's ``screen.measure`` with ``filters`` (taken where the result was
    computed; the key leaves ``filters`` out, so a Cached batch's are not used)."""
    return Payload(doccache.cached_map_also(items.value, doc_keys, functools.partial(align_item, config=config),
                                            functools.partial(measure_item, config=filters or FilterConfig()),
                                            doccache.DocStore(store), pool))


@task(name="profile", retries=2, retry_delay_seconds=[1, 3])
def profile_task(files: list, config: Config) -> Payload:
    return Payload(match_pile.profile_files(files, config))


@task(name="candidates")
def candidates_task(index: Payload, ranges: list, config: Config) -> list:
    return [c for side, a, b in ranges for c in match_pile.candidates_for(index.value, side, a, b, config)]


@task(name="rescore")
def rescore_task(pairs: Payload, config: Config) -> list:
    return match_rescore.rescore(pairs.value, config.align, config.match.bead_score)


def match_files(specs: list[inputs.DocSpec], config: Config, parallel: int, runner: str):
    """``aligners.match`` over batched tasks: profiles, candidate look-ups and re-scoring are
    spread over the workers; the index and the assignment are built once, here."""
    named, files = match_pile.split_pile(specs)
    size = batching.choose_batch_size(len(files), parallel, runner)
    futures = [profile_task.submit(g, config) for g in batching.make_batches(files, size, key=lambda f: f.label)]
    profiles = [p for fut in futures for p in fut.result().value]
    index = match_pile.index_profiles(profiles, config)
    ranges = query_ranges(index, match_candidates.CHUNK)
    per_task = max(1, -(-len(ranges) // max(1, 2 * parallel)))
    futures = [candidates_task.submit(Payload(index), ranges[a:a + per_task], config)
               for a in range(0, len(ranges), per_task)]
    candidates = merge_candidates(fut.result() for fut in futures)
    groups = [candidates[a:a + size] for a in range(0, len(candidates), size)]
    futures = [rescore_task.submit(Payload([(profiles[c.zh], profiles[c.en]) for c in g]), config) for g in groups]
    scores = [s for fut in futures for s in fut.result()]
    scored = [Scored(c.zh, c.en, c.similarity, s) for c, s in zip(candidates, scores)]
    return job.matching_outcome(named, profiles, assign(profiles, scored, config.match.threshold))


@task(name="write", retries=2, retry_delay_seconds=[1, 3])
def write_task(results: Payload, skipped: list, config: Config, out: str, timings: dict,
               from_cache: dict, cache_keys: list[str], documents: list | None = None,
               matching: dict | None = None, measured: Payload | None = None) -> RunOutputs:
    return job.write_run(out, results.value, skipped, config, timings, from_cache, cache_keys, documents, matching,
                         measured.value if measured is not None else None)


def _key(stage_key_: str, doc_keys: list[str]) -> str:
    return hashlib.sha256("|".join([FLOW_SOURCE, stage_key_, *doc_keys]).encode()).hexdigest()


def _as_config(config) -> Config:
    if config is None:
        return Config()
    if isinstance(config, dict):  # a deployment's parameters are JSON
        return Config.from_dict(config)
    return config


class _Tally:
    """One run's bookkeeping: documents from the cache, task states and this run's seconds per stage.

    A document counts as cached when its batch task was Cached or the per-document store
    had it; only the others add their seconds (a cached value holds the seconds of the
    run that computed it).
    """

    def __init__(self):
        self.from_cache = {"segment": 0, "align": 0}
        self.tasks = {stage: {"Cached": 0, "Completed": 0} for stage in self.from_cache}
        self.seconds = {stage: 0.0 for stage in self.from_cache}
        self.keys: list[str] = []  # every document and batch key used, for the run's cache manifest
        self.read_done = time.perf_counter()  # when the last batch was read

    def take(self, stage: str, fut, seconds) -> list:
        """The batch's results; ``seconds(result)`` is what one computed result cost."""
        results, fresh = fut.result().value[:2]
        cached_task = fut.state.name == "Cached"
        self.tasks[stage]["Cached" if cached_task else "Completed"] += 1
        for result, new in zip(results, fresh):
            if new and not cached_task:
                self.seconds[stage] += seconds(result)
            else:
                self.from_cache[stage] += 1
        return results

    def batch(self, stage_key_: str, doc_keys: list[str]) -> str:
        key = _key(stage_key_, doc_keys)
        self.keys += doc_keys + [key]
        return key


class _Progress:
    """A rich progress bar per stage over documents, on stderr; does nothing when off."""

    STAGES = ("read", "segment", "align")

    def __init__(self, enabled: bool, total: int):
        self.bar = None
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=Console(stderr=True), transient=False)
        self.ids = {s: self.bar.add_task(s, total=total) for s in self.STAGES}

    def __enter__(self):
        if self.bar:
            self.bar.start()
        return self

    def advance(self, stage: str, n: int) -> None:
        if self.bar:
            self.bar.advance(self.ids[stage], n)

    def __exit__(self, *exc):
        if self.bar:
            self.bar.stop()


@flow(name="bitextflow-run", log_prints=False, validate_parameters=False)
def run_flow(inputs_: list[str], out: str = "outputs", config: Config | dict | None = None,
             progress: bool = False, batch_size: int | None = None, workers: int | None = None,
             runner: str = "thread") -> RunOutputs:
    """Turn files and folders into a sentence-aligned corpus in ``out`` (what ``aligners.job.process_corpus``
    does, as tasks over batches, cached in ``OUT/.cache``)."""
    config = _as_config(config)
    logger = get_run_logger()
    t0 = time.perf_counter()
    out = os.path.abspath(out)
    os.makedirs(out, exist_ok=True)
    specs, skipped = inputs.discover(inputs_)
    # threads share one interpreter: for them, parallelism does not call for more batches
    parallel = 1 if runner == "thread" else (workers or os.cpu_count() or 1)
    documents = matching = None
    if config.match.enabled:
        t_match = time.perf_counter()
        specs, documents, matching = match_files(specs, config, parallel, runner)
        t_match = time.perf_counter() - t_match
        logger.info("matching: %d pairs by content, %d files alone, %.1f s", matching["matched_pairs"],
                    matching["unmatched_files"], t_match)
    # threads share one interpreter; with them, the CPU-bound stages run in worker processes
    # (aligners.workers; Dask workers are processes already), if the inputs are worth their start
    n_procs = pool_size(workers, input_bytes(p for s in specs for p in s.paths))
    pool = DocumentPool(n_procs) if runner == "thread" and n_procs > 1 else None
    if pool and not _has_entries(Path(out, ".cache")):
        pool.start()  # everything is to compute: the workers start while the inputs are read
    size = batch_size or (batching.choose_batch_size(len(specs), n_procs, "pool") if pool
                          else batching.choose_batch_size(len(specs), parallel, runner))
    groups = batching.make_batches(specs, size, key=lambda s: s.doc_id)
    logger.info("%d documents in %d batches of about %d, %d inputs skipped", len(specs), len(groups),
                          size, len(skipped))
    tally = _Tally()
    measured: list = []  # the corpus pass's per-document share, taken while later documents align
    with pool or contextlib.nullcontext(), _Progress(progress, len(specs)) as bar:
        results = _segment_and_align(groups, config, Path(out, ".cache"), tally, bar, pool, measured)
    timings = job.stage_timings(tally.read_done - t0, tally.seconds["segment"], tally.seconds["align"],
                                time.perf_counter() - tally.read_done)
    if matching is not None:
        timings["match (wall, in discover+read)"] = round(t_match, 3)
    written = write_task(Payload(results), skipped, config, out, timings, tally.from_cache, tally.keys,
                         documents, matching, Payload(measured))
    create_markdown_artifact(markdown=job.report_markdown(written.report), key="bitextflow-report",
                             description=f"bitextflow run {written.run_id}")
    return dataclasses.replace(written, tasks=tally.tasks, batches=len(groups), batch_size=size,
                               seconds=round(time.perf_counter() - t0, 3))  # the body, without Prefect's set-up


def _has_entries(folder: Path) -> bool:
    try:
        with os.scandir(folder) as it:
            return any(True for _ in it)
    except OSError:
        return False


def _segment_and_align(groups, config: Config, storage: Path, tally: _Tally, bar,
                       pool: DocumentPool | None = None, measured: list | None = None) -> list[DocumentResult]:
    """read -> segment -> align over the batches, each stage submitted as soon as its input is there.
    Each future is let go once the next stage has its value, so a large pile holds one
    stage's values per batch, not all of them. ``measured`` gets each result's
    ``screen.measure`` as its batch arrives, while the workers align the next ones.

    Cached values may come from a run that spelled the paths otherwise (keys leave them
    out), so each is given this run's paths (``pipeline.with_paths``/``with_sources``).
    """
    store = str(storage)  # per-document entries KEY.pkl beside Prefect's batch results KEY
    seg_key, align_key = stage_key(config, "segment"), stage_key(config, "align")
    segment = segment_task.with_options(result_storage=storage)  # a Path is taken as a local result store
    align = align_task.with_options(result_storage=storage)
    seg_cfg, align_cfg = stage_config(config, "segment"), stage_config(config, "align")

    reads = [read_task.submit(g, config) for g in groups]
    segmented = []
    for i, fut in enumerate(reads):
        reads[i] = None
        docs = fut.result().value
        bar.advance("read", len(docs))
        keys = [doccache.document_key(seg_key, d) for d in docs]
        segmented.append((docs, segment.submit(Payload(docs), seg_cfg, tally.batch(seg_key, keys), keys, store,
                                                 pool)))
    tally.read_done = time.perf_counter()
    aligned = []
    for i, (docs, fut) in enumerate(segmented):
        segmented[i] = None
        batch = tally.take("segment", fut, lambda item: item[2])
        bar.advance("segment", len(batch))
        items = [(pipeline.with_paths(prepared, doc), segs) for doc, (prepared, segs, _) in zip(docs, batch)]
        keys = [doccache.document_key(align_key, doc, segs) for doc, segs in items]
        aligned.append((items, align.submit(Payload(items), align_cfg, tally.batch(align_key, keys), keys,
                                                store, pool, config.filter)))
    results: list[DocumentResult] = []
    filters = build_filters(config.filter)
    for i, (items, fut) in enumerate(aligned):
        aligned[i] = None
        batch = tally.take("align", fut, lambda res: res.timings.get("align", 0.0))
        bar.advance("align", len(batch))
        results += [pipeline.with_sources(res, doc) for (doc, _), res in zip(items, batch)]
        if measured is not None:  # a Cached batch's measures may be of other filters: taken again
            measured += (fut.result().value[2] if fut.state.name != "Cached"
                         else [screen.measure(filters, res) for res in batch])
    return results


# modules a run imports on the way (measured, CPU s at load 10): Prefect serialises a flow's
# parameters with FastAPI's encoder (0.29), the text stages' (ftfy 0.09, segment 0.06);
# Prefect's flow and task engines, its flow's graph helpers, anyio's sockets (its HTTP client's
# first connection), the outputs' writing (~0.3 s of imports in all, load ~4)
IMPORTED_BY_A_RUN = ("fastapi.encoders", "aligners.text.segment", "ftfy", "prefect.flow_engine", "prefect.task_engine",
                     "prefect.utilities.visualization", "anyio._core._sockets", "aligners.io.sniff",
                     "aligners.corpus.finish", "aligners.report.summary", "aligners.report.html")


def import_while_waiting() -> None:
    """Import ``IMPORTED_BY_A_RUN`` now, and load (on a new machine: build) the aligner's
    lookup tables, while a temporary server starts on the other core."""
    import importlib

    for name in IMPORTED_BY_A_RUN:
        try:
            importlib.import_module(name)
        except ImportError:  # the run imports it where it needs it, or does without
            pass
    from aligners.align import load_tables

    load_tables()


def run(inputs_: list[str], out: str = "outputs", config: Config | None = None, *, runner: str = "thread",
        address: str | None = None, progress: bool = False, batch_size: int | None = None,
        workers: int | None = None, api=None) -> RunOutputs:
    """Run the flow with the chosen task runner (the CLI's and the Python API's entry point).

    The run reports to the Prefect API that ``flows.runners.api_server`` chooses (``api``:
    one already chosen by the caller); the returned ``RunOutputs.api`` says which.
    ``runner="dask"``: prefect-dask's DaskTaskRunner on the scheduler at ``address``, or
    on a LocalCluster of ``workers`` processes (default: one per core).
    """
    if runner not in ("thread", "dask"):
        raise ValueError(f"unknown runner {runner!r}")
    from .runners import api_server, dask_task_runner

    with api_server(api) as api_:
        if api_.starting():
            import_while_waiting()
        api_.ready()
        if runner == "thread":
            written = run_flow(inputs_, out, config, progress=progress, batch_size=batch_size, workers=workers)
        else:
            n = workers or (None if address else os.cpu_count())
            flow_ = run_flow.with_options(task_runner=dask_task_runner(address, n))
            written = flow_(inputs_, out, config, progress=progress, batch_size=batch_size, workers=n,
                            runner="dask")
        return dataclasses.replace(written, api=api_.describe())
