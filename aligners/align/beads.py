"""The bead text format: ``[zh ids]:[en ids]`` with an optional ``:score``, one bead per line.

Ids are 0-based sentence numbers; either list may be empty (``[5]:[]``). This is the
format of Vecalign's and MAC's gold files, so ``bitextflow eval`` reads both.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Sequence

from aligners.types import Bead

_BEAD = re.compile(r"^\s*\[([^\]]*)\]\s*:\s*\[([^\]]*)\]\s*(?::\s*([-+0-9.eEnNaAiIfF]+))?\s*$")


def format_bead(bead: Bead, with_score: bool = False) -> str:
    """``[0, 1]:[2]``, or ``[0, 1]:[2]:0.8731`` with the score to 4 decimals."""
    text = f"[{', '.join(map(str, bead.src))}]:[{', '.join(map(str, bead.tgt))}]"
    return f"{text}:{bead.score:.4f}" if with_score else text


def _ids(part: str, line: str) -> tuple[int, ...]:
    items = [p.strip() for p in part.split(",")]
    if items == [""]:
        return ()
    try:
        ids = tuple(int(p) for p in items)
    except ValueError:
        raise ValueError(f"not a bead (ids must be integers): {line!r}") from None
    if any(i < 0 for i in ids):
        raise ValueError(f"not a bead (negative id): {line!r}")
    return ids


def parse_bead(line: str) -> Bead:
    """Inverse of ``format_bead``; spaces after commas optional; score defaults to 0.0."""
    m = _BEAD.match(line)
    if not m:
        raise ValueError(f"not a bead: {line!r}")
    score = float(m.group(3)) if m.group(3) is not None else 0.0
    return Bead(_ids(m.group(1), line), _ids(m.group(2), line), score)


def read_beads(path) -> list[Bead]:
    """All beads of a file, skipping blank lines."""
    text = Path(path).read_text(encoding="utf-8")
    return [parse_bead(line) for line in text.splitlines() if line.strip()]


def write_beads(beads: Iterable[Bead], path, with_score: bool = False) -> None:
    Path(path).write_text("".join(format_bead(b, with_score) + "\n" for b in beads), encoding="utf-8")


def beads_to_lines(beads: Sequence[Bead], with_score: bool = False) -> list[str]:
    return [format_bead(b, with_score) for b in beads]
