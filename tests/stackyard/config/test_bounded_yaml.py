"""Config and adoption files are read within limits: aliases of aliases, megabytes or deep nesting are refused,
naming the limit, before anything is built from them."""

from __future__ import annotations

import os

import pytest
import yaml

from stackyard.config import ConfigError, load_config
from stackyard.config.adoption import adoption_path, load_adoption
from stackyard.config.bounded_yaml import MAX_BYTES, MAX_VALUES, TooLarge, expanded_size, safe_load
from tests.bad_configs import ALIAS_BOMB, GOOD_STORE


def test_aliases_a_config_uses_are_read_as_plain_yaml_reads_them():
    text = "tags: &shared {team: ml}\nextra: *shared\nlist: [*shared, *shared]\n"
    assert safe_load(text) == yaml.safe_load(text)


def test_an_alias_counts_what_it_expands_to():
    # the mapping, a and its two items, b (an alias of those three), their keys
    assert expanded_size(yaml.compose("a: &x [1, 2]\nb: *x\n")) == 1 + 2 + 3 + 3


def test_a_recursive_alias_is_counted_once_and_read():
    loaded = safe_load("a: &a [*a]\n")
    assert loaded["a"][0] is loaded["a"]


def test_aliases_of_aliases_are_refused_naming_the_limit():
    assert expanded_size(yaml.compose(ALIAS_BOMB)) > 9**8
    with pytest.raises(TooLarge, match=f"more than {MAX_VALUES:,} values"):
        safe_load(ALIAS_BOMB)


def test_a_config_file_beyond_the_size_limit_is_refused_without_being_read(tmp_path):
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as file:
        file.truncate(3 * 2**30)  # 3 GiB, sparse: reading it would take minutes and the memory
    with pytest.raises(ConfigError) as caught:
        load_config(huge)
    (problem,) = caught.value.problems
    assert f"{3 * 2**30:,} bytes" in problem and f"limit {MAX_BYTES:,}" in problem


def test_an_adoption_file_of_aliases_of_aliases_is_refused_naming_it(tmp_path):
    config = tmp_path / "stackyard.yaml"
    config.write_text(GOOD_STORE)
    adoption_path(config).write_text(ALIAS_BOMB)
    with pytest.raises(ConfigError) as caught:
        load_adoption(config)
    assert str(adoption_path(config)) in caught.value.render()
    assert "expands to more than" in caught.value.render()


def test_the_limits_leave_room_for_any_real_config():
    example = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "everything-on.yaml")
    with open(example, encoding="utf-8") as file:
        text = file.read()
    assert len(text) * 20 < MAX_BYTES
    assert expanded_size(yaml.compose(text)) * 100 < MAX_VALUES
