"""A 50 MB input with no line break through the whole run.

    python bench/giant_file.py [--mb 50] [--cli]

Writes the file to a temporary folder, runs it through the library path (default)
or through `bitextflow run` (--cli, Prefect included), and prints the time, the
number of segments and whether every non-space character was accounted for.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

WORDS = "the tea garden village mist morning basket hillside picking years rain spring buds".split()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=50)
    ap.add_argument("--cli", action="store_true")
    args = ap.parse_args()
    rng = random.Random(0)
    target = int(args.mb * 1_000_000)
    parts, size = [], 0
    while size < target:
        w = rng.choice(WORDS)
        parts.append(w)
        size += len(w) + 1
    text = " ".join(parts)
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "in")
        os.mkdir(folder)
        path = os.path.join(folder, "giant.txt")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"input: {len(text):,} characters, no line break")
        t0 = time.perf_counter()
        if args.cli:
            out = os.path.join(tmp, "out")
            res = subprocess.run([sys.executable, "-m", "flows", "run", folder, "--out", out, "--quiet"],
                                 capture_output=True, text=True)
            seconds = time.perf_counter() - t0
            with open(os.path.join(out, "segments.tsv"), encoding="utf-8") as fh:
                rows = fh.read().split("\n")[1:-1]
            kept = "".join("".join(r.split("\t")[-1].split()) for r in rows)
            print(f"bitextflow run: exit {res.returncode}, {seconds:.1f} s, {len(rows):,} segments, "
                  f"non-space characters in segments.tsv == input: {kept == ''.join(text.split())}")
        else:
            from aligners.io.inputs import DocSpec, read_document
            from aligners.pipeline import process_document

            result = process_document(read_document(DocSpec("giant", "mixed", (path,))))
            seconds = time.perf_counter() - t0
            raw = "".join("".join(s.raw.split()) for s in result.segments)
            print(f"library: {seconds:.1f} s, {len(result.segments):,} segments "
                  f"({sorted({s.status for s in result.segments})}), "
                  f"every non-space character accounted for: {raw == ''.join(text.split())}")


if __name__ == "__main__":
    main()
