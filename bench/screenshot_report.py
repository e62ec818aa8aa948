"""Render report.html for some inputs (no Prefect) and screenshot it in headless Chromium.

    .venv/bin/python bench/screenshot_report.py seeds --html /tmp/rep_seeds.html --png /tmp/rep_seeds.png

Prints the page size, the render time, console errors and any non-file request.
"""
from __future__ import annotations

import argparse
import sys
import time

from aligners import pipeline
from aligners.io import inputs
from aligners.report import summary as report
from aligners.config import Config

sys.path.insert(0, str(__import__('pathlib').Path(__file__).resolve().parents[1] / 'tests'))
from headless import check_page, find_chromium  # noqa: E402  (the tests' Chromium client)
from aligners.report.html import render_html


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("inputs", nargs="+")
    p.add_argument("--html", required=True)
    p.add_argument("--png")
    p.add_argument("--width", type=int, default=1280)
    args = p.parse_args()

    config = Config()
    specs, skipped = inputs.discover(args.inputs)
    results = [pipeline.process_document(inputs.read_document(s, config.decode), config) for s in specs]
    rep = report.build_report(results, skipped, config)
    t0 = time.perf_counter()
    html = render_html(rep, results, config.align.min_score)
    seconds = time.perf_counter() - t0
    with open(args.html, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(html)
    print(f"{args.html}: {len(html.encode()) / 1024:.1f} kB, {len(results)} documents, rendered in {seconds:.3f} s")
    if args.png:
        if not find_chromium():
            print("chromium not found; no screenshot", file=sys.stderr)
            return 1
        check = check_page(args.html, args.png, width=args.width)
        foreign = [u for u in check.requests if not u.startswith("file:")]
        print(f"{args.png}: page height {check.page_height} px, {check.svg_count} svg, "
              f"console errors {check.console_errors or 'none'}, non-file requests {foreign or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
