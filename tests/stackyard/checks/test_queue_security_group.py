"""queue-security-group: Redis/TLS from the app and the workers, 80 from anywhere, on the configured port."""

from __future__ import annotations

from stackyard.checks.core.base import Status
from stackyard.checks.queue_security_group import QueueSecurityGroup
from tests.support.aws import emulator_client
from tests.support.deployed import REGION


def test_passes_on_the_deployed_rules(check_on, deployed):
    result = check_on(QueueSecurityGroup, deployed)
    assert result.status is Status.PASS, result.detail
    assert "63790 from the app (34.248.245.191/32)" in result.detail and "80 from anywhere" in result.detail


def test_a_config_with_another_port_fails_on_the_same_group(check_on, deployed):
    result = check_on(QueueSecurityGroup, deployed, config=lambda c: c["firewall"].update(redis_tls_port=6380))
    assert result.status is Status.FAIL and "6380 from the app" in result.detail


def test_revoked_redis_rule_fails(check_on, fresh_deployment):
    ec2 = emulator_client("ec2", fresh_deployment.endpoint, REGION)
    group_id = fresh_deployment.outputs()["workers"]["queue_security_group_id"]
    rule = {"IpProtocol": "tcp", "FromPort": 63790, "ToPort": 63790, "IpRanges": [{"CidrIp": "34.248.245.191/32"}]}
    ec2.revoke_security_group_ingress(GroupId=group_id, IpPermissions=[rule])
    result = check_on(QueueSecurityGroup, fresh_deployment)
    assert result.status is Status.FAIL
    assert "lacks: 63790 from the app (34.248.245.191/32)" in result.detail


def test_redis_or_ssh_open_to_anywhere_fails_naming_each_rule(check_on, fresh_deployment):
    ec2 = emulator_client("ec2", fresh_deployment.endpoint, REGION)
    group_id = fresh_deployment.outputs()["workers"]["queue_security_group_id"]
    ec2.authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 63790, "ToPort": 63790, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
        ],
    )
    result = check_on(QueueSecurityGroup, fresh_deployment)
    assert result.status is Status.FAIL
    assert result.detail == (
        f"{group_id} admits from anywhere: tcp 22 from ::/0; tcp 63790 from 0.0.0.0/0 (only 80, for ACME, may be)"
    )
