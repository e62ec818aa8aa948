import pytest

from aligners.config import AlignConfig, Config, ConfigurationError, FeatureParams
from aligners.cache.keys import stage_config, stage_key


def test_from_dict_reaches_every_section_including_the_aligner_features():
    c = Config.from_dict({"decode": {"to_simplified": True},
                          "align": {"merge": 0.5, "features": {"idf_power": 0.5}, "min_score": 0.3}})
    assert c.decode.to_simplified is True
    assert c.align == AlignConfig(merge=0.5, min_score=0.3, features=FeatureParams(idf_power=0.5))


@pytest.mark.parametrize("data", [{"nope": {}}, {"align": {"nope": 1}}, {"align": {"features": {"nope": 1}}}])
def test_unknown_settings_are_refused(data):
    with pytest.raises(ConfigurationError):
        Config.from_dict(data)


def test_a_section_change_changes_only_the_keys_of_the_stages_that_read_it():
    base, changed = Config(), Config(align=AlignConfig(null_cost=4.0))
    assert base.signature() != changed.signature()
    assert stage_key(base, "segment") == stage_key(changed, "segment")
    assert stage_key(base, "align") != stage_key(changed, "align")
    assert stage_key(base, "align") == stage_key(Config(), "align")  # deterministic


def test_stage_config_keeps_only_the_sections_the_stage_reads():
    c = Config.from_dict({"decode": {"to_simplified": True}, "align": {"min_score": 0.5}})
    assert stage_config(c, "segment") == Config(decode=c.decode)
    assert stage_config(c, "align") == Config(align=c.align)
