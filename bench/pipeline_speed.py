"""Throughput of the flow, thread runner vs Dask, and what a rerun costs.

Builds a corpus of --docs document pairs from MAC-Dev (each chapter cut into parts
at gold bead boundaries: the parts' sentences from split/, joined into running
text, a paragraph every 4 beads), then, against one temporary Prefect server:

1. the fixed cost: server start-up, and a flow run over no documents;
2. thread runner: first run, rerun with nothing changed (fraction of the first),
   rerun after editing one document, rerun with a changed align config, rerun
   with the aligner's code fingerprint changed (monkeypatched);
3. Dask (a LocalCluster of --workers processes, started by the run): first run and
   cached rerun, and whether its corpus.tsv/segments.tsv are byte-identical to the
   thread runner's.

    .venv/bin/python bench/pipeline_speed.py [--docs 300] [--workers 2] [--batch-size N]
"""
from __future__ import annotations

import argparse
import filecmp
import logging
import os
import shutil
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)
DEFAULT_DATA = os.path.join(ROOT, "..", "shared", "data", "mac-dev")  # ../shared beside the repository


def read_beads(path):
    beads = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line:
            continue
        src, tgt = line.split(":")[:2]
        parse = lambda s: [int(x) for x in s.strip("[]").split(",") if x.strip()]  # noqa: E731
        beads.append((parse(src), parse(tgt)))
    return beads


def build_corpus(folder: str, n_docs: int, data: str = DEFAULT_DATA) -> int:
    """Write about n_docs pairs NNN_pKK.zh.txt/.en.txt; returns the number written."""
    chapters = sorted(f[:-6] for f in os.listdir(os.path.join(data, "gold")) if f.endswith(".align"))
    per_chapter = max(1, round(n_docs / len(chapters)))
    written = 0
    for ch in chapters:
        zh = open(os.path.join(data, "split", ch + ".zh"), encoding="utf-8").read().split("\n")
        en = open(os.path.join(data, "split", ch + ".en"), encoding="utf-8").read().split("\n")
        beads = read_beads(os.path.join(data, "gold", ch + ".align"))
        size = max(1, -(-len(beads) // per_chapter))
        for p, start in enumerate(range(0, len(beads), size)):
            part = beads[start:start + size]
            zh_par, en_par = [], []
            for b in range(0, len(part), 4):
                group = part[b:b + 4]
                zh_par.append("".join(zh[i] for s, _ in group for i in s))
                en_par.append(" ".join(en[j] for _, t in group for j in t))
            name = os.path.join(folder, f"{ch}_p{p:03d}")
            with open(name + ".zh.txt", "w", encoding="utf-8") as fh:
                fh.write("\n\n".join(x for x in zh_par if x) + "\n")
            with open(name + ".en.txt", "w", encoding="utf-8") as fh:
                fh.write("\n\n".join(x for x in en_par if x) + "\n")
            written += 1
    return written


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - t


def same_outputs(a: str, b: str) -> bool:
    return all(filecmp.cmp(os.path.join(a, n), os.path.join(b, n), shallow=False)
               for n in ("corpus.tsv", "segments.tsv"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=None, help="default: the flow's choice")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--data", default=DEFAULT_DATA, help="MAC-Dev folder (default: ../shared/data/mac-dev)")
    args = ap.parse_args()
    if not os.path.isdir(args.data):
        print(f"MAC-Dev data not found at {args.data}; nothing to measure")
        return

    work = tempfile.mkdtemp(prefix="bench-pipeline-")
    os.environ["PREFECT_HOME"] = os.path.join(work, "prefect-home")
    from flows.settings import apply_prefect_defaults

    apply_prefect_defaults()
    corpus = os.path.join(work, "in")
    os.makedirs(corpus)
    n = build_corpus(corpus, args.docs, args.data)
    empty = os.path.join(work, "empty")
    os.makedirs(empty)
    print(f"corpus: {n} document pairs from MAC-Dev in {corpus}")

    from aligners.config import AlignConfig, Config
    import flows.pipeline as fp
    from flows.runners import api_server

    import distributed  # noqa: F401  (configures its loggers on import; quiet them after)

    logging.getLogger("distributed").setLevel(logging.WARNING)
    kw = {"batch_size": args.batch_size, "workers": args.workers}
    t0 = time.perf_counter()
    with api_server() as api:
        api.ready()
        t_server = time.perf_counter() - t0
        _, t_empty = timed(fp.run, [empty], os.path.join(work, "out-empty"), **kw)
        _, t_empty = timed(fp.run, [empty], os.path.join(work, "out-empty"), **kw)
        print(f"fixed cost: temporary server start-up {t_server:.1f} s (once per `bitextflow run` without "
              f"PREFECT_API_URL); a flow run over no documents {t_empty:.2f} s")

        out = os.path.join(work, "out-thread")
        first, t_first = timed(fp.run, [corpus], out, **kw)
        pairs = first.report["pairs"]
        print(f"thread: first run {t_first:.1f} s, {first.batches} batches of ~{first.batch_size}: "
              f"{n / t_first:.1f} documents/s, {pairs / t_first:.1f} pairs/s ({pairs} pairs)")
        body_first = first.seconds
        print(f"thread: first run's flow body (without Prefect's flow-run set-up and tear-down) {body_first:.1f} s")
        reruns, bodies = [], []
        for _ in range(5):
            again, t_again = timed(fp.run, [corpus], out, **kw)
            reruns.append(t_again)
            bodies.append(again.seconds)
        t_again, body = sorted(reruns)[2], sorted(bodies)[2]
        print(f"thread: rerun, nothing changed, 5 times: {', '.join(f'{t:.2f}' for t in reruns)} s; median "
              f"{t_again:.2f} s = {t_again / t_first:.1%} of the first; flow body "
              f"{', '.join(f'{t:.2f}' for t in bodies)} s, median {body:.2f} s = {body / body_first:.1%} of the "
              f"first's body; tasks {again.tasks}; documents reused {again.from_cache}")

        victim = sorted(os.listdir(corpus))[0]
        with open(os.path.join(corpus, victim), "a", encoding="utf-8") as fh:
            fh.write("\n新加的一句话。\n")
        edited, t_edit = timed(fp.run, [corpus], out, **kw)
        print(f"thread: rerun after editing {victim}: {t_edit:.2f} s; tasks {edited.tasks}; "
              f"documents reused {edited.from_cache} of {n}")

        cfg = Config(align=AlignConfig(min_score=0.31))
        conf, t_conf = timed(fp.run, [corpus], out, cfg, **kw)
        print(f"thread: rerun with align.min_score changed: {t_conf:.1f} s; documents reused {conf.from_cache}")

        real_key = fp.stage_key
        fp.stage_key = lambda c, stage: real_key(c, stage) + ("+edited-aligner" if stage == "align" else "")
        try:
            code, t_code = timed(fp.run, [corpus], out, **kw)
        finally:
            fp.stage_key = real_key
        print(f"thread: rerun with the aligner's code fingerprint changed: {t_code:.1f} s; "
              f"documents reused {code.from_cache}")

        if args.skip_dask:
            return
        ref = os.path.join(work, "out-ref")  # thread output for the edited corpus and default config
        fp.run([corpus], ref, **kw)
        dout = os.path.join(work, "out-dask")
        d1, t_d1 = timed(fp.run, [corpus], dout, runner="dask", **kw)
        print(f"dask ({args.workers} workers, cluster started by the run): first run {t_d1:.1f} s: "
              f"{n / t_d1:.1f} documents/s, {d1.report['pairs'] / t_d1:.1f} pairs/s; "
              f"byte-identical to thread: {same_outputs(ref, dout)}")
        d2, t_d2 = timed(fp.run, [corpus], dout, runner="dask", **kw)
        print(f"dask: rerun, nothing changed: {t_d2:.1f} s = {t_d2 / t_d1:.1%} of the first (flow body "
              f"{d2.seconds:.1f} s of {d1.seconds:.1f} s); tasks {d2.tasks}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
