"""queue-security-group: valohai-sg-queue lets Redis/TLS in from the app and the workers, and ACME on 80; nothing
else comes in from anywhere (Redis or SSH open to the internet is the failure that matters most)."""

from __future__ import annotations

from stackyard.aws.security_groups import RuleKey, ingress_rules
from stackyard.checks.core.base import Check, Outcome, Severity, failed, passed
from stackyard.checks.core.context import VerifyContext


class QueueSecurityGroup(Check):
    id = "queue-security-group"
    title = "Queue security group allows Redis/TLS from the app and the workers, only 80 from anywhere"
    seed = "001"
    severity = Severity.HIGH
    remediation = (
        "Restore valohai-sg-queue's rules (Redis/TLS from the app and the workers, 80 for ACME) and remove any other "
        "rule from anywhere: `cdktf deploy workers`"
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
        from_anywhere = sorted(_shown(r) for r in ingress if r.source in ANYWHERE and r not in wanted.values())
        problems = [f"lacks: {'; '.join(missing)}"] if missing else []
        if from_anywhere:
            problems.append(f"admits from anywhere: {'; '.join(from_anywhere)} (only 80, for ACME, may be)")
        if problems:
            return failed(f"{group_id} {'; it '.join(problems)}", ingress=sorted(map(str, ingress)))
        return passed(f"{group_id} allows {'; '.join(wanted)}")


ANYWHERE = ("0.0.0.0/0", "::/0")


def _shown(rule: RuleKey) -> str:
    if rule.protocol == "all":
        return f"all traffic from {rule.source}"
    ports = str(rule.from_port) if rule.from_port == rule.to_port else f"{rule.from_port}-{rule.to_port}"
    return f"{rule.protocol} {ports} from {rule.source}"
