"""Stage keys: each stage's key covers the code its output depends on, whole folders of it."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from aligners.cache import keys
from aligners.config import Config

STAGES = ("read", "segment", "align")


@pytest.fixture
def library(tmp_path, monkeypatch):
    """A copy of aligners/ that the stage keys read instead of the real one."""
    root = tmp_path / "aligners"
    shutil.copytree(keys._ROOT, root, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(keys, "_ROOT", str(root))
    return root


def stage_keys() -> dict:
    return {stage: keys.stage_key(Config(), stage) for stage in STAGES}


def first_module(folder) -> str:
    return sorted(p for p in os.listdir(folder) if p.endswith(".py") and p != "__init__.py")[0]


def keys_around_an_edit(folder) -> tuple[dict, dict]:
    """The stage keys before and after a comment is appended to ``folder``'s first module."""
    before = stage_keys()
    with open(folder / first_module(folder), "a", encoding="utf-8") as fh:
        fh.write("\n# an edit\n")
    return before, stage_keys()


def test_the_align_key_covers_the_aligners_code(library):
    before, edited = keys_around_an_edit(library / "align")
    assert edited["align"] != before["align"]
    assert (edited["read"], edited["segment"]) == (before["read"], before["segment"])
    (library / "align" / "brand_new.py").write_text("WEIGHT = 2\n", encoding="utf-8")  # a module nobody listed
    assert stage_keys()["align"] != edited["align"]


def test_a_text_edit_changes_the_segment_key_only(library):
    before, edited = keys_around_an_edit(library / "text")
    assert edited["segment"] != before["segment"]
    assert (edited["read"], edited["align"]) == (before["read"], before["align"])


# Runs one stage in a fresh interpreter and prints the files of the aligners modules it loaded
# (beyond those the configuration and the types load: their values are in the key, section by section).
PROBE = """
import json, sys
from aligners.config import Config
from aligners.types import Decoded, Document
Config()  # building one checks it, which imports what the checks need
before = set(sys.modules)
from aligners.pipeline import align_stage, segment_stage
from aligners.types import Decoded, Document
doc = Document("d", "pair", (Decoded("a", "今天天气很好。我们去公园散步。", "utf-8"),
                             Decoded("b", "The weather is fine today. We go for a walk in the park.", "utf-8")))
stage = sys.argv[1]
if stage == "segment":
    segment_stage(doc, Config())
else:
    from aligners.types import Segment
    segs = (Segment("d", 0, "zh", "今天天气很好。"), Segment("d", 1, "zh", "我们去公园散步。"),
            Segment("d", 2, "en", "The weather is fine today.", source=1),
            Segment("d", 3, "en", "We go for a walk in the park.", source=1))
    align_stage(doc, segs, Config())
print(json.dumps(sorted(m.__file__ for name, m in list(sys.modules.items())
                        if name.startswith("aligners.") and name not in before and getattr(m, "__file__", None))))
"""


@pytest.mark.parametrize("stage", ["segment", "align"])
def test_every_library_module_a_stage_runs_is_in_its_key(stage):
    done = subprocess.run([sys.executable, "-c", PROBE, stage], capture_output=True, text=True, check=True,
                          cwd=os.path.dirname(keys._ROOT))
    loaded = {os.path.realpath(f) for f in json.loads(done.stdout)}
    covered = {os.path.realpath(f) for f in keys.source_files(keys.STAGE_CODE[stage])}
    assert keys.source_files(["pipeline.py"])[0] in {f for f in json.loads(done.stdout)}  # the probe saw the stage
    assert loaded - covered == set()
