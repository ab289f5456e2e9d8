"""Sizes as people write them, up to seed 003's 10 GiB."""

from __future__ import annotations

import pytest

from stackyard.speed.core.sizes import LARGEST, parse_sizes, shown


def test_units_are_binary_like_seed_003s_megabyte():
    assert parse_sizes("1MiB, 1GiB,8KiB,3B") == [2**20, 2**30, 8 * 2**10, 3]
    assert parse_sizes("10GiB") == [LARGEST] == [10 * 2**30]


@pytest.mark.parametrize("text", ["11GiB", "0MiB", "1MB", "1.5GiB", "", "MiB"])
def test_anything_else_is_refused_naming_the_item(text):
    with pytest.raises(ValueError, match=repr(text.strip()) if text.strip() else "''"):
        parse_sizes(text)


def test_shown_in_the_largest_whole_unit():
    assert [shown(size) for size in (2**20, 3 * 2**30, 3072, 7)] == ["1 MiB", "3 GiB", "3 KiB", "7 B"]
    assert shown(2**20 + 1) == "1048577 B"
