"""The ``bitextflow`` command line: parse, build a config, make one library call, print.

Exit status: 0 when the command completed (for ``run``: even when some files were
rejected; the report lists them), 2 for bad arguments, 3 when there was no input
to work on, 4 when the output folder cannot be written (also: disk full, or for
``prune``: a run is working in it), 1 for anything unexpected; a command stopped by
a signal exits with 128 + its number (130 for Ctrl-C, 143 for SIGTERM).
Prefect is imported only by the commands that run flows.
"""
from __future__ import annotations

import argparse
import errno
import json
import os
import sys
import time

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_NO_INPUT, EXIT_NOT_WRITABLE = 0, 1, 2, 3, 4


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bitextflow", description="Chinese-English alignment and cleanup pipeline.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    r = sub.add_parser("run", help="turn input files and folders into a TSV corpus (Prefect flow)")
    r.add_argument("inputs", nargs="*", metavar="INPUT", help="files or folders (default: seeds/)")
    r.add_argument("--out", default="outputs", metavar="DIR", help="output folder (default: outputs/)")
    r.add_argument("--config", metavar="FILE", help="TOML file with [decode], [text], [align] settings")
    r.add_argument("--to-simplified", action="store_true", help="convert Traditional Chinese to Simplified")
    r.add_argument("--min-score", type=float, help="pair beads scoring at least this (default from config)")
    r.add_argument("--format", metavar="F[,F...]", type=_formats,
                   help="also write the corpus as tmx, moses, jsonl and/or parquet (default from [output] formats)")
    r.add_argument("--match", action="store_true",
                   help="pair files whose names do not pair them by content (writes documents.tsv)")
    r.add_argument("--runner", choices=("thread", "dask"), default="thread",
                   help="task runner: threads in this process (default) or a Dask cluster")
    r.add_argument("--address", metavar="tcp://HOST:PORT",
                   help="with --runner dask: an existing Dask scheduler (default: a LocalCluster, one process per core)")
    r.add_argument("--quiet", action="store_true", help="print nothing but errors")
    r.add_argument("--verbose", action="store_true", help="show Prefect's log lines")

    a = sub.add_parser("align", help="align two files of one sentence per line; print beads")
    a.add_argument("src")
    a.add_argument("tgt")
    a.add_argument("--src-lang", choices=("zh", "en", "auto"), default="zh")
    a.add_argument("--tgt-lang", choices=("zh", "en", "auto"), default="en")
    a.add_argument("--score", action="store_true", help="append :score to every bead")
    a.add_argument("--force", action="store_true",
                   help="align even when a file's content does not look like its declared language")
    a.add_argument("--config", metavar="FILE")

    n = sub.add_parser("normalize", help="show what the normalisation rules do to one file")
    n.add_argument("file")
    n.add_argument("--diff", action="store_true", help="only changed segments, before and after, with the rules")
    d = sub.add_parser("detect", help="show the segments and languages detected in one file")
    d.add_argument("file")
    for q in (n, d):
        q.add_argument("--config", metavar="FILE")

    s = sub.add_parser("show", help="print one document's pairs side by side, unpaired sentences in place")
    s.add_argument("doc_id")
    s.add_argument("--out", default="outputs", metavar="DIR")
    s.add_argument("--width", type=int, help="terminal width (default: detected)")

    sv = sub.add_parser("serve", help="serve a scheduled deployment of the run flow (needs PREFECT_API_URL)")
    sv.add_argument("inputs", nargs="*", metavar="INPUT", help="files or folders (default: seeds/)")
    sv.add_argument("--out", default="outputs", metavar="DIR", help="output folder (default: outputs/)")
    sv.add_argument("--cron", required=True, help='schedule, e.g. "0 3 * * *" (03:00 every day)')
    sv.add_argument("--config", metavar="FILE", help="TOML file with [decode], [text], [align] settings")

    sr = sub.add_parser("server", help="start a local Prefect server (UI and API) on 127.0.0.1")
    sr.add_argument("--port", type=int, default=4200)
    sr.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")

    pr = sub.add_parser("prune", help="delete all but the newest runs in the output folder")
    pr.add_argument("--keep", type=int, required=True, metavar="N")
    pr.add_argument("--out", default="outputs", metavar="DIR")

    x = sub.add_parser("export", help="write a finished run's corpus in another format (nothing recomputed)")
    x.add_argument("out", metavar="OUT", help="the run's output folder (its latest run is read)")
    x.add_argument("--format", required=True, choices=("tmx", "moses", "jsonl", "parquet"))
    x.add_argument("--to", required=True, metavar="FILE", help="file to write (moses: a prefix for FILE.zh, FILE.en)")
    x.add_argument("--min-score", type=float, metavar="X", help="only pairs scoring at least X")

    e = sub.add_parser("eval", help="strict and lax precision/recall/F1 of bead files against gold")
    e.add_argument("gold", help="bead file or folder")
    e.add_argument("test", help="bead file or folder (files matched by name)")
    e.add_argument("--json", action="store_true", help="print JSON")
    return p


# commands that start processes of their own: run as a supervised child (flows/supervise.py)
SUPERVISED = ("run", "serve")


def _formats(text: str) -> list[str]:
    """``tmx,moses`` -> ["tmx", "moses"] (checked with the rest of the config)."""
    return [f.strip() for f in text.split(",") if f.strip()]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    from . import supervise

    if args.command in SUPERVISED:
        if not supervise.is_supervised_child():
            return supervise.supervise([sys.executable, "-m", "flows", *argv], args.command)
        supervise.watch_parent()
        if args.command == "run":
            supervise.gc_for_start_up()  # until the run's imports are done
    try:
        return COMMANDS[args.command](args)
    except CliError as exc:
        print(f"bitextflow {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("bitextflow: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


# --- configuration ---------------------------------------------------------------

def load_config(path: str | None, **overrides):
    from aligners.config import Config, ConfigurationError

    data: dict = {}
    if path:
        import tomllib

        try:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise CliError(f"cannot read config {path}: {exc}")
    for dotted, value in overrides.items():
        if value is None:
            continue
        section, name = dotted.split(".")
        data.setdefault(section, {})[name] = value
    try:
        return Config.from_dict(data)
    except (ConfigurationError, TypeError) as exc:
        raise CliError(f"bad config: {exc}")


# --- run ------------------------------------------------------------------------

def cmd_run(args) -> int:
    config = load_config(args.config, **{"decode.to_simplified": args.to_simplified or None,
                                         "align.min_score": args.min_score, "output.formats": args.format,
                                         "match.enabled": args.match or None})
    inputs_ = args.inputs or ["seeds"]
    missing = [i for i in inputs_ if not os.path.lexists(i)]
    if len(missing) == len(inputs_):
        raise CliError(f"no input: {', '.join(missing)} not found; give files or folders of documents",
                       EXIT_NO_INPUT)
    _check_writable(args.out)

    from aligners.io import runs

    with runs.in_use(args.out):  # prune waits for this run; also marks OUT, which discovery never reads
        return _run_locked(args, config, inputs_)


def _run_locked(args, config, inputs_) -> int:
    from aligners.io.inputs import SUPPORTED, discover

    specs, _ = discover(inputs_)
    if not specs:
        raise CliError(f"no documents found in {', '.join(inputs_)} (looking for {SUPPORTED} files)", EXIT_NO_INPUT)

    from .settings import apply_prefect_defaults, run_home

    apply_prefect_defaults(verbose=args.verbose, home=run_home(args.out))
    from .runners import api_server

    t0 = time.perf_counter()
    try:
        with api_server() as api:  # a temporary server, if one is needed, starts while Prefect is imported here
            from .pipeline import run

            from .supervise import gc_started

            gc_started()

            written = run(inputs_, args.out, config, runner=args.runner, address=args.address,
                          progress=not args.quiet and sys.stderr.isatty(), api=api)
    except RuntimeError as exc:
        if "temporary Prefect server" not in str(exc):
            raise
        raise CliError(f"{exc} (a busy machine? raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, or keep "
                       "one running with `bitextflow server`)", EXIT_ERROR) from None
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
        from aligners.io.runs import remove_failed

        remove_failed(args.out, own=True)
        raise CliError(disk_full(exc, args.out), EXIT_NOT_WRITABLE) from None
    if not args.quiet:
        print(summary_line(written, os.path.join(args.out, "corpus.tsv"), time.perf_counter() - t0))
        print(f"bitextflow: reported to {written.api}")
    return EXIT_OK


def disk_full(exc: OSError, out: str) -> str:
    """'no space left on DEVICE while writing FILE' (DEVICE: the mount point of FILE's file system)."""
    path = os.path.abspath(exc.filename or out)
    folder = path if os.path.isdir(path) else os.path.dirname(path)
    while not os.path.ismount(folder):
        folder = os.path.dirname(folder)
    return f"no space left on {folder} while writing {path}; published outputs are unchanged"


def summary_line(written, corpus_path: str, seconds: float) -> str:
    """One line about a run (``written`` is the RunOutputs the flow returned)."""
    cached = written.from_cache
    from_cache = f"from cache: {cached.get('segment', 0)} segmented, {cached.get('align', 0)} aligned"
    parts = [f"{written.documents} documents ({from_cache})", f"{written.pairs} pairs",
             f"{written.unpaired} segments unpaired", f"{written.dropped} dropped"]
    corpus = written.report.get("corpus") or {}
    if corpus.get("duplicates") or corpus.get("filtered"):
        parts.insert(2, f"{corpus.get('duplicates', 0)} duplicate and {corpus.get('filtered', 0)} filtered pairs "
                        "left out")
    if written.rejected:
        parts.append(f"{written.rejected} file(s) rejected (see report.md)")
    return f"bitextflow: {', '.join(parts)} in {seconds:.1f} s -> {os.path.relpath(corpus_path)}"


def _check_writable(out: str) -> None:
    try:
        os.makedirs(out, exist_ok=True)
        probe = os.path.join(out, f".write-test-{os.getpid()}")
        with open(probe, "w"):
            pass
        os.unlink(probe)
    except OSError as exc:
        raise CliError(f"output folder {out} is not writable ({exc.strerror}); choose another with --out",
                       EXIT_NOT_WRITABLE)


# --- align ----------------------------------------------------------------------

def read_sentences(path: str) -> list[str]:
    """One sentence per line, in any encoding ``aligners.io.decode`` recognises."""
    from aligners.io.decode import decode_bytes

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}", EXIT_NO_INPUT)
    if not data:
        return []
    dec = decode_bytes(data, path)
    if dec.error and dec.error != "only whitespace":
        raise CliError(f"{path}: {dec.error}", EXIT_NO_INPUT)
    lines = dec.text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def guess_language(sentences: list[str]) -> str | None:
    """"zh" or "en" by script (Han characters count three Latin letters); None with no letters."""
    text = "".join(sentences[:2000])
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if not han and not latin:
        return None
    return "zh" if han >= latin / 3 else "en"


LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}


def cmd_align(args) -> int:
    src, tgt = read_sentences(args.src), read_sentences(args.tgt)
    seen = {"src": guess_language(src), "tgt": guess_language(tgt)}
    src_lang = (seen["src"] or "zh") if args.src_lang == "auto" else args.src_lang
    tgt_lang = (seen["tgt"] or "en") if args.tgt_lang == "auto" else args.tgt_lang
    if src_lang == tgt_lang:
        raise CliError(f"both files are {src_lang}; give one Chinese and one English file "
                       "(--src-lang/--tgt-lang)")
    if not args.force:
        for side, path, declared in (("src", args.src, src_lang), ("tgt", args.tgt, tgt_lang)):
            if seen[side] and seen[side] != declared:
                raise CliError(f"{path} looks {LANGUAGE_NAMES[seen[side]]}, not {LANGUAGE_NAMES[declared]} "
                               f"(--{side}-lang {declared}): swap the files, give --{side}-lang, "
                               "or --force to align anyway")
    config = load_config(args.config)

    from aligners.align import align_sentences
    from aligners.align.beads import format_bead
    from aligners.types import Bead

    swapped = src_lang == "en"
    zh, en = (tgt, src) if swapped else (src, tgt)
    beads = align_sentences(zh, en, config.align)
    out = sys.stdout
    for b in beads:
        if swapped:
            b = Bead(b.tgt, b.src, b.score)
        out.write(format_bead(b, with_score=args.score) + "\n")
    return EXIT_OK


# --- eval -----------------------------------------------------------------------

def _bead_files(path: str) -> dict[str, str]:
    if os.path.isdir(path):
        return {n: os.path.join(path, n) for n in sorted(os.listdir(path))
                if not n.startswith(".") and os.path.isfile(os.path.join(path, n))}
    if os.path.isfile(path):
        return {os.path.basename(path): path}
    raise CliError(f"{path} not found", EXIT_NO_INPUT)


def cmd_eval(args) -> int:
    from aligners.align.beads import read_beads
    from aligners.align.evaluate import score_alignments

    gold, test = _bead_files(args.gold), _bead_files(args.test)
    if os.path.isfile(args.gold) and os.path.isfile(args.test):
        names = [(args.gold, args.test)]
    else:
        missing = sorted(set(gold) - set(test))
        if missing:
            raise CliError(f"no test file for gold file(s): {', '.join(missing)}")
        names = [(gold[n], test[n]) for n in sorted(gold)]
    try:
        scores = score_alignments([read_beads(g) for g, _ in names], [read_beads(t) for _, t in names],
                                  names=[t for _, t in names])
    except ValueError as exc:
        raise CliError(str(exc))
    if args.json:
        print(json.dumps(scores, indent=2, sort_keys=True))
    else:
        print(format_scores(scores))
    return EXIT_OK


def format_scores(scores: dict) -> str:
    lines = []
    for kind in ("strict", "lax"):
        s = scores[kind]
        lines.append(f"{kind:<7} precision {s['precision']:.4f}  recall {s['recall']:.4f}  f1 {s['f1']:.4f}")
    extra = {k: v for k, v in scores.items() if k not in ("strict", "lax")}
    if extra:
        lines.append("  ".join(f"{k} {v}" for k, v in extra.items()))
    return "\n".join(lines)


# --- normalize / detect / show / prune ----------------------------------------------

def _read_text(path: str) -> str:
    from aligners.io.inputs import DocSpec, read_document

    src = read_document(DocSpec("-", "mixed", (path,))).sources[0]
    if src.error:
        raise CliError(f"{path}: {src.error}", EXIT_NO_INPUT)
    return src.text


def cmd_normalize(args) -> int:
    from aligners.text.segment import normalize_preview

    config = load_config(args.config)
    for line in normalize_preview(_read_text(args.file), config.text, diff=args.diff, path=args.file):
        print(line)
    return EXIT_OK


def cmd_detect(args) -> int:
    from aligners.text.segment import detect_preview

    config = load_config(args.config)
    print("seg_id\tparagraph\tlang\tflags\ttext")
    for line in detect_preview(_read_text(args.file), config.text, path=args.file):
        print(line)
    return EXIT_OK


def cmd_show(args) -> int:
    from aligners.report.terminal import show_document

    try:
        text = show_document(args.out, args.doc_id, args.width)
    except FileNotFoundError as exc:
        missing = exc.filename or os.path.join(args.out, "corpus.tsv")
        raise CliError(f"no corpus in {args.out} ({os.path.basename(missing)} missing); "
                       f"run `bitextflow run --out {args.out}` first", EXIT_NO_INPUT)
    except (ValueError, KeyError, IndexError) as exc:  # a segments.tsv/corpus.tsv of another layout
        detail = str(exc).split(" (expected")[0] if isinstance(exc, ValueError) else f"no column {exc}"
        raise CliError(f"cannot read the corpus in {args.out}: {detail}; it was written by another version "
                       f"of bitextflow: run `bitextflow run --out {args.out}` again", EXIT_NO_INPUT)
    except LookupError as exc:
        raise CliError(str(exc).strip("'\""), EXIT_NO_INPUT)
    print(text)
    return EXIT_OK


def cmd_export(args) -> int:
    from aligners.corpus.export import export_run

    if not os.path.exists(os.path.join(args.out, "corpus.tsv")):
        raise CliError(f"no corpus in {args.out}; run `bitextflow run --out {args.out}` first", EXIT_NO_INPUT)
    target_dir = os.path.dirname(os.path.abspath(args.to))
    _check_writable(target_dir)
    try:
        paths, n = export_run(args.out, args.format, args.to, args.min_score)
    except ValueError as exc:  # not a corpus.tsv
        raise CliError(str(exc), EXIT_NO_INPUT)
    print(f"bitextflow export: {n} pairs -> {', '.join(os.path.relpath(p) for p in paths)}")
    return EXIT_OK


def cmd_prune(args) -> int:
    from aligners.cache.store import prune_outputs

    if args.keep < 1:
        raise CliError("--keep must be at least 1")
    from aligners.io.runs import OutputBusy

    try:
        removed, cache = prune_outputs(args.out, args.keep)
    except OutputBusy as exc:
        raise CliError(str(exc), EXIT_NOT_WRITABLE)
    for run_id in removed:
        print(f"removed {os.path.join(args.out, 'runs', run_id)}")
    print(f"cache: removed {cache['removed']} entries no remaining run needs, kept {cache['kept']}"
          + (f" (not pruned: {cache['skipped']})" if cache["skipped"] else ""))
    return EXIT_OK


def cmd_serve(args) -> int:
    config = load_config(args.config)
    from .settings import apply_prefect_defaults

    apply_prefect_defaults()
    from .deploy import NoServerError, serve

    try:
        serve(args.inputs or ["seeds"], args.out, args.cron, config)
    except NoServerError as exc:
        raise CliError(str(exc))
    return EXIT_OK


def cmd_server(args) -> int:
    from .settings import apply_prefect_defaults

    apply_prefect_defaults()
    from .runners import prepare_home_database

    lock, _ = prepare_home_database(os.environ)  # a new home's database from the dump: ~9 s less of its first start
    if lock is not None:
        os.close(lock)
    from .deploy import server

    return server(args.port, args.host)


COMMANDS = {"run": cmd_run, "export": cmd_export, "align": cmd_align, "eval": cmd_eval, "normalize": cmd_normalize,
            "detect": cmd_detect, "show": cmd_show, "prune": cmd_prune,
            "serve": cmd_serve, "server": cmd_server}
