"""Where the time of one large ``bitextflow run`` goes: by stage and by function, CPU and wall.

Builds a pile (default: the dev sets' 258 real documents, ``bench/pipeline_pile.py``),
then, against one Prefect API (the configured one, else a temporary server that this
bench starts and times):

1. ``bitextflow run`` on the pile as a user runs it (a new process, fresh output
   folder): wall time, CPU time of the command (with its worker processes) and of
   the Prefect server, pairs/s;
2. the same run in this process under cProfile in every thread (``--runner thread``),
   each thread timed by its own CPU clock (``time.thread_time``: a thread waiting
   for the GIL or for the API costs nothing). The profiler is on from before Prefect
   is imported, so this is the process's first run, as the command's is. The table
   gives each stage's CPU seconds (its functions' inclusive time minus the stages
   nested in it), own time by package, and the top functions. cProfile slows
   Python code down: read the shares, not the seconds. This run computes every
   document in this process (``workers=1``), so that the profiler sees the stages;
   step 1 shows what the worker processes of a default run cost (``--workers 2``
   profiles what the parent does beside them: Prefect, pickles, the write step).

3. ``--stages``: instead of 1-2, the library's stages over the pile in this process,
   without Prefect and without a profiler: each stage's own CPU time
   (``time.process_time`` around its function, minus the timed functions called
   inside it), calls and ms per pair, and the sha256 of corpus.tsv, segments.tsv and
   report.html (to check that a speed change leaves the outputs as they were).

    nice -n 10 .venv/bin/python bench/profile_run.py [--docs N] [--runner thread|dask] [--top 25]
        [--workers N] [--save FILE] [--load FILE] [--stages]
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

import pipeline_pile  # noqa: E402

# (stage, parent stage, [(file suffix, function name), ...]): a stage's CPU is the
# inclusive time of its functions minus that of the stages whose parent it is.
STAGES = [
    ("read files", None, [("aligners/io/inputs.py", "read_document")]),
    ("decode", "read files", [("aligners/io/decode.py", "decode_bytes")]),
    ("segment stage (rest)", None, [("aligners/pipeline.py", "segment_stage")]),
    ("prepare (Traditional check)", "segment stage (rest)", [("aligners/pipeline.py", "prepare_document")]),
    ("segment_document (rest)", "segment stage (rest)", [("aligners/text/segment.py", "segment_document")]),
    ("split", "segment_document (rest)", [("aligners/text/split.py", "split_paragraphs"),
                                          ("aligners/text/split.py", "split_lines"),
                                          ("aligners/text/split.py", "split_sentences")]),
    ("detect", "segment_document (rest)", [("aligners/text/detect.py", "detect_spans"),
                                           ("aligners/text/detect.py", "looks_not_english")]),
    ("normalise", "segment_document (rest)", [("aligners/text/normalize.py", "normalize"),
                                              ("aligners/text/normalize.py", "document_quote_style")]),
    ("align stage (rest: apply beads, package)", None, [("aligners/pipeline.py", "align_stage")]),
    ("align_document (rest)", "align stage (rest: apply beads, package)", [("aligners/align/search.py", "align_document")]),
    # (file, function, caller): only the calls from that caller (features are built for the search and for refine)
    ("features (rest)", "align_document (rest)", [("aligners/align/features.py", "build_features", "align_raw")]),
    ("CC-CEDICT load", "features (rest)", [("aligners/align/dictionary.py", "load_cedict")]),
    # segment: one sentence (jieba itself, in older profiles); segment_many: a document (jieba's tables);
    # all of it here, refine's included
    ("word segmentation", "features (rest)", [("aligners/align/chinese.py", "segment"),
                                              ("aligners/align/chinese.py", "segment_many")]),
    ("segmenter tables load", "word segmentation", [("aligners/align/wordseg.py", "segmenter"),
                                                    ("jieba/__init__.py", "initialize")]),
    ("DP", "align_document (rest)", [("aligners/align/search.py", "search_path")]),
    ("confidence", "align_document (rest)", [("aligners/align/confidence.py", "bead_scores", "align_document")]),
    ("refine: alignment-guided splitting (rest)", "align stage (rest: apply beads, package)",
     [("aligners/align/refine.py", "refine_segments")]),
    ("refine: features", "refine: alignment-guided splitting (rest)",
     [("aligners/align/features.py", "build_features", "__init__")]),
    ("refine: confidence", "refine: alignment-guided splitting (rest)",
     [("aligners/align/confidence.py", "bead_scores", "path_scores")]),
    ("cache: content keys", None, [("aligners/cache/store.py", "content_hash")]),
    ("cache: document store get/put", None, [("aligners/cache/store.py", "get"), ("aligners/cache/store.py", "put")]),
    ("corpus pass: filters", None, [("aligners/corpus/screen.py", "apply_filters")]),
    ("corpus pass: duplicates", None, [("aligners/corpus/duplicates.py", "mark_duplicates")]),
    ("TSV writing", None, [("aligners/io/tsv.py", "write_tables")]),
    ("report (build, json, markdown)", None, [("aligners/report/summary.py", "build_report"),
                                              ("aligners/report/summary.py", "report_json"),
                                              ("aligners/report/summary.py", "render_markdown")]),
    ("report.html", None, [("aligners/report/html.py", "render_html")]),
]
# (module, function[, label]) timed by --stages; the first module is where the caller looks the name up
TIMED = [
    ("aligners.pipeline", "prepare_document", "prepare (Traditional check)"),
    ("aligners.pipeline", "segment", "segment (rest)"),
    ("aligners.text.segment", "split_paragraphs", "split"), ("aligners.text.segment", "split_lines", "split"),
    ("aligners.text.segment", "split_sentences", "split"),
    ("aligners.text.segment", "english_tail", "detect"), ("aligners.text.segment", "sentence_language", "detect"),
    ("aligners.text.segment", "looks_not_english", "detect"),
    ("aligners.text.segment", "normalize", "normalise"), ("aligners.text.segment", "document_quote_style", "normalise"),
    ("aligners.pipeline", "align_stage", "align stage (rest: apply beads, package)"),
    ("aligners.align.search", "build_features", "features (rest)"),
    ("aligners.align.features", "build_features", "refine: features (rest)"),
    ("aligners.align.chinese", "segment_many", "word segmentation"),
    ("aligners.align.features", "_chinese_triples", "features: Chinese vectors"),
    ("aligners.align.features", "english_tokens", "features: English tokens"),
    ("aligners.align.features", "english_anchor_tokens", "features: English tokens"),
    ("aligners.align.search", "search_path", "search (rest: anchors, corridor checks)"),
    ("aligners.align.search", "corridor_dp", "DP"),
    ("aligners.align.search", "path_evidence", "confidence: products around the path"),
    ("aligners.align.confidence", "bead_scores", "confidence: bead scores"),
    ("aligners.align.alarms", "find_warnings", "alarms"),
    ("aligners.align.refine", "refine_segments", "refine (rest)"),
    ("aligners.corpus.curate", "apply_filters", "corpus pass: filters"),
    ("aligners.corpus.curate", "mark_duplicates", "corpus pass: duplicates"),
]


def stage_clocks(pile: str) -> None:
    """``--stages``: the library's stages over ``pile`` in this process, each timed by CPU."""
    import functools
    import hashlib
    import importlib

    own: dict[str, float] = {}
    calls: dict[str, int] = {}
    inner: list[float] = []  # CPU of timed calls inside the running ones, innermost last

    def timed(fn, label):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            t0 = time.process_time()
            inner.append(0.0)
            try:
                return fn(*args, **kwargs)
            finally:
                dt = time.process_time() - t0
                nested = inner.pop()
                own[label] = own.get(label, 0.0) + dt - nested
                calls[label] = calls.get(label, 0) + 1
                if inner:
                    inner[-1] += dt

        return run

    def clock(label, fn, *args):
        return timed(fn, label)(*args)

    c_start = time.process_time()
    from aligners import job, pipeline
    from aligners.align import load_tables
    from aligners.config import Config
    from aligners.corpus.finish import export_corpus, finish_corpus
    from aligners.io import runs, tsv
    from aligners.io.inputs import discover, read_document
    from aligners.report import html, summary

    clock("import, tables", load_tables)
    for module, name, label in TIMED:
        mod = importlib.import_module(module)
        if not hasattr(mod, name):  # renamed or gone: its time counts in its caller's stage
            print(f"(not timed: {module}.{name})")
            continue
        setattr(mod, name, timed(getattr(mod, name), label))
    config = Config()
    specs, skipped = clock("read files", discover, [pile])
    docs = [clock("read files", read_document, spec, config.decode) for spec in specs]
    results = []
    for doc in docs:
        doc = pipeline.prepare_document(doc, config.decode)
        results.append(pipeline.align_stage(doc, pipeline.segment(doc, config), config))
    done = clock("corpus pass (rest)", finish_corpus, results, config)
    out = tempfile.mkdtemp(prefix="bench-stages-")
    run_id, run_dir = runs.new_run_dir(out)
    clock("TSV writing", tsv.write_tables, done.results, run_dir)
    clock("TSV writing", export_corpus, done, run_dir, config.output.formats)
    report = clock("report (build, json, markdown)", summary.build_report, done.results, skipped, config, None,
                   done.section, done.provenance, {"segment": 0, "align": 0})
    clock("report (build, json, markdown)", lambda: (
        tsv.atomic_write_text(os.path.join(run_dir, "report.json"), [summary.report_json(report)]),
        tsv.atomic_write_text(os.path.join(run_dir, "report.md"), [job.report_markdown(report)])))
    clock("report.html", lambda: tsv.atomic_write_text(os.path.join(run_dir, "report.html"),
                                                       [html.render_html(report, done.results,
                                                                         config.align.min_score)]))
    total = time.process_time() - c_start
    pairs = sum(len(r.rows) for r in done.results)
    print(f"{len(docs)} documents, {pairs} pairs: {total:.2f} s CPU in this process "
          f"({1000 * total / max(1, pairs):.2f} ms per pair); load {loadavg()}\n")
    print(f"{'stage (own CPU: nested timed stages left out)':<48}{'CPU s':>8}{'ms/pair':>9}{'calls':>8}")
    for label, sec in sorted(own.items(), key=lambda kv: -kv[1]):
        print(f"{label:<48}{sec:>8.2f}{1000 * sec / max(1, pairs):>9.3f}{calls[label]:>8}")
    rest = total - sum(own.values())
    print(f"{'outside the stages above':<48}{rest:>8.2f}{1000 * rest / max(1, pairs):>9.3f}")
    for name in ("corpus.tsv", "segments.tsv", "report.html"):
        with open(os.path.join(run_dir, name), "rb") as fh:
            print(f"sha256 {name}: {hashlib.sha256(fh.read()).hexdigest()}")
    shutil.rmtree(out, ignore_errors=True)


# Own time in these packages is Prefect's work (the library calls none of them).
PREFECT_PACKAGES = ("prefect", "pydantic", "pydantic_core", "pydantic_settings", "httpx", "httpcore", "h11",
                    "anyio", "sniffio", "asyncio", "selectors", "socket", "ssl", "concurrent", "threading", "queue",
                    "logging", "uuid", "cloudpickle", "websockets", "jsonschema", "opentelemetry", "rich",
                    "fsspec", "sqlalchemy", "typing", "typing_extensions", "contextlib", "inspect", "jinja2",
                    "orjson", "graphviz", "dateutil", "pendulum", "whenever", "cachetools", "griffe", "exceptiongroup")


class AllThreads:
    """cProfile in every thread started after ``start()`` and in the calling thread, on CPU clocks."""

    def __init__(self):
        self.profiles: list[cProfile.Profile] = []
        self.lock = threading.Lock()

    def _new(self) -> cProfile.Profile:
        prof = cProfile.Profile(timer=time.thread_time)
        with self.lock:
            self.profiles.append(prof)
        return prof

    def start(self) -> None:
        def bootstrap(frame, event, arg):
            sys.setprofile(None)
            self._new().enable()

        threading.setprofile(bootstrap)
        self._new().enable()

    def stop(self) -> pstats.Stats:
        threading.setprofile(None)
        for prof in self.profiles:
            try:
                prof.disable()
            except Exception:
                pass
        stats = None
        for prof in self.profiles:
            try:
                prof.create_stats()
            except Exception:
                continue
            if not prof.stats:
                continue
            if stats is None:
                stats = pstats.Stats(prof)
            else:
                stats.add(prof)
        return stats


def stage_table(stats: pstats.Stats) -> tuple[list[tuple[str, float]], float]:
    inclusive = {}
    for name, parent, funcs in STAGES:
        total = 0.0
        for (filename, _, fn), (_, _, _, ct, callers) in stats.stats.items():
            for suffix, f, *via in funcs:
                if not (filename.replace(os.sep, "/").endswith(suffix) and fn == f):
                    continue
                total += sum(c[3] for (_, _, caller), c in callers.items() if caller == via[0]) if via else ct
        inclusive[name] = total
    rows = []
    for name, parent, _ in STAGES:
        children = sum(inclusive[c] for c, p, _ in STAGES if p == name)
        rows.append((name, max(0.0, inclusive[name] - children)))
    top = sum(inclusive[name] for name, parent, _ in STAGES if parent is None)
    return rows, top


def package_of(filename: str) -> str:
    parts = filename.replace(os.sep, "/").split("/")
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0]
    for anchor in ("aligners", "flows"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor):parts.index(anchor) + 2]).removesuffix(".py")
    if len(parts) >= 2 and parts[-2].startswith("python3"):
        return parts[-1].removesuffix(".py")
    if len(parts) >= 3 and parts[-3].startswith("python3"):
        return parts[-2]
    return filename if filename.startswith("<") or filename == "~" else parts[-1]


def cpu_self() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)  # reaped children only (workers, a stopped server)
    return r.ru_utime + r.ru_stime


def process_cpu(pid: int) -> float:
    import psutil

    try:
        p = psutil.Process(pid)
        total = sum(p.cpu_times()[:2])
        for c in p.children(recursive=True):
            try:
                total += sum(c.cpu_times()[:2])
            except psutil.Error:
                pass
        return total
    except psutil.Error:
        return 0.0


def loadavg() -> str:
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=0, help="cut this many documents (default: the real pile)")
    ap.add_argument("--runner", choices=("thread", "dask"), default="thread")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--no-profile", action="store_true", help="only the plain run")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--save", metavar="FILE", help="also write the merged profile (pstats format)")
    ap.add_argument("--load", metavar="FILE", help="only print the tables of a profile saved by --save")
    ap.add_argument("--stages", action="store_true",
                    help="the library's stages in this process by CPU clock, no Prefect, no profiler")
    ap.add_argument("--workers", type=int, default=1,
                    help="worker processes of the profiled run (default 1: every stage in this process)")
    args = ap.parse_args()
    if args.load:
        show_profile(pstats.Stats(args.load), args.top)
        return
    if not pipeline_pile.available():
        print("dev data not found; nothing to measure")
        return

    work = tempfile.mkdtemp(prefix="bench-profile-")
    if args.stages:
        pile = os.path.join(work, "in")
        n = pipeline_pile.cut_pile(pile, args.docs) if args.docs else pipeline_pile.real_pile(pile)
        print(f"pile: {n} documents ({'cut' if args.docs else 'real'}); load {loadavg()}")
        stage_clocks(pile)
        shutil.rmtree(work, ignore_errors=True)
        return
    os.environ.setdefault("PREFECT_HOME", os.path.join(work, "prefect-home"))
    pile = os.path.join(work, "in")
    n = pipeline_pile.cut_pile(pile, args.docs) if args.docs else pipeline_pile.real_pile(pile)
    print(f"pile: {n} documents ({'cut' if args.docs else 'real'}); load {loadavg()}; {os.cpu_count()} cores")

    profiler = AllThreads()
    profiler_on = not args.no_profile and args.runner == "thread"
    if profiler_on:
        profiler.start()  # before Prefect is imported, so that its threads are profiled too

    t0, c0 = time.perf_counter(), cpu_self()
    from flows.settings import apply_prefect_defaults

    apply_prefect_defaults()
    import flows.pipeline as fp
    from flows.runners import api_server

    t_import, c_import = time.perf_counter() - t0, cpu_self() - c0
    print(f"import flows.pipeline (Prefect with it): {t_import:.2f} s wall, {c_import:.2f} s CPU"
          + (" (under the profiler)" if profiler_on else ""))

    import psutil

    t0 = time.perf_counter()
    with api_server() as api:
        url = api.ready(timeout=900).url
        server_pids = {api.process.pid} if api.process else set()
        t_server = time.perf_counter() - t0
        server_cpu0 = sum(process_cpu(p) for p in server_pids)
        print(f"API: {api.describe()}; ready after {t_server:.2f} s (server CPU so far {server_cpu0:.2f} s)")

        def server_cpu() -> float:
            return sum(process_cpu(p) for p in server_pids)

        # 1. the command line, as a user runs it, against this API: wall and CPU of the whole process
        out = os.path.join(work, "out-cli")
        env = dict(os.environ, PREFECT_API_URL=url)
        w0, k0, s0 = time.perf_counter(), cpu_children(), server_cpu()
        proc = subprocess.run([sys.executable, "-m", "flows", "run", pile, "--out", out, "--quiet",
                               "--runner", args.runner], env=env, cwd=work, capture_output=True, text=True)
        wall, cpu, srv = time.perf_counter() - w0, cpu_children() - k0, server_cpu() - s0
        if proc.returncode != 0:
            print(proc.stderr[-3000:])
            raise SystemExit(f"bitextflow run failed ({proc.returncode})")
        with open(os.path.join(out, "report.json"), encoding="utf-8") as fh:
            rep = json.load(fh)
        pairs = rep["pairs"]
        print(f"bitextflow run (new process, fresh output, --runner {args.runner}): {wall:.2f} s wall, "
              f"{pairs} pairs, {pairs / wall:.0f} pairs/s; CPU: the command and its workers {cpu:.2f} s, "
              f"Prefect server {srv:.2f} s; load {loadavg()}")
        if rep.get("timings"):
            print("  its report's timings: " + ", ".join(f"{k} {v}" for k, v in rep["timings"].items()))

        # 2. the same run in this process, under the profiler (the first flow run of the process, like the CLI's)
        if profiler_on:
            w0, c0 = time.perf_counter(), cpu_self()
            # workers=1: the stages in this process, where the profiler sees them
            k0 = cpu_children()
            written = fp.run([pile], os.path.join(work, "out-prof"), runner=args.runner, workers=args.workers)
            wall, cpu, workers_cpu = time.perf_counter() - w0, cpu_self() - c0, cpu_children() - k0
            stats = profiler.stop()
            print(f"the same run under cProfile, in this process (workers={args.workers}): {wall:.2f} s wall, "
                  f"{cpu:.2f} s CPU here, {workers_cpu:.2f} s in worker processes ({written.pairs} pairs); "
                  f"load {loadavg()}")
            show_profile(stats, args.top)
            if args.save:
                stats.dump_stats(args.save)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept {work}")


BLOCKING = ("poll' of", "acquire' of", "select' of", "sleep", "wait")  # built-ins that wait


def show_profile(stats: pstats.Stats, top: int) -> None:
    # cProfile charges a thread's blocking waits to these built-ins even on its CPU clock
    # (their sum exceeds the process's CPU time): left out, and printed apart
    waits = {k: v for k, v in stats.stats.items() if k[0] == "~" and any(b in k[2] for b in BLOCKING)}
    for k in waits:
        del stats.stats[k]
    stats.total_tt = sum(v[2] for v in stats.stats.values())
    print(f"\nblocking waits left out: {sum(v[2] for v in waits.values()):.2f} s "
          f"({', '.join(sorted({k[2] for k in waits}))})")
    total = stats.total_tt
    rows, in_stages = stage_table(stats)
    imports = sum(ct for (fn, _, name), (_, _, _, ct, _) in stats.stats.items()
                  if name == "_find_and_load" and "importlib._bootstrap" in fn)
    print(f"\nprofiled CPU of this process, imports and server start-up included: {total:.2f} s "
          f"(imports {imports:.2f} s of it, some inside the stages below)\n")
    print(f"{'stage':<44}{'CPU s':>9}{'share':>8}")
    for name, sec in rows:
        print(f"{name:<44}{sec:>9.2f}{sec / total:>8.1%}")
    prefect_own = sum(tt for (fn, _, _), (_, _, tt, _, _) in stats.stats.items()
                      if package_of(fn) in PREFECT_PACKAGES)
    rest = total - in_stages
    print(f"{'outside the stages above':<44}{rest:>9.2f}{rest / total:>8.1%}")
    print(f"{'  of which own time in Prefect and its libraries':<44}{prefect_own:>9.2f}{prefect_own / total:>8.1%}")

    by_pkg: dict[str, float] = {}
    for (fn, _, _), (_, _, tt, _, _) in stats.stats.items():
        by_pkg[package_of(fn)] = by_pkg.get(package_of(fn), 0.0) + tt
    print(f"\n{'own time by package/module':<44}{'CPU s':>9}{'share':>8}")
    for pkg, sec in sorted(by_pkg.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{pkg:<44}{sec:>9.2f}{sec / total:>8.1%}")

    print(f"\n{'top functions by own time':<60}{'calls':>10}{'own s':>8}{'incl s':>8}")
    items = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]
    for (fn, line, name), (cc, nc, tt, ct, _) in items:
        where = f"{package_of(fn)}:{line} {name}"
        print(f"{where[:59]:<60}{nc:>10}{tt:>8.2f}{ct:>8.2f}")


if __name__ == "__main__":
    main()
