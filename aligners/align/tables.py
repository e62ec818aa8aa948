"""Lookup tables built once and kept in a cache file that a process reads in milliseconds.

The word segmenter (wordseg.py) and CC-CEDICT (dictionary.py) each keep their tables as
numpy arrays in one file under ``$XDG_CACHE_HOME/bitextflow`` (default ``~/.cache``):
a header naming each array's dtype and shape, the raw bytes, and a CRC-32 of it all.
Reading maps the file and makes views into it (no per-word Python objects), so the
process pays for the words it looks up, not for the whole dictionary. A missing,
truncated or corrupt file reads as None and is rebuilt by the caller (written to a
temporary file and renamed into place); an unwritable cache folder only costs the
build. The file name carries a key of what the tables are made from (package
versions, source file sizes and times, the building code), so an upgrade rebuilds;
after a rebuild only the newest ``KEEP`` files of that kind stay (several virtual
environments may share the folder, each with its own key), so upgrades do not pile
up files of ~27 MB.

``KeyTable`` looks strings up in batches: keys of one length, packed three code
points to a 64-bit word, in an open-addressing hash table probed with numpy.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import zlib
from pathlib import Path

import numpy as np

MAGIC = b"bitextflow-tables\n"
KEEP = 3  # cache files of one kind kept after a rebuild: this one and the two newest others


def cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "bitextflow"


def package_dir(name: str) -> Path:
    """The folder of an installed package, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {name} package is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def distribution_version(dist: str, package: Path) -> str:
    """The version of distribution ``dist`` (its ``*.dist-info`` beside ``package``), or "unknown".

    Read from the folder name, which costs a directory listing where importlib.metadata
    costs a tenth of a second of imports and path scans."""
    want = re.sub(r"[-_.]+", "_", dist).lower()
    try:
        names = sorted(os.listdir(package.parent))
    except OSError:
        names = []
    for name in names:
        if name.endswith((".dist-info", ".egg-info")):
            project, _, version = name.rsplit(".", 1)[0].rpartition("-")
            if re.sub(r"[-_.]+", "_", project).lower() == want:
                return version
    return "unknown"


def source_key(*parts: str, files=(), code=()) -> str:
    """A short key of ``parts`` (versions, format numbers), data ``files`` (name, size,
    time) and the bytes of the ``code`` files that build the tables."""
    h = hashlib.sha256(" ".join(parts).encode())
    for path in files:
        st = os.stat(path)
        h.update(f"{os.path.basename(path)} {st.st_size} {st.st_mtime_ns}".encode())
    for path in code:
        h.update(Path(path).read_bytes())
    return h.hexdigest()[:16]


def write_tables(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` to ``path`` atomically; an unwritable folder is ignored."""
    header, chunks, offset = [], [], 0
    for name, arr in arrays.items():
        arr = np.ascontiguousarray(arr)
        header.append({"name": name, "dtype": arr.dtype.str, "shape": list(arr.shape), "offset": offset})
        chunks.append(arr.tobytes())
        offset += arr.nbytes
    head = json.dumps(header).encode()
    body = MAGIC + len(head).to_bytes(8, "little") + head + b"".join(chunks)
    blob = body + zlib.crc32(body).to_bytes(4, "little")
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tables-")
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, path)
    except OSError:  # a read-only home: the build is only paid again next time
        return
    prune_stale(path)


def prune_stale(path: Path, keep: int = KEEP) -> None:
    """Remove all but the ``keep`` newest cache files of ``path``'s kind (the name before
    its first ``-``: ``cedict-…``, ``wordseg-…``), ``path`` itself always kept. A process
    that has an older file mapped keeps its pages (POSIX unlink)."""
    kind = path.name.split("-", 1)[0] + "-"
    try:
        others = [p for p in path.parent.iterdir()
                  if p.name.startswith(kind) and p.name != path.name and p.is_file()]
        others.sort(key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
    except OSError:
        return
    for stale in others[keep - 1:]:
        try:
            stale.unlink()
        except OSError:
            pass


def read_tables(path: Path) -> dict[str, np.ndarray] | None:
    """The arrays written by ``write_tables`` (read-only views of one buffer), or None
    when the file is missing, truncated or corrupt."""
    import mmap

    try:
        with open(path, "rb") as f:
            blob = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable or empty
        return None
    if len(blob) < len(MAGIC) + 12 or blob[:len(MAGIC)] != MAGIC:
        return None
    # mapped, not read: the file's pages come from the page cache, several per fault;
    # a cache file is replaced by renaming, never rewritten in place
    body = memoryview(blob)[:-4]
    if zlib.crc32(body).to_bytes(4, "little") != blob[-4:]:
        return None
    at = len(MAGIC)
    size = int.from_bytes(body[at:at + 8], "little")
    try:
        header = json.loads(bytes(body[at + 8:at + 8 + size]))
        data = body[at + 8 + size:]
        out = {}
        for item in header:
            dtype = np.dtype(item["dtype"])
            count = int(np.prod(item["shape"], dtype=np.int64))
            out[item["name"]] = np.frombuffer(data, dtype, count, item["offset"]).reshape(item["shape"])
        return out
    except (ValueError, TypeError, KeyError):
        return None


_MIX = np.uint64(0x9E3779B97F4A7C15)


def pack(codes: np.ndarray) -> np.ndarray:
    """(n, L) code points -> (n, ceil(L / 3)) uint64, three 21-bit code points a word (exact)."""
    n, length = codes.shape
    width = max(1, (length + 2) // 3)
    padded = np.zeros((n, width * 3), np.uint64)
    padded[:, :length] = codes
    padded = padded.reshape(n, width, 3)
    return (padded[:, :, 0] << np.uint64(42)) | (padded[:, :, 1] << np.uint64(21)) | padded[:, :, 2]


_MIX2 = np.uint64(0xBF58476D1CE4E5B9)


def _slot(words: np.ndarray, cap: int) -> np.ndarray:
    """Home slot of each packed key in a table of ``cap`` (a power of two) slots: the top
    bits of a multiplicative hash (the low bits of a product depend on low bits only)."""
    h = np.zeros(len(words), np.uint64)
    for j in range(words.shape[1]):
        h = (h ^ words[:, j]) * _MIX
        h ^= h >> np.uint64(31)
    h *= _MIX2
    return (h >> np.uint64(64 - (cap.bit_length() - 1))).astype(np.int64)


def codes_of(strings, length: int) -> np.ndarray:
    """(n, length) code points of strings that all have ``length`` characters."""
    arr = np.array(strings, dtype=f"<U{length}")
    return arr.view(np.uint32).reshape(len(arr), length)


class KeyTable:
    """Keys of one length -> row numbers, looked up in batches.

    ``keys`` (n, W) uint64 packed keys (unique), ``slots`` the hash table: a row number
    per slot, -1 for an empty one (at most half the slots are used)."""

    def __init__(self, keys: np.ndarray, slots: np.ndarray):
        self.keys, self.slots = keys, slots
        self.mask = len(slots) - 1

    @classmethod
    def build(cls, packed: np.ndarray) -> "KeyTable":
        n = len(packed)
        cap = 1 << max(3, int(2 * n).bit_length())
        slots = np.full(cap, -1, np.int32)
        mask = cap - 1
        at = _slot(packed, cap)
        pending = np.arange(n)
        while len(pending):
            s = at[pending]
            free = slots[s] == -1
            taken, first = np.unique(s[free], return_index=True)
            winners = pending[free][first]
            slots[taken] = winners
            placed = np.zeros(n, bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            at[pending] = (at[pending] + 1) & mask
        return cls(packed, slots)

    def find(self, packed: np.ndarray) -> np.ndarray:
        """Row number of each packed key, -1 where absent."""
        out = np.full(len(packed), -1, np.int64)
        if not len(self.keys) or not len(packed):
            return out
        at = _slot(packed, len(self.slots))
        active = np.arange(len(packed))
        while len(active):
            row = self.slots[at]
            empty = row < 0
            same = ~empty
            same[same] = (self.keys[row[same]] == packed[active[same]]).all(axis=1)
            out[active[same]] = row[same]
            go_on = ~(empty | same)
            active = active[go_on]
            at = (at[go_on] + 1) & self.mask
        return out

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}.keys": self.keys, f"{prefix}.slots": self.slots}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> "KeyTable":
        return cls(arrays[f"{prefix}.keys"], arrays[f"{prefix}.slots"])


class StringTable:
    """Strings of any length -> row numbers, looked up in batches (one KeyTable per length)."""

    def __init__(self, tables: dict[int, tuple[KeyTable, np.ndarray]]):
        self.tables = tables  # length -> (KeyTable, row number of each of its keys)

    @classmethod
    def build(cls, strings) -> "StringTable":
        """Rows are positions in ``strings`` (no repeats, no empty string)."""
        by_length: dict[int, list[int]] = {}
        for row, s in enumerate(strings):
            by_length.setdefault(len(s), []).append(row)
        tables = {}
        for length, rows in sorted(by_length.items()):
            keys = pack(codes_of([strings[r] for r in rows], length))
            tables[length] = (KeyTable.build(keys), np.array(rows, np.int32))
        return cls(tables)

    def find(self, strings) -> np.ndarray:
        """Row of each string, -1 where absent."""
        out = np.full(len(strings), -1, np.int64)
        by_length: dict[int, list[int]] = {}
        for k, s in enumerate(strings):
            by_length.setdefault(len(s), []).append(k)
        for length, ks in by_length.items():
            if length not in self.tables:
                continue
            table, rows = self.tables[length]
            hit = table.find(pack(codes_of([strings[k] for k in ks], length)))
            ks = np.array(ks)
            out[ks[hit >= 0]] = rows[hit[hit >= 0]]
        return out

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        out = {f"{prefix}.lengths": np.array(sorted(self.tables), np.int32)}
        for length, (table, rows) in self.tables.items():
            out.update(table.arrays(f"{prefix}.{length}"))
            out[f"{prefix}.{length}.rows"] = rows
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> "StringTable":
        return cls({int(n): (KeyTable.from_arrays(arrays, f"{prefix}.{n}"), arrays[f"{prefix}.{n}.rows"])
                    for n in arrays[f"{prefix}.lengths"]})
