"""The instances in their subnets: the worker queue with its Elastic IP, the flambé cluster's orchestrator and
factories (each with its instance type)."""

from __future__ import annotations

from stackyard.diagram.core.diagram import Diagram
from stackyard.diagram.core.layer import ACCOUNT, INTERNET, Layer, box_of
from stackyard.diagram.core.terraform import TerraformStacks


class Compute(Layer):
    id = "compute"
    order = 20

    def draw(self, stacks: TerraformStacks, diagram: Diagram) -> None:
        for instance in stacks.resources("aws_instance"):
            box = box_of(stacks, diagram, instance.stack, instance.body.get("subnet_id"), "subnet") or ACCOUNT
            role = (instance.body.get("tags") or {}).get("Role")
            what = f"flambé {role.lower()}" if role else "worker queue (Redis over TLS)"
            label = f"{instance.tag_name or instance.name}\n{what} · {instance.body.get('instance_type', '')}"
            diagram.node(instance.address, label, "instance", box)
        for association in stacks.resources("aws_eip_association"):
            address = stacks.target(association.stack, association.body["allocation_id"])
            instance = stacks.target(association.stack, association.body["instance_id"])
            eip = next(r for r in stacks.resources("aws_eip", association.stack) if r.address == address)
            diagram.node(eip.address, f"Elastic IP\n{eip.tag_name or eip.name}", "address", ACCOUNT)
            diagram.edge(eip.address, instance, "fixed public IP", "attach")
            diagram.node(INTERNET, "internet\n0.0.0.0/0", "internet")
            diagram.edge(INTERNET, eip.address, "", "flow")
