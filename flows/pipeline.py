"""The reprocessing flow: read -> segment -> align over batches of documents, then write the corpus.

One task per document stage, each taking a batch of documents
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

import hashlib
import os
import time
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact

from aligners import pipeline
from aligners.cache import batching
from aligners.cache import store as doccache
from aligners.io import inputs, runs
from aligners.io import tsv as write
from aligners.report import html as report_html
from aligners.report import summary as report
from aligners.config import Config
from aligners.corpus.finish import export_corpus, finish_corpus
from aligners.cache.keys import stage_config, stage_key
from aligners.match import candidates as match_candidates
from aligners.match import pile as match_pile
from aligners.match import report as match_report
from aligners.match import rescore as match_rescore
from aligners.match.assignment import Scored, assign
from aligners.match.candidates import merge_candidates, query_ranges
from aligners.types import DocumentResult

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
def segment_task(docs: Payload, config: Config, key: str, doc_keys: list[str], store: str) -> dict:
    results, computed = doccache.cached_map(docs.value, doc_keys, lambda d: pipeline.segment_stage(d, config),
                                            doccache.DocStore(store))
    return {"results": Payload(results), "computed": computed}


@task(name="align", cache_key_fn=_batch_key, persist_result=True)
def align_task(items: Payload, config: Config, key: str, doc_keys: list[str], store: str) -> dict:
    results, computed = doccache.cached_map(items.value, doc_keys,
                                            lambda it: pipeline.align_stage(it[0], it[1], config, it[2]),
                                            doccache.DocStore(store))
    return {"results": Payload(results), "computed": computed}


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
    matching = assign(profiles, scored, config.match.threshold)
    specs, entries = match_pile.matched_specs(named, profiles, matching)
    return specs, entries, match_report.matching_summary(entries, matching.scores, matching.threshold)


@task(name="write", retries=2, retry_delay_seconds=[1, 3])
def write_task(results: Payload, skipped: list, config: Config, out: str,
               timings: dict, cache_keys: list[str], documents: list | None = None,
               matching: dict | None = None) -> dict:
    done = finish_corpus(results.value, config)  # filters and duplicates over the whole corpus, in order
    results = done.results
    run_id, run_dir = runs.new_run_dir(out)
    paths = write.write_tables(results, run_dir)
    export_corpus(done, run_dir, config.output.formats)
    rep = report.build_report(results, skipped, config, timings, corpus=done.section, provenance=done.provenance)
    if matching is not None:
        rep["matching"] = matching
        write.atomic_write_text(os.path.join(run_dir, "documents.tsv"), match_pile.document_lines(documents))
    write.atomic_write_text(os.path.join(run_dir, "report.json"), [report.report_json(rep)])
    md = report.render_markdown(rep) + (match_report.render_markdown(matching) if matching is not None else "")
    write.atomic_write_text(os.path.join(run_dir, "report.md"), [md])
    write.atomic_write_text(os.path.join(run_dir, "report.html"),
                            [report_html.render_html(rep, results, config.align.min_score)])
    doccache.write_manifest(run_dir, cache_keys)
    runs.publish(out, run_id)
    return {"run_id": run_id, "run_dir": run_dir, "out": out, **paths, "report": rep, "markdown": md}


def _key(stage_key_: str, doc_keys: list[str]) -> str:
    return hashlib.sha256("|".join([FLOW_SOURCE, stage_key_, *doc_keys]).encode()).hexdigest()


def _as_config(config) -> Config:
    if config is None:
        return Config()
    if isinstance(config, dict):  # a deployment's parameters are JSON
        return Config.from_dict(config)
    return config


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
             runner: str = "thread") -> dict:
    """Turn files and folders into a sentence-aligned corpus in ``out``."""
    config = _as_config(config)
    logger = get_run_logger()
    t0 = time.perf_counter()
    out = os.path.abspath(out)
    os.makedirs(out, exist_ok=True)
    storage = Path(out, ".cache")  # a Path is taken as a local result store
    store = str(storage)  # per-document entries KEY.pkl beside Prefect's batch results KEY
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
    size = batch_size or batching.choose_batch_size(len(specs), parallel, runner)
    groups = batching.make_batches(specs, size, key=lambda s: s.doc_id)
    logger.info("%d documents in %d batches of about %d, %d inputs skipped", len(specs), len(groups), size,
                len(skipped))

    seg_cfg, align_cfg = stage_config(config, "segment"), stage_config(config, "align")
    seg_key, align_key = stage_key(config, "segment"), stage_key(config, "align")
    segment = segment_task.with_options(result_storage=storage)
    align = align_task.with_options(result_storage=storage)
    cache_keys: list[str] = []
    tasks = {"segment": {"Cached": 0, "Completed": 0}, "align": {"Cached": 0, "Completed": 0}}
    cached = {"segment": 0, "align": 0}

    def collect(stage: str, fut) -> list:
        value = fut.result()
        state = "Cached" if fut.state.name == "Cached" else "Completed"
        tasks[stage][state] += 1
        n = len(value["results"].value)
        cached[stage] += n if state == "Cached" else n - value["computed"]
        return value["results"].value

    with _Progress(progress, len(specs)) as bar:
        reads = [read_task.submit(g, config) for g in groups]
        t_read = seg_wall = time.perf_counter()
        segmented = []
        for fut in reads:
            docs = fut.result().value
            bar.advance("read", len(docs))
            keys = [doccache.content_hash(seg_key, d) for d in docs]
            batch = _key(seg_key, keys)
            cache_keys += keys + [batch]
            segmented.append(segment.submit(Payload(docs), seg_cfg, batch, keys, store))
        t_read = time.perf_counter()
        aligned = []
        seg_seconds = 0.0
        for fut in segmented:
            items = collect("segment", fut)
            bar.advance("segment", len(items))
            seg_seconds += sum(seconds for _, _, seconds in items)
            keys = [doccache.content_hash(align_key, doc, segs) for doc, segs, _ in items]
            batch = _key(align_key, keys)
            cache_keys += keys + [batch]
            aligned.append(align.submit(Payload(items), align_cfg, batch, keys, store))
        results: list[DocumentResult] = []
        for fut in aligned:
            batch_results = collect("align", fut)
            bar.advance("align", len(batch_results))
            results += batch_results
    t_align = time.perf_counter()
    timings = {
        "discover+read": round(t_read - t0, 3),
        "segment (sum over documents)": round(seg_seconds, 3),
        "align (sum over documents)": round(sum(r.timings.get("align", 0.0) for r in results), 3),
        "segment+align (wall)": round(t_align - seg_wall, 3),
    }
    if matching is not None:
        timings["match (wall, in discover+read)"] = round(t_match, 3)
    written = write_task(Payload(results), skipped, config, out, timings, cache_keys, documents, matching)
    written.update(cached=cached, tasks=tasks, batches=len(groups), batch_size=size)
    create_markdown_artifact(markdown=written["markdown"], key="bitextflow-report",
                             description=f"bitextflow run {written['run_id']}")
    written["flow_seconds"] = round(time.perf_counter() - t0, 3)  # the flow's body, without Prefect's run set-up
    return written


def run(inputs_: list[str], out: str = "outputs", config: Config | None = None, *, runner: str = "thread",
        address: str | None = None, progress: bool = False, batch_size: int | None = None,
        workers: int | None = None, api=None) -> dict:
    """Run the flow with the chosen task runner (the CLI's and the Python API's entry point).

    The run reports to the Prefect API that ``flows.runners.api_server`` chooses (``api``:
    one already chosen by the caller); ``written["api"]`` says which.
    ``runner="dask"``: prefect-dask's DaskTaskRunner on the scheduler at ``address``, or
    on a LocalCluster of ``workers`` processes (default: one per core).
    """
    if runner not in ("thread", "dask"):
        raise ValueError(f"unknown runner {runner!r}")
    from .runners import api_server, dask_task_runner

    with api_server(api) as api_:
        api_.ready()
        if runner == "thread":
            written = run_flow(inputs_, out, config, progress=progress, batch_size=batch_size)
        else:
            n = workers or (None if address else os.cpu_count())
            flow_ = run_flow.with_options(task_runner=dask_task_runner(address, n))
            written = flow_(inputs_, out, config, progress=progress, batch_size=batch_size, workers=n,
                            runner="dask")
        written["api"] = api_.describe()
        return written
