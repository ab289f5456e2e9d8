"""Every module of stackyard/discovery/ is one finder, in report order, with a mirrored test that sees it found and
missing."""

from __future__ import annotations

from pathlib import Path

from stackyard.discovery import all_finders
from stackyard.discovery.core import registry

FINDERS_DIR = Path(registry.__file__).resolve().parents[1]
TESTS_DIR = Path(__file__).resolve().parents[1]


def test_every_module_is_a_finder_in_stack_order():
    modules = sorted(path.stem for path in FINDERS_DIR.glob("*.py") if path.stem != "__init__")
    assert sorted(finder.id.replace("-", "_") for finder in all_finders()) == modules
    stacks = [finder.stack for finder in all_finders()]
    assert stacks == sorted(stacks, key=["data", "workers", "cluster"].index), "data, then workers, then cluster"


def test_every_finder_has_a_mirrored_test_of_found_and_missing():
    for finder in all_finders():
        test_file = TESTS_DIR / f"test_{finder.id.replace('-', '_')}.py"
        assert test_file.is_file(), f"{finder.id}: add {test_file.name}"
        source = test_file.read_text()
        assert "State.FOUND" in source and "State.MISSING" in source, f"{test_file.name}: a found and a missing case"
