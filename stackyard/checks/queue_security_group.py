"""queue-security-group: valohai-sg-queue lets Redis/TLS in from the app and the workers, and ACME on 80."""

from __future__ import annotations

from stackyard.aws.security_groups import RuleKey, ingress_rules
from stackyard.checks.core.base import Check, Outcome, Severity, failed, passed
from stackyard.checks.core.context import VerifyContext


class QueueSecurityGroup(Check):
    id = "queue-security-group"
    title = "Queue security group allows Redis/TLS from the app and the workers, 80 from anywhere"
    seed = "001"
    severity = Severity.HIGH
    remediation = (
        "Restore valohai-sg-queue's rules (Redis/TLS from the app and the workers, 80 for ACME): `cdktf deploy workers`"
    )
    order = 90
    needs_outputs = ("queue_security_group_id", "workers_security_group_id")

    def run(self, context: VerifyContext) -> Outcome:
        group_id = context.output("queue_security_group_id")
        workers_group = context.output("workers_security_group_id")
        firewall = context.config.firewall
        port = firewall.redis_tls_port
        ingress = ingress_rules(context.client("ec2"), group_id)
        wanted = {
            f"{port} from the app ({firewall.app_cidr})": RuleKey("tcp", port, port, firewall.app_cidr),
            f"{port} from the workers ({workers_group})": RuleKey("tcp", port, port, workers_group),
        }
        if firewall.acme_http:
            wanted["80 from anywhere (ACME)"] = RuleKey("tcp", 80, 80, "0.0.0.0/0")
        missing = [label for label, rule in wanted.items() if rule not in ingress]
        if missing:
            return failed(f"{group_id} lacks: {'; '.join(missing)}", ingress=sorted(map(str, ingress)))
        return passed(f"{group_id} allows {'; '.join(wanted)}")
