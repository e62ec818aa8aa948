"""Find the documents in the user's inputs and read them.

Conventions: in a folder, ``NAME.zh.txt`` with ``NAME.en.txt`` is a document pair
with doc_id ``NAME``; any other ``*.txt`` is one document that may mix both
languages (doc_id = file name without ``.txt``). Files named on the command line
follow the same rule whatever their suffix. Folders are walked recursively in
sorted order without following symlinked folders (so a symlink loop cannot trap
the walk); a doc_id found in a subfolder is its relative path.

Doc ids are labels, never paths: outputs are written under fixed names only.
"""
from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass

from aligners.config import DecodeConfig
from aligners.io.decode import decode_bytes
from aligners.types import Decoded, Document

PAIR_SUFFIXES = {".zh.txt": 0, ".en.txt": 1}


@dataclass(frozen=True)
class DocSpec:
    """Where one document comes from. ``paths`` are (zh, en) for a pair, else (path,)."""

    doc_id: str
    kind: str  # "pair" or "mixed"
    paths: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """An input that is not a document, and why (listed in the report)."""

    path: str
    reason: str


def discover(inputs: list[str]) -> tuple[list[DocSpec], list[Skipped]]:
    """Turn files and folders into document specs, in a deterministic order."""
    files: list[tuple[str, str]] = []  # (path, label relative to the input root)
    skipped: list[Skipped] = []
    for given in inputs:
        try:
            st = os.stat(given)
        except OSError as exc:
            skipped.append(Skipped(_display(given), _os_reason(exc)))
            continue
        if stat.S_ISDIR(st.st_mode):
            found, problems = _walk(given)
            files.extend(found)
            skipped.extend(problems)
        else:
            files.append((given, os.path.basename(given)))

    groups: dict[tuple[str, str], dict[int, str]] = {}
    singles: list[tuple[str, str]] = []
    for path, label in files:
        side = _pair_side(label)
        if side is None:
            singles.append((path, label))
        else:
            stem = label[: -len(".zh.txt")]
            groups.setdefault((os.path.dirname(os.path.abspath(path)), stem), {})[side] = path

    specs: list[DocSpec] = []
    for (_, stem), sides in groups.items():
        if len(sides) == 2:
            specs.append(DocSpec(stem, "pair", (sides[0], sides[1])))
        else:
            (side, path), = sides.items()
            missing = stem + (".en.txt" if side == 0 else ".zh.txt")
            specs.append(DocSpec(stem, "mixed", (path,), (f"pair incomplete: {missing} not found",)))
    for path, label in singles:
        stem = label[:-4] if label.endswith(".txt") else label
        specs.append(DocSpec(stem, "mixed", (path,)))

    specs.sort(key=lambda s: (s.doc_id, s.paths))
    return _unique_ids(specs), sorted(skipped, key=lambda s: s.path)


def read_document(spec: DocSpec, config: DecodeConfig = DecodeConfig()) -> Document:
    """Read and decode every file of a spec. Unreadable files become rejected sources."""
    sources = tuple(_read_one(path, config) for path in spec.paths)
    if spec.notes:
        first = sources[0]
        sources = (Decoded(first.path, first.text, first.encoding, first.replaced, first.error,
                           first.notes + spec.notes),) + sources[1:]
    return Document(spec.doc_id, spec.kind, sources)


def _read_one(path: str, config: DecodeConfig) -> Decoded:
    shown = _display(path)
    try:
        size = os.path.getsize(path)
        if size > config.max_bytes:
            return Decoded(shown, "", "", error=f"file too large ({size:,} bytes > limit {config.max_bytes:,})")
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return Decoded(shown, "", "", error=_os_reason(exc))
    return decode_bytes(data, shown, config)


def _walk(root: str) -> tuple[list[tuple[str, str]], list[Skipped]]:
    found, skipped = [], []

    def on_error(exc: OSError) -> None:
        skipped.append(Skipped(_display(exc.filename or root), _os_reason(exc)))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = os.path.join(dirpath, name)
            label = os.path.relpath(path, root).replace(os.sep, "/")
            if not name.endswith(".txt"):
                skipped.append(Skipped(_display(path), "not a .txt file"))
                continue
            try:
                os.stat(path)  # follows a symlinked file; fails on a dangling or looping link
            except OSError as exc:
                skipped.append(Skipped(_display(path), _os_reason(exc)))
                continue
            found.append((path, label))
        for d in list(dirnames):
            if os.path.islink(os.path.join(dirpath, d)):
                skipped.append(Skipped(_display(os.path.join(dirpath, d)), "symlinked folder not followed"))
    return found, skipped


def _pair_side(label: str) -> int | None:
    for suffix, side in PAIR_SUFFIXES.items():
        if label.endswith(suffix) and len(label) > len(suffix):
            return side
    return None


def _unique_ids(specs: list[DocSpec]) -> list[DocSpec]:
    seen: dict[str, int] = {}
    out = []
    for spec in specs:
        doc_id = safe_label(spec.doc_id)
        n = seen.get(doc_id, 0) + 1
        seen[doc_id] = n
        if n > 1:
            doc_id = f"{doc_id}~{n}"
        out.append(DocSpec(doc_id, spec.kind, spec.paths, spec.notes))
    return out


def safe_label(name: str) -> str:
    """A file name made safe for a TSV field and a terminal: control and format
    characters (tab, newline, ESC, bidi overrides) become ``\\uXXXX``; bytes that
    were not valid in the file system encoding become U+FFFD."""
    out = []
    for ch in name:
        if "\udc80" <= ch <= "\udcff":
            out.append("\ufffd")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _display(path) -> str:
    return safe_label(os.fsdecode(path))


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "cannot read: permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder"
    if getattr(exc, "errno", None) == 40:  # ELOOP
        return "symlink loop"
    return f"cannot read: {exc.strerror or exc.__class__.__name__}"
