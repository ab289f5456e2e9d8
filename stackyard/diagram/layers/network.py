"""The VPC (made, or an existing one), its subnets with their ranges and zones, the internet gateway and the route
that sends 0.0.0.0/0 to it."""

from __future__ import annotations

from stackyard.diagram.core.diagram import Diagram
from stackyard.diagram.core.layer import ACCOUNT, INTERNET, Layer
from stackyard.diagram.core.terraform import TerraformStacks


class Network(Layer):
    id = "network"
    order = 10

    def draw(self, stacks: TerraformStacks, diagram: Diagram) -> None:
        diagram.group(ACCOUNT, "AWS account")
        for vpc in stacks.resources("aws_vpc"):
            diagram.group(vpc.address, f"VPC {vpc.tag_name or vpc.name}\n{vpc.body['cidr_block']}", ACCOUNT)
        for subnet in stacks.resources("aws_subnet"):
            zone = subnet.body.get("availability_zone")
            where = zone if isinstance(zone, str) and not zone.startswith("${") else "a zone of the region"
            label = f"subnet {subnet.tag_name or subnet.name}\n{subnet.body['cidr_block']} · {where}"
            diagram.group(subnet.address, label, stacks.target(subnet.stack, subnet.body["vpc_id"]))
        self._existing_network(stacks, diagram)
        tables = {table.address: table for table in stacks.resources("aws_route_table")}
        for gateway in stacks.resources("aws_internet_gateway"):
            vpc = stacks.target(gateway.stack, gateway.body["vpc_id"])
            diagram.node(gateway.address, f"internet gateway\n{gateway.tag_name or ''}", "gateway", vpc)
            diagram.node(INTERNET, "internet\n0.0.0.0/0", "internet")
            diagram.edge(gateway.address, INTERNET, "", "flow")
        for table in stacks.resources("aws_route_table"):
            vpc = stacks.target(table.stack, table.body["vpc_id"])
            diagram.node(table.address, f"route table {table.tag_name or table.name}", "route", vpc)
            for route in table.body.get("route", []):
                gateway = stacks.target(table.stack, route.get("gateway_id"))
                if gateway in diagram.nodes:
                    diagram.edge(table.address, gateway, route.get("cidr_block", ""), "flow")
        for association in stacks.resources("aws_route_table_association"):
            subnet = stacks.target(association.stack, association.body["subnet_id"])
            table = stacks.target(association.stack, association.body["route_table_id"])
            if subnet in diagram.groups and table in tables:
                # Also what keeps a subnet's box on the picture: Graphviz draws no empty box.
                diagram.node(association.address, f"public: routes by\n{tables[table].tag_name}", "route", subnet)
                diagram.edge(association.address, table, "", "attach")

    @staticmethod
    def _existing_network(stacks: TerraformStacks, diagram: Diagram) -> None:
        """A network the team brought: the workers stack reads its subnets; the cluster may name one of its own."""
        vpc_id = stacks.output("workers", "vpc_id")
        if stacks.has("workers") and not stacks.resources("aws_vpc", "workers") and isinstance(vpc_id, str):
            diagram.group(f"vpc:{vpc_id}", f"existing VPC\n{vpc_id}", ACCOUNT)
            for subnet in stacks.data_sources("aws_subnet", "workers"):
                subnet_id = subnet.body["id"]
                diagram.group(f"subnet:{subnet_id}", f"existing subnet\n{subnet_id}", f"vpc:{vpc_id}")
                diagram.node(f"routes:{subnet_id}", "your routes", "route", f"subnet:{subnet_id}")
        for subnet in stacks.data_sources("aws_subnet", "cluster"):
            label = f"existing subnet\n{subnet.body.get('id', subnet.name)}"
            vpc = next((group for group in diagram.groups if group.startswith("vpc:")), ACCOUNT)
            diagram.group(subnet.address, label, vpc)
            diagram.node(f"routes:{subnet.address}", "your routes", "route", subnet.address)
