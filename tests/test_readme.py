"""The README's promises about the code: its map names every module, its public imports work."""
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def readme() -> str:
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        return fh.read()


def section(text: str, title: str) -> str:
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else len(text)]


def modules():
    """(folder relative to the repository, file name) of every module of the two packages."""
    for package in ("aligners", "flows"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, package)):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith(".py") and name != "__init__.py":
                    yield os.path.relpath(dirpath, ROOT).replace(os.sep, "/"), name


def test_the_map_names_every_module():
    layout = section(readme(), "Layout")
    missing = [f"{folder}/{name}" for folder, name in modules()
               if f"`{name}`" not in layout or f"`{folder.split('/')[-1]}/`" not in layout]
    assert missing == [], "README.md's Layout does not name: " + ", ".join(missing)


def public_imports(text: str) -> list[str]:
    """Import statements of the package in the README: lines of its Python blocks, and inline code."""
    found = []
    for block in re.findall(r"```python\n(.*?)```", text, flags=re.S):
        found += [line.strip() for line in block.splitlines() if re.match(r"\s*(from|import) (aligners|flows)\b", line)]
    for span in re.findall(r"`([^`]+)`", re.sub(r"```.*?```", "", text, flags=re.S)):
        span = " ".join(span.split())
        if re.match(r"(from|import) (aligners|flows)\b", span):
            found.append(span)
    return found


def test_the_readme_has_imports_to_check():
    imports = public_imports(readme())
    assert any("process_corpus" in i for i in imports) and len(imports) >= 4, imports


@pytest.mark.parametrize("statement", public_imports(readme()))
def test_each_public_import_in_the_readme_works(statement):
    done = subprocess.run([sys.executable, "-c", statement], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
