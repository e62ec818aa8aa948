"""Speed against Hunalign in the same run: whole `bitextflow align` process vs `hunalign`.

Both align the same long document (bench/align_long.py's "big" text: perturbed copies of
MAC-Dev and news-dev with repetitive stretches) at --sizes Chinese sentences, each as a
separate process under /usr/bin/time (wall, CPU = user + system, peak RSS). Hunalign is built
outside the repository (never committed): HUNALIGN=path/to/hunalign, from
hunalign-2fbcbc9-src.tar.gz (`make -C src/hunalign`). It gets a CC-CEDICT dictionary
written as `zh-word @ english gloss` lines, the English as source and the Chinese
(segmented by our segmenter, jieba's words, separated by spaces, not timed) as target, and
-onebyteencoding. Prints the load average before each run.

    HUNALIGN=... nice -n 10 .venv/bin/python bench/align_hunalign.py [--sizes 5000,30000]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.align_long import DATA, big_parts, flatten, load_parts  # noqa: E402


def timed(cmd: list[str], stdout, cwd=None) -> dict:
    load = open("/proc/loadavg").read().split()[:3]
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", tf.name, *cmd], stdout=stdout,
                       stderr=subprocess.DEVNULL, check=True, cwd=cwd)
        wall, user, system, kb = tf.read().split()[-4:]
    return {"wall": float(wall), "cpu": float(user) + float(system), "rss_mb": int(kb) / 1024, "load": " ".join(load)}


def write_dictionary(path: Path) -> None:
    from aligners.align.dictionary import cedict

    with path.open("w", encoding="utf-8") as f:
        for word, stems in sorted(cedict().items()):
            for s in stems[:3]:
                f.write(f"{word} @ {s}\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="5000,30000")
    ap.add_argument("--hunalign", default=os.environ.get("HUNALIGN", ""))
    args = ap.parse_args()
    mac, news = load_parts(DATA / "mac-dev"), load_parts(DATA / "news-dev")
    from aligners.align import chinese

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.hunalign:
            write_dictionary(tmp / "cedict.dic")
        results = {}
        for size in map(int, args.sizes.split(",")):
            zh, en, _ = flatten(big_parts(mac, news, size, 1))
            zh, en = zh[:size], en[: int(size * len(en) / max(1, len(zh)))]
            (tmp / "doc.zh").write_text("\n".join(zh) + "\n", encoding="utf-8")
            (tmp / "doc.en").write_text("\n".join(en) + "\n", encoding="utf-8")
            ours = timed([str(ROOT / ".venv" / "bin" / "bitextflow"), "align", str(tmp / "doc.zh"), str(tmp / "doc.en")],
                         subprocess.DEVNULL)
            results[size] = ours
            line = (f"{len(zh)} zh x {len(en)} en: bitextflow align {ours['wall']:.1f} s wall {ours['cpu']:.1f} s CPU "
                    f"{ours['rss_mb']:.0f} MB peak (load {ours['load']})")
            if args.hunalign:
                (tmp / "seg.zh").write_text("\n".join(" ".join(ws) for ws in chinese.segment_many(zh)) + "\n",
                                            encoding="utf-8")
                hun = timed([args.hunalign, "-onebyteencoding", str(tmp / "cedict.dic"), str(tmp / "doc.en"),
                             str(tmp / "seg.zh")], subprocess.DEVNULL, cwd=tmp)  # it writes translate.txt there
                line += (f" | hunalign {hun['wall']:.1f} s wall {hun['cpu']:.1f} s CPU {hun['rss_mb']:.0f} MB peak "
                         f"(load {hun['load']})")
            print(line, flush=True)
        sizes = sorted(results)
        if len(sizes) >= 2:
            a, b = sizes[0], sizes[-1]
            print(f"{b / a:.1f}x the sentences: {results[b]['wall'] / results[a]['wall']:.2f}x the wall time, "
                  f"{results[b]['cpu'] / results[a]['cpu']:.2f}x the CPU time")


if __name__ == "__main__":
    main()
