"""The seed transcriptions the stack tests use are the seeds' own JSON, block for block."""

import pytest

from tests.support import seeds


@pytest.mark.skipif(seeds.seed_file("000") is None, reason="../shared/seeds not beside this clone")
def test_seed_000_transcription_matches_the_seed_file():
    assert seeds.json_blocks(seeds.seed_file("000")) == seeds.SEED_000_JSON_BLOCKS


@pytest.mark.skipif(seeds.seed_file("001") is None, reason="../shared/seeds not beside this clone")
def test_seed_001_transcription_matches_the_seed_file():
    assert seeds.json_blocks(seeds.seed_file("001")) == seeds.SEED_001_JSON_BLOCKS
    text = seeds.seed_file("001").read_text()
    for value in [*seeds.SUBNET_CIDRS, *seeds.SUBNET_NAMES, seeds.APP_IP, seeds.VALOHAI_SSH_IP, "63790"]:
        assert value in text


@pytest.mark.skipif(seeds.seed_file("004") is None, reason="../shared/seeds not beside this clone")
def test_seed_004_template_matches_the_seed_file():
    assert seeds.yaml_blocks(seeds.seed_file("004")) == [seeds.FLAMBE_TEMPLATE]
    text = seeds.seed_file("004").read_text()
    assert all(str(port) in text for port in seeds.FLAMBE_PORTS.values())
