"""Config validation messages: field path, the bad value, what is allowed."""

from __future__ import annotations

import pytest

from stackyard.config import ConfigError, load_config, parse_config
from stackyard.config.aws_names import known_regions

STORE = "workers: {enabled: false}\ncluster: {enabled: false}\ndata_store:\n  bucket_name: stackyard-test-bucket\n"


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "test.yaml")
    return caught.value.problems


def test_unknown_key_suggests_the_close_match_and_lists_allowed_keys():
    (problem,) = problems(STORE + "  versionig: true\n")
    assert problem.startswith("data_store.versionig: unknown key (did you mean 'versioning'?)")
    assert "allowed keys here:" in problem and "bucket_name" in problem


def test_unknown_key_inside_the_s3_backend_lists_that_backends_keys():
    (problem,) = problems(STORE + "backend:\n  type: s3\n  bucket: team-state\n  region: eu-west-1\n  lock: true\n")
    assert problem.startswith("backend.lock: unknown key")
    assert "use_lockfile" in problem


def test_bad_value_is_shown_with_what_is_allowed():
    (problem,) = problems(
        "workers: {enabled: false}\ncluster: {enabled: false}\ndata_store:\n  bucket_name: Bad..Name\n"
    )
    assert problem.startswith("data_store.bucket_name = 'Bad..Name': not a valid S3 bucket name")
    assert "3-63 characters" in problem


def test_every_problem_is_reported_at_once():
    found = problems(
        "aws:\n  region: nowhere-1\ndata_store:\n  bucket_name: ab\n  versioning: sometimes\nworkers: {}\n"
    )
    assert [problem.split(" ")[0] for problem in found] == [
        "aws.region",
        "data_store.bucket_name",
        "data_store.versioning",
        "workers.assume_role_arn:",
        "cluster.creator:",  # no cluster section: the default cluster is on and needs its owner, key and access
        "cluster.access_cidrs:",
    ]


def test_a_section_rule_does_not_hide_another_sections_rule_or_a_cross_section_rule():
    found = problems(
        "data_store: {bucket_name: stackyard-test-bucket}\nworkers: {}\n"
        "network: {availability_zones: [us-east-1a]}\n"
        "cluster: {creator: me@example.org, key_name: k, key: k.pem, orchestrator_timeout: 2, factories_timeout: 5}\n"
    )
    fields = [problem.split(":")[0] for problem in found]
    assert fields == [
        "workers.assume_role_arn",
        "cluster.access_cidrs",
        "cluster.factories_timeout",
        "network.availability_zones",
    ], found


def test_a_bad_environment_name_is_said_in_our_words_and_hides_nothing():
    found = problems(STORE + "environments:\n  - name: Dev_1\n    overrides: {data_store: {bucket_name: Bad_Bucket}}\n")
    assert found[0].startswith("environments[0].name = 'Dev_1': not an environment name (1-16 lowercase")
    assert "should match pattern" not in "\n".join(found)
    assert any(
        p.startswith("environments: [0] Dev_1: data_store.bucket_name = 'Bad_Bucket': not a valid S3 bucket name")
        for p in found
    ), found


def test_each_environment_problem_is_its_own_line_and_shared_ones_are_said_once():
    found = problems(
        "data_store: {bucket_name: Shared_Bad}\nworkers: {enabled: false}\ncluster: {enabled: false}\n"
        "environments:\n  - {name: dev, overrides: {firewall: {redis_tls_port: 0}, queue: {disk_size_gb: 1}}}\n"
        "  - {name: prod}\n"
    )
    assert [p for p in found if "Shared_Bad" in p] == [found[0]] and found[0].startswith("data_store.bucket_name")
    dev = [p for p in found if p.startswith("environments: [0] dev: ")]
    assert [p.split(": ")[2].split(" ")[0] for p in dev] == ["firewall.redis_tls_port", "queue.disk_size_gb"], found
    assert not any(p.startswith("environments: [1]") for p in found)


def test_duplicate_environment_names_are_named():
    found = problems(STORE + "environments: [{name: dev}, {name: prod}, {name: dev}]\n")
    assert found == ["environments: dev named more than once; names must be unique (they prefix the stack names)"]


@pytest.mark.parametrize("region", ["eu-west-1", "us-west-2", "ap-southeast-2", "cn-north-1", "us-gov-west-1"])
def test_real_regions_of_every_partition_are_accepted(region):
    assert parse_config(f"aws:\n  region: {region}\n" + STORE, "test.yaml").aws.region == region


@pytest.mark.parametrize("name", ["abc", "my-valohai-bucket", "a" * 63, "data.v2.example"])
def test_valid_bucket_names_are_accepted(name):
    # an existing log bucket: a 63-character name leaves no room for the created one's -access-logs suffix
    logs = "  access_logging: {target_bucket: central-logs}\n"
    config = parse_config(STORE.replace("stackyard-test-bucket", name) + logs, "t.yaml")
    assert config.data_store.bucket_name == name


def test_a_bucket_name_too_long_for_its_log_bucket_names_the_way_out():
    (problem,) = problems(STORE.replace("stackyard-test-bucket", "a" * 60))
    assert problem.startswith("data_store.access_logging.target_bucket: the log bucket would be named")
    assert "shorten bucket_name or name an existing log bucket" in problem


def test_a_bucket_cannot_log_into_itself():
    (problem,) = problems(STORE + "  access_logging: {target_bucket: stackyard-test-bucket}\n")
    assert problem.startswith("data_store.access_logging.target_bucket: the bucket cannot log into itself")


def test_region_list_covers_every_region_botocore_serves_and_no_pseudo_region():
    """known_regions reads botocore's partitions.json directly (fast); it must agree with botocore's own view."""
    import botocore.session

    session = botocore.session.get_session()
    served = {
        region
        for partition in session.get_available_partitions()
        for region in session.get_available_regions("ec2", partition_name=partition)
    }
    assert served <= known_regions()
    assert not [region for region in known_regions() if region.endswith("-global")]


def test_pinned_zones_must_belong_to_the_region():
    zones = "network: {availability_zones: [eu-west-1a, eu-west-2b]}\n"
    text = zones + STORE.replace("workers: {enabled: false}\n", "")
    text += "workers: {assume_role_arn: 'arn:aws:iam::123456789012:role/x'}\n"
    (problem,) = problems(text)
    assert problem.startswith("network.availability_zones: eu-west-2b is not a zone of aws.region eu-west-1")


def test_flow_log_retention_must_be_a_cloudwatch_period():
    (problem,) = problems(STORE + "network: {flow_logs: {retention_days: 100}}\n")
    assert problem.startswith("network.flow_logs.retention_days = 100: CloudWatch Logs does not offer this retention")


@pytest.mark.parametrize(
    "name", ["ab", "a" * 64, "-abc", "abc-", "ABC", "a_b_c", "a..b", "10.0.0.1", "xn--abc", "abc-s3alias"]
)
def test_invalid_bucket_names_are_rejected(name):
    (problem,) = problems(
        f"workers: {{enabled: false}}\ncluster: {{enabled: false}}\ndata_store:\n  bucket_name: '{name}'\n"
    )
    assert problem.startswith("data_store.bucket_name")


def test_the_environment_variable_selects_the_file(tmp_path, monkeypatch):
    config_file = tmp_path / "mine.yaml"
    config_file.write_text("aws:\n  region: us-east-2\n" + STORE)
    monkeypatch.setenv("STACKYARD_CONFIG", str(config_file))
    assert load_config().aws.region == "us-east-2"


def test_without_the_variable_the_embedded_default_is_used(monkeypatch):
    monkeypatch.delenv("STACKYARD_CONFIG", raising=False)
    config = load_config()
    assert config.aws.region == "eu-west-1"
    assert config.tags == {"valohai": "1"}
    assert config.data_store.app_origin == "https://app.valohai.com"


def test_a_top_level_rule_on_a_field_with_digits_is_reported_at_that_field_once():
    found = problems(
        "workers: {enabled: false}\ndata_store: {enabled: false, bucket_name: stackyard-test-bucket}\n"
        "cluster: {creator: me, key_name: k, key: k.pem, access_cidrs: [198.51.100.0/24], subnet_id: subnet-0a1b2c3d}\n"
    )
    assert found == ["cluster.s3_mount.enabled: needs data_store.enabled (the bucket it mounts); or turn s3_mount off"]


def test_one_environments_config_and_an_unknown_name_listing_the_ones_there_are():
    config = parse_config(STORE + "environments: [{name: dev, region: us-west-2}, {name: prod}]\n", "t.yaml")
    assert config.environment_config("dev").aws.region == "us-west-2"
    with pytest.raises(ValueError, match=r"--environment 'qa': the config has \['dev', 'prod'\]"):
        config.environment_config("qa")


def test_with_a_valid_base_each_environment_problem_is_one_line_said_once():
    found = problems(
        STORE + "environments:\n  - {name: dev, overrides: {firewall: {redis_tls_port: 0}, queue: {disk_size_gb: 1}}}\n"
        "  - {name: prod, overrides: {queue: {disk_size_gb: 2}}}\n"
    )
    assert [p.split(" =")[0] for p in found] == [
        "environments: [0] dev: firewall.redis_tls_port",
        "environments: [0] dev: queue.disk_size_gb",
        "environments: [1] prod: queue.disk_size_gb",
    ], found
