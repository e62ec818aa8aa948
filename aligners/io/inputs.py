"""Find the documents in the user's inputs and read them.

Conventions: in a folder, ``NAME.zh.EXT`` with ``NAME.en.EXT`` is a document pair
with doc_id ``NAME``, for any document format (``.txt``, ``.html``, ``.docx``,
``.epub``, ``.pdf``, ``.md``, ``.srt``, ``.vtt``: ``aligners.io.readers``); the two
sides may be in different formats. Any other such file is one document that may
mix both languages (doc_id = file name without its extension). A ``.tmx`` or
``.tsv`` file is an existing bitext (kind ``bitext``): its pairs are kept as
pairs. Files named on the command line follow the same rules, and one with an
unknown extension is read as plain text. Folders are walked recursively in
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
from aligners.io import readers
from aligners.io.runs import is_output_folder
from aligners.types import Decoded, Document

PAIR_SIDES = {".zh": 0, ".en": 1}
OUTPUT_FOLDER = "a bitextflow output folder (never read as input)"


@dataclass(frozen=True)
class DocSpec:
    """Where one document comes from. ``paths`` are (zh, en) for a pair, else (path,)."""

    doc_id: str
    kind: str  # "pair", "mixed" or "bitext"
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
    named: set[str] = set()  # files named one by one: NAME.zh/NAME.en pair across folders
    skipped: list[Skipped] = []
    for given in inputs:
        try:
            st = os.stat(given)
        except OSError as exc:
            skipped.append(Skipped(_display(given), _os_reason(exc)))
            continue
        if _in_output_folder(given):
            skipped.append(Skipped(_display(given), OUTPUT_FOLDER))
        elif stat.S_ISDIR(st.st_mode):
            found, problems = _walk(given)
            files.extend(found)
            skipped.extend(problems)
        else:
            files.append((given, os.path.basename(given)))
            named.add(given)
    files = _read_once(files)

    singles: list[tuple[str, str]] = []
    groups: dict[tuple[str, str], dict[int, list[str]]] = {}
    for path, label in files:
        side = _pair_side(label)
        if side is None:
            singles.append((path, label))
        else:
            stem = _strip_extension(label)[:-3]
            groups.setdefault((os.path.dirname(os.path.abspath(path)), stem), {}).setdefault(side, []).append(path)
    _pair_across_folders(groups, named)

    specs: list[DocSpec] = []
    for (_, stem), sides in groups.items():
        if len(sides) == 2 and len(sides[0]) == len(sides[1]) == 1:
            specs.append(DocSpec(stem, "pair", (sides[0][0], sides[1][0])))
            continue
        for side, paths in sorted(sides.items()):
            for path in paths:
                if len(sides) == 2:  # e.g. NAME.zh.html and NAME.zh.pdf beside NAME.en.pdf
                    note = "pair ambiguous: several files for one side, each read alone"
                else:
                    other = (".en" if side == 0 else ".zh") + readers.extension(path)
                    note = f"pair incomplete: {os.path.basename(stem)}{other} not found"
                specs.append(DocSpec(stem, "mixed", (path,), (note,)))
    for path, label in singles:
        kind = "bitext" if readers.is_bitext(label) else "mixed"
        specs.append(DocSpec(_strip_extension(label), kind, (path,)))

    specs.sort(key=lambda s: (s.doc_id, s.paths))
    return _unique_ids(specs), sorted(skipped, key=lambda s: s.path)


def read_document(spec: DocSpec, config: DecodeConfig = DecodeConfig()) -> Document:
    """Read and decode every file of a spec. Unreadable files become rejected sources."""
    if spec.kind == "bitext":
        sources = _read_bitext(spec.paths[0], config)
    else:
        sources = tuple(_read_one(path, config) for path in spec.paths)
    if spec.notes:
        first = sources[0]
        sources = (Decoded(first.path, first.text, first.encoding, first.replaced, first.error,
                           first.notes + spec.notes),) + sources[1:]
    return Document(spec.doc_id, spec.kind, sources)


def _read_one(path: str, config: DecodeConfig) -> Decoded:
    shown = _display(path)
    data = _read_bytes(path, config)
    if isinstance(data, str):
        return Decoded(shown, "", "", error=data)
    return readers.read_bytes(data, shown, config, name=os.fsdecode(path))


def _read_bitext(path: str, config: DecodeConfig) -> tuple[Decoded, Decoded]:
    shown = _display(path)
    data = _read_bytes(path, config)
    if isinstance(data, str):
        return Decoded(f"{shown} [zh]", "", "", error=data), Decoded(f"{shown} [en]", "", "", error=data)
    return readers.read_bitext(data, shown, config, name=os.fsdecode(path))


def _read_bytes(path: str, config: DecodeConfig) -> bytes | str:
    """The file's bytes, or why they cannot be had."""
    try:
        size = os.path.getsize(path)
        if size > config.max_bytes:
            return f"file too large ({size:,} bytes > limit {config.max_bytes:,})"
        with open(path, "rb") as fh:
            return fh.read(config.max_bytes + 1)
    except OSError as exc:
        return _os_reason(exc)


def _walk(root: str) -> tuple[list[tuple[str, str]], list[Skipped]]:
    found, skipped = [], []

    def on_error(exc: OSError) -> None:
        skipped.append(Skipped(_display(exc.filename or root), _os_reason(exc)))

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        if is_output_folder(dirpath):  # --out inside an input folder: bitextflow's own files
            skipped.append(Skipped(_display(dirpath), OUTPUT_FOLDER))
            dirnames[:] = []
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = os.path.join(dirpath, name)
            label = os.path.relpath(path, root).replace(os.sep, "/")
            if not (readers.is_document(name) or readers.is_bitext(name)):
                skipped.append(Skipped(_display(path), "not a supported file type (" + SUPPORTED + ")"))
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


SUPPORTED = ", ".join(sorted({*readers.DOCUMENT_FORMATS, *readers.BITEXT_FORMATS}))


def _in_output_folder(path: str) -> bool:
    folder = os.path.realpath(path)
    while True:
        if is_output_folder(folder):
            return True
        parent = os.path.dirname(folder)
        if parent == folder:
            return False
        folder = parent


def _pair_across_folders(groups: dict, named: set[str]) -> None:
    """NAME.zh.EXT and NAME.en.EXT named one by one from two folders are a pair, when each
    is alone in its folder and no other named file claims that NAME."""
    lone: dict[str, list[tuple[str, str]]] = {}
    for (folder, stem), sides in groups.items():
        paths = [p for ps in sides.values() for p in ps]
        if len(paths) == 1 and paths[0] in named:
            lone.setdefault(stem, []).append((folder, stem))
    for stem, keys in lone.items():
        if len(keys) == 2 and set(groups[keys[0]]) | set(groups[keys[1]]) == {0, 1}:
            groups[keys[0]].update(groups.pop(keys[1]))


def _read_once(files: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each file once, however often it was given (a folder twice, a file and its folder):
    the first mention wins."""
    seen: set[str] = set()
    out = []
    for path, label in files:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            out.append((path, label))
    return out


def _pair_side(label: str) -> int | None:
    """0 for NAME.zh.EXT, 1 for NAME.en.EXT (EXT a document format), else None."""
    if not readers.is_document(label):
        return None
    stem = _strip_extension(label)
    for suffix, side in PAIR_SIDES.items():
        if stem.lower().endswith(suffix) and len(stem.rsplit("/", 1)[-1]) > len(suffix):  # also NAME.ZH.TXT
            return side
    return None


def _strip_extension(label: str) -> str:
    ext = readers.extension(label)
    known = ext in readers.DOCUMENT_FORMATS or ext in readers.BITEXT_FORMATS
    return label[: -len(ext)] if known and ext else label


def unique_ids(specs: list[DocSpec]) -> list[DocSpec]:
    """The specs with safe doc ids, a repeated id numbered ``~2``, ``~3`` ... in order."""
    return _unique_ids(specs)


def display(path) -> str:
    """A path as messages and reports show it (a safe label)."""
    return _display(path)


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
