"""Provider, backend and provider constraint that every stack shares."""

from __future__ import annotations

from stacks.base import AWS_PROVIDER_CONSTRAINT, EMULATED_SERVICES

DATA = "data"
BUCKET = {
    "data_store": {"bucket_name": "stackyard-test-bucket"},
    "workers": {"enabled": False},
    "cluster": {"enabled": False},
}


def test_provider_region_and_default_tags(synth_config):
    synth = synth_config({**BUCKET, "aws": {"region": "us-west-2"}, "tags": {"valohai": "1", "team": "ml"}})
    (provider,) = synth.stack(DATA)["provider"]["aws"]
    assert provider["region"] == "us-west-2"
    assert provider["default_tags"] == [{"tags": {"valohai": "1", "team": "ml"}}]
    assert "endpoints" not in provider
    assert "skip_credentials_validation" not in provider


def test_default_tags_are_the_seeds_valohai_tag(default_synth):
    (provider,) = default_synth.stack(DATA)["provider"]["aws"]
    assert provider["default_tags"] == [{"tags": {"valohai": "1"}}]


def test_required_provider_admits_the_mirror_and_current_6x(default_synth):
    for stack in default_synth.stack_names():
        aws = default_synth.stack(stack)["terraform"]["required_providers"]["aws"]
        assert aws["version"] == AWS_PROVIDER_CONSTRAINT == ">= 5.100.0, < 7.0.0"


def test_endpoint_url_points_every_service_at_the_emulator(synth_config):
    synth = synth_config({**BUCKET, "aws": {"endpoint_url": "http://127.0.0.1:5000/"}})
    (provider,) = synth.stack(DATA)["provider"]["aws"]
    assert provider["endpoints"] == [dict.fromkeys(EMULATED_SERVICES, "http://127.0.0.1:5000")]
    assert provider["skip_credentials_validation"] is True
    assert provider["skip_requesting_account_id"] is True
    assert provider["s3_use_path_style"] is True


def test_local_backend_is_the_default_with_one_state_per_stack(default_synth):
    backend = default_synth.stack(DATA)["terraform"]["backend"]
    assert list(backend) == ["local"]
    assert backend["local"]["path"].endswith("/terraform.data.tfstate")


def test_s3_backend_with_native_locking(synth_config):
    backend_config = {"type": "s3", "bucket": "team-tf-state", "region": "eu-north-1", "key": "ml/{stack}.tfstate"}
    synth = synth_config({**BUCKET, "backend": backend_config})
    backend = synth.stack(DATA)["terraform"]["backend"]
    assert backend == {
        "s3": {
            "bucket": "team-tf-state",
            "key": "ml/data.tfstate",
            "region": "eu-north-1",
            "encrypt": True,
            "use_lockfile": True,
        }
    }


def test_s3_backend_follows_the_providers_profile_and_emulator_endpoint(synth_config):
    backend_config = {"type": "s3", "bucket": "team-tf-state", "region": "eu-north-1"}
    aws = {"region": "eu-north-1", "profile": "ml-admin", "endpoint_url": "http://127.0.0.1:5000"}
    backend = synth_config({**BUCKET, "aws": aws, "backend": backend_config}).stack(DATA)["terraform"]["backend"]["s3"]
    assert backend["profile"] == "ml-admin"
    assert backend["endpoints"] == dict.fromkeys(("s3", "sts", "iam"), "http://127.0.0.1:5000")
    assert backend["use_path_style"] is True and backend["skip_credentials_validation"] is True
