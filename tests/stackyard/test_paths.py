"""Paths a command writes to are refused with one line and exit 2 before it does any work."""

from __future__ import annotations

import json

import pytest

from stackyard.paths import file_problem, folder_problem
from tests.support.cli import invoke_stackyard


@pytest.fixture
def places(tmp_path):
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("x")
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"data": {"bucket_name": "b", "secret_access_key": "s" * 40}}))
    return tmp_path


def test_a_file_is_writable_where_its_folders_can_be_made(places):
    assert file_problem(places / "new" / "deeper" / "report.json") is None
    assert file_problem(places / "a-file") is None  # replaced, as a report is
    assert "is a folder" in file_problem(places / "a-folder")
    assert file_problem(places / "a-file" / "x.json") == f"{places / 'a-file'} is a file, not a folder"


def test_a_folder_is_writable_where_it_is_or_can_be_made(places):
    assert folder_problem(places / "a-folder") is None
    assert folder_problem(places / "new" / "bundle") is None
    assert "is a file" in folder_problem(places / "a-file")
    assert folder_problem(places / "a-file" / "bundle") == f"{places / 'a-file'} is a file, not a folder"


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["verify", "--outputs", "{o}", "--output-file", "{d}/a-folder"], "--output-file {d}/a-folder: is a folder"),
        (["verify", "--outputs", "{o}", "--output-file", "{d}/a-file/x.json"], "{d}/a-file is a file, not a folder"),
        (["verify", "--outputs", "{o}", "--output-file", "{o}"], "is the --outputs file it reads"),
        (["store", "speed", "--outputs", "{o}", "--output-file", "{d}/a-folder"], "--output-file {d}/a-folder: is a"),
        (["store", "speed", "--outputs", "{o}", "--output-file", "{o}"], "is the --outputs file it reads"),
        (["discover", "--out", "{d}/a-folder"], "e.g. {d}/a-folder/outputs.json"),
        (["handoff", "bundle", "--out", "{d}/a-file"], "--out {d}/a-file: is a file; name a new or empty folder"),
        (["handoff", "bundle", "--out", "{d}/a-file/bundle"], "{d}/a-file is a file, not a folder"),
    ],
)
def test_a_path_that_cannot_be_written_exits_2_before_any_work(places, arguments, says):
    outputs = places / "outputs.json"
    before = outputs.read_text()
    result = invoke_stackyard(*[a.format(o=outputs, d=places) for a in arguments])
    assert result.exit_code == 2, result.output
    assert says.format(o=outputs, d=places) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert outputs.read_text() == before, "the outputs file (the only copy of the secret) is untouched"
    assert sorted(p.name for p in places.iterdir()) == ["a-file", "a-folder", "outputs.json"], "nothing written"


def test_a_binary_flambe_file_exits_2_saying_it_is_not_text(tmp_path):
    binary = tmp_path / "aws-cluster.yaml"
    binary.write_bytes(bytes(range(256)))
    result = invoke_stackyard("config", "import-flambe", str(binary))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{binary}: not UTF-8 text; name flambé's aws-cluster.yaml"
