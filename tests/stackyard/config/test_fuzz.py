"""Bad input, fuzzed: configs mutated from the embedded default (wrong types, out-of-range numbers, huge and
unicode strings, missing and unknown keys, bad CIDRs/ARNs/regions/bucket names/ports) go through the loader.
Each is either accepted and synthesizes, or rejected with problems that each name a field: never another
exception. A sample also goes through `stackyard config check` as a user runs it: exit 0 or 2, no traceback."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from collections import Counter
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stackyard.config import ConfigError, StackyardConfig, validate_config_data
from stackyard.config.loader import default_config_text
from tests.conftest import REPO
from tests.support.synth import synthesize

pytestmark = pytest.mark.slow

BASE: dict[str, Any] = yaml.safe_load(default_config_text())
SECTIONS = set(StackyardConfig.model_fields)
# "<dotted.path>[: | = value: | (the key): ]..." — what describe_error writes first on every problem line
_PROBLEM = re.compile(r"^(?P<top>\(top level\)|[a-z_]+)([.\[ ].*)?: \S", re.DOTALL)

BAD_VALUES = {
    "cidr": ["10.0.0.0/33", "300.1.1.1/24", "10.0.0.1/16", "10.0.0.0", "::/0", "10.0.0.0/-1"],
    "arn": ["arn:aws:iam::12345:role/x", "arn:aws:s3:::bucket", "role/valohai", "arn:aws:iam::123456789012:group/x"],
    "region": ["eu-west-9", "EU-WEST-1", "mars-north-1", ""],
    "bucket": ["My_Bucket", "ab", "a" * 64, "192.168.1.1", "xn--bucket", "bucket..name", "bucket-s3alias"],
    "port": [0, -1, 65536, 10**9, 63790.5],
}
WEIRD_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0x80, max_codepoint=0x10FFFF), min_size=1, max_size=20),
    st.just("x" * 100_000),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from([v for values in BAD_VALUES.values() for v in values]),
)


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path in the config, sections and leaves alike."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            found.append((*prefix, key))
            found.extend(paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.append((*prefix, index))
            found.extend(paths(value, (*prefix, index)))
    return found


def parent_of(config: dict, path: tuple) -> Any:
    node = config
    for part in path[:-1]:
        node = node[part]
    return node


@st.composite
def mutated_configs(draw) -> dict:
    config = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        candidates = paths(config)
        if not candidates:
            break
        path = draw(st.sampled_from(candidates))
        parent, key = parent_of(config, path), path[-1]
        kind = draw(st.sampled_from(["replace", "replace", "replace", "delete", "unknown_key", "typed_bad"]))
        if kind == "delete":
            del parent[key]
        elif kind == "unknown_key" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = draw(WEIRD_SCALARS)
        elif kind == "typed_bad":
            parent[key] = draw(st.sampled_from(BAD_VALUES[draw(st.sampled_from(sorted(BAD_VALUES)))]))
        else:
            parent[key] = draw(WEIRD_SCALARS)
    return config


def load(config: Any) -> StackyardConfig | list[str]:
    try:
        return validate_config_data(config, "fuzzed.yaml")
    except ConfigError as error:
        return error.problems


def assert_problems_name_fields(problems: list[str]) -> None:
    assert problems, "a rejection must say what is wrong"
    for problem in problems:
        if ": unknown key" in problem:  # the key is the user's own text, whatever its characters
            continue
        match = _PROBLEM.match(problem)
        assert match, f"problem does not start with a field path: {problem[:200]!r}"
        assert match["top"] in SECTIONS or match["top"] == "(top level)", problem[:200]
        assert len(problem) < 2_000, f"the bad value is shown shortened: {problem[:300]!r}"


# Synthesizing costs ~0.3 s, loading ~1 ms: the first accepted configs are synthesized, the rest only loaded
# (an accepted mutation differs from the default only in values the stacks pass through).
SYNTHESIZED_ACCEPTED = 60
EXAMPLES = 600


def test_mutated_configs_are_accepted_and_synthesize_or_rejected_naming_the_field(default_synth, tmp_path):
    outcomes = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(config=mutated_configs())
    def check(config):
        loaded = load(config)
        if isinstance(loaded, list):
            assert_problems_name_fields(loaded)
            outcomes["rejected"] += 1
            return
        outcomes["accepted"] += 1
        if outcomes["synthesized"] < SYNTHESIZED_ACCEPTED:
            outcomes["synthesized"] += 1
            synthesized = synthesize(loaded, tmp_path / f"config-{outcomes['synthesized']}")
            assert synthesized.stack_names(), "an accepted config synthesizes at least one stack"

    check()
    assert outcomes["accepted"] + outcomes["rejected"] >= 500
    # both paths were really exercised
    assert outcomes["rejected"] >= 200 and outcomes["accepted"] >= 20, outcomes


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config=mutated_configs())
def test_config_check_exits_0_or_2_without_a_traceback(config, tmp_path_factory):
    config_file = tmp_path_factory.mktemp("fuzz-cli") / "stackyard.yaml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "stackyard.cli", "config", "check", str(config_file)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode in (0, 2), done.stderr[-2000:]
    assert "Traceback" not in done.stderr + done.stdout
    expected = load(config)
    assert (done.returncode == 0) == isinstance(expected, StackyardConfig)
