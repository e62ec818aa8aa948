import json
import os
import subprocess
import sys

import pytest

from aligners.config import AlignConfig, Config, ConfigurationError, FeatureParams
from aligners.cache.keys import stage_config, stage_key

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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


# --- validation at load: one test per kind of bad value --------------------------------

@pytest.mark.parametrize("data, key, allowed", [
    ({"text": {"max_segment_chars": 0}}, "[text] max_segment_chars", "at least 1"),        # zero size
    ({"text": {"max_segment_chars": -1}}, "[text] max_segment_chars", "at least 1"),       # negative size
    ({"align": {"max_src": 0}}, "[align] max_src", "at least 1"),
    ({"align": {"null_cost": -5}}, "[align] null_cost", "at least 0"),                     # negative cost
    ({"align": {"min_score": 5}}, "[align] min_score", "between 0 and 1"),                 # probability
    ({"align": {"min_score": -0.1}}, "[align] min_score", "between 0 and 1"),
    ({"align": {"min_score": float("nan")}}, "[align] min_score", "finite"),               # non-finite
    ({"align": {"features": {"idf_power": float("inf")}}}, "[align.features] idf_power", "finite"),
    ({"align": {"min_score": "high"}}, "[align] min_score", "a number"),                   # type
    ({"decode": {"to_simplified": "no"}}, "[decode] to_simplified", "true or false"),      # truthy string
    ({"align": {"max_src": 2.5}}, "[align] max_src", "whole number"),
    ({"align": {"max_src": True}}, "[align] max_src", "whole number"),
    ({"text": {"language_checker": "nonsense"}}, "[text] language_checker", "'pycld2', 'langdetect'"),  # enum
    ({"text": {"disabled_rules": "quote-style"}}, "[text] disabled_rules", "list in brackets"),  # string for list
    ({"text": {"disabled_rules": ["quote-style", "no-such-rule"]}}, "[text] disabled_rules", "quote-style"),  # registry
    ({"align": {"features": 3}}, "[align.features]", "table"),
    ({"align": 3}, "[align]", "table"),
])
def test_a_bad_value_is_refused_with_one_line_naming_the_key_and_what_is_allowed(data, key, allowed):
    with pytest.raises(ConfigurationError) as err:
        Config.from_dict(data)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(key)
    assert allowed in message


def test_rule_names_are_checked_against_the_normalisation_registry():
    from aligners.text.normalize import RULE_NAMES

    assert Config.from_dict({"text": {"disabled_rules": list(RULE_NAMES)}}).text.disabled_rules == RULE_NAMES


def test_direct_construction_is_checked_too():
    from aligners.config import TextConfig

    with pytest.raises(ConfigurationError, match="max_segment_chars"):
        Config(text=TextConfig(max_segment_chars=0))


def test_integers_for_float_settings_hash_like_floats():
    assert Config.from_dict({"align": {"merge": 1}}) == Config.from_dict({"align": {"merge": 1.0}})
    assert Config.from_dict({"align": {"merge": 1}}).signature() == Config(align=AlignConfig(merge=1.0)).signature()


def test_a_deployment_round_trip_of_the_config_is_accepted():
    c = Config.from_dict({"text": {"disabled_rules": ["quote-style"]}})
    assert Config.from_dict(json.loads(json.dumps(c.to_dict()))) == c


def test_a_new_section_is_checked_from_its_annotations_and_checks_alone():
    """What another section gets by declaring itself: no registration beyond the dataclass."""
    from dataclasses import dataclass
    from typing import ClassVar

    from aligners.config import Check, at_least, check_section

    @dataclass(frozen=True)
    class Extra:
        size: int = 3
        names: tuple[str, ...] = ()
        CHECKS: ClassVar[dict[str, Check]] = {"size": at_least(1)}

    check_section(Extra(), "extra")
    with pytest.raises(ConfigurationError, match=r"^\[extra\] size = 0: must be at least 1$"):
        check_section(Extra(size=0), "extra")
    with pytest.raises(ConfigurationError, match=r"^\[extra\] names"):
        check_section(Extra(names="a"), "extra")


def test_the_cli_refuses_a_bad_config_with_exit_2_before_prefect_is_imported(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("你好。\nHello.\n", encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text('[align]\nmin_score = "high"\n', encoding="utf-8")
    code = ("import sys; from flows.cli import main; rc = main(sys.argv[1:]); "
            "print('prefect' in sys.modules); sys.exit(rc)")
    res = subprocess.run([sys.executable, "-c", code, "run", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                          "--config", str(bad)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 2
    assert res.stdout.strip() == "False"
    assert res.stderr.strip().splitlines() == [
        'bitextflow run: bad config: [align] min_score = "high": must be a number']
    assert not (tmp_path / "out").exists()


def test_min_score_from_the_command_line_is_checked_too(tmp_path):
    res = subprocess.run([sys.executable, "-m", "flows", "run", "--min-score", "nan", "--out", str(tmp_path / "o")],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 2
    assert "min_score = nan: must be a finite number" in res.stderr


def test_every_check_names_a_setting_of_its_section():
    """A check left behind by a removed setting would silently check nothing."""
    import dataclasses
    import typing

    def sections(cls):
        yield cls
        for f in dataclasses.fields(cls):
            kind = typing.get_type_hints(cls)[f.name]
            if dataclasses.is_dataclass(kind):
                yield from sections(kind)

    for cls in sections(Config):
        names = {f.name for f in dataclasses.fields(cls)}
        assert set(getattr(cls, "CHECKS", {})) <= names, cls.__name__
