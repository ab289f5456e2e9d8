"""Each security group with its ingress rules as labelled arrows from where traffic may come (an address range,
the internet, another group) and dashed lines to the instances it protects."""

from __future__ import annotations

from stackyard.diagram.core.diagram import Diagram
from stackyard.diagram.core.layer import ACCOUNT, INTERNET, Layer, box_of
from stackyard.diagram.core.terraform import TerraformStacks

ANYWHERE = "0.0.0.0/0"


class Firewall(Layer):
    id = "firewall"
    order = 30

    def draw(self, stacks: TerraformStacks, diagram: Diagram) -> None:
        egress = {
            stacks.target(rule.stack, rule.body["security_group_id"])
            for rule in stacks.resources("aws_vpc_security_group_egress_rule")
        }
        for group in stacks.resources("aws_security_group"):
            vpc = box_of(stacks, diagram, group.stack, group.body.get("vpc_id"), "vpc") or ACCOUNT
            outbound = "\negress: all" if group.address in egress else ""
            diagram.node(group.address, f"security group\n{group.body['name']}{outbound}", "firewall", vpc)
        for rule in stacks.resources("aws_vpc_security_group_ingress_rule"):
            target = stacks.target(rule.stack, rule.body["security_group_id"])
            source = stacks.target(rule.stack, rule.body.get("referenced_security_group_id"))
            if source is None:
                cidr = rule.body["cidr_ipv4"]
                source = INTERNET if cidr == ANYWHERE else f"cidr:{cidr}"
                diagram.node(
                    source,
                    "internet\n0.0.0.0/0" if cidr == ANYWHERE else cidr,
                    "internet" if cidr == ANYWHERE else "cidr",
                )
            ports = (
                "all traffic"
                if rule.body["ip_protocol"] == "-1"
                else f"{rule.body['ip_protocol']} {rule.body['from_port']}"
            )
            diagram.edge(source, target, f"{ports}: {rule.body.get('description', '')}", "flow")
        for instance in stacks.resources("aws_instance"):
            for group in instance.body.get("vpc_security_group_ids", []):
                address = stacks.target(instance.stack, group)
                if address in diagram.nodes:
                    diagram.edge(address, instance.address, "", "attach")
