"""Start-up of `bitextflow align`: the whole process on one chapter, as a user runs it.

First with an empty cache folder (a temporary $XDG_CACHE_HOME: the segmenter's and
CC-CEDICT's tables are built and written), then --repeat times with that cache, each
as a separate process under /usr/bin/time. Prints wall and CPU (user + system) seconds
and peak RSS of every run, the load average before it, and the median of the cached
runs; the cached runs' output is checked to be the first run's.

    nice -n 10 .venv/bin/python bench/align_startup.py [--pair ../shared/data/mac-dev/split/001] [--repeat 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAIR = ROOT.parent / "shared" / "data" / "mac-dev" / "split" / "001"


def run(pair: Path, env: dict) -> dict:
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        done = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", tf.name,
                               str(ROOT / ".venv" / "bin" / "bitextflow"), "align",
                               f"{pair}.zh", f"{pair}.en"], capture_output=True, text=True, env=env, check=True)
        wall, user, system, kb = tf.read().split()[-4:]
    return {"wall": float(wall), "cpu": float(user) + float(system), "rss_mb": int(kb) / 1024, "load": load,
            "out": done.stdout}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pair", type=Path, default=DEFAULT_PAIR, help="path without .zh/.en")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    if not Path(f"{args.pair}.zh").exists():
        print(f"no {args.pair}.zh; skipping")
        return
    lines = [len(Path(f"{args.pair}.{s}").read_text(encoding="utf-8").splitlines()) for s in ("zh", "en")]
    print(f"{args.pair.name}: {lines[0]} zh x {lines[1]} en lines")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        first = run(args.pair, env)
        print(f"no cache:  {first['wall']:.2f} s wall {first['cpu']:.2f} s CPU {first['rss_mb']:.0f} MB "
              f"(load {first['load']})")
        cpu, wall = [], []
        for _ in range(args.repeat):
            r = run(args.pair, env)
            assert r["out"] == first["out"], "a cached run printed other beads"
            cpu.append(r["cpu"])
            wall.append(r["wall"])
            print(f"cached:    {r['wall']:.2f} s wall {r['cpu']:.2f} s CPU {r['rss_mb']:.0f} MB (load {r['load']})")
        print(f"cached, median of {args.repeat}: {statistics.median(wall):.2f} s wall, "
              f"{statistics.median(cpu):.2f} s CPU (min {min(cpu):.2f})")


if __name__ == "__main__":
    main()
