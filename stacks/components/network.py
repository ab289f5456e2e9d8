"""Seed 001's network: a VPC with one public subnet per availability zone, an internet gateway and a route table.
Or, for teams that bring their own, the ids of an existing VPC and subnets behind the same interface."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from stacks.engine.aws.data_aws_availability_zones import DataAwsAvailabilityZones
from stacks.engine.aws.data_aws_subnet import DataAwsSubnet
from stacks.engine.aws.default_security_group import DefaultSecurityGroup
from stacks.engine.aws.internet_gateway import InternetGateway
from stacks.engine.aws.route_table import RouteTable, RouteTableRoute
from stacks.engine.aws.route_table_association import RouteTableAssociation
from stacks.engine.aws.subnet import Subnet
from stacks.engine.aws.vpc import Vpc
from stacks.engine.cdk import Fn


@dataclass(frozen=True)
class NetworkProps:
    vpc_cidr: str
    """VPC address range (seed 001: 10.0.0.0/16)."""
    subnet_cidrs: list[str]
    """One CIDR per subnet, carved from the VPC range in order; subnet i goes to zone i of the region."""
    name_prefix: str = "valohai"
    """Name tags: <prefix>-vpc, <prefix>-subnet-<n>, <prefix>-igw, <prefix>-rt."""
    map_public_ip_on_launch: bool = True
    """Give instances public IPs (the subnets reach the internet through the gateway, there is no NAT)."""
    availability_zones: list[str] | None = None
    """Zone names for subnet 1, 2, ... (wrapping); None: the region's available zones, read at plan time."""


class Network(Construct):
    """VPC (DNS hostnames and support on), subnets across the region's zones, internet gateway, a route table
    sending 0.0.0.0/0 to it, and the VPC's default security group stripped of all rules."""

    def __init__(self, scope: Construct, id: str, props: NetworkProps):
        super().__init__(scope, id)
        prefix = props.name_prefix
        self.vpc = Vpc(
            self,
            "vpc",
            cidr_block=props.vpc_cidr,
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags={"Name": f"{prefix}-vpc"},
        )
        # Declared with no rules, so Terraform removes the default allow-all rules: nothing can use it by accident.
        DefaultSecurityGroup(self, "default_security_group", vpc_id=self.vpc.id, tags={"Name": f"{prefix}-default"})
        pinned_zones = props.availability_zones
        # Pinned names: a zone AWS adds later can never shift a subnet (which would replace it).
        region_zones = None if pinned_zones else DataAwsAvailabilityZones(self, "zones", state="available").names
        self.internet_gateway = InternetGateway(self, "igw", vpc_id=self.vpc.id, tags={"Name": f"{prefix}-igw"})
        self.route_table = route_table = RouteTable(
            self,
            "route_table",
            vpc_id=self.vpc.id,
            route=[RouteTableRoute(cidr_block="0.0.0.0/0", gateway_id=self.internet_gateway.id)],
            tags={"Name": f"{prefix}-rt"},
        )
        self.subnet_names = [f"{prefix}-subnet-{number}" for number in range(1, len(props.subnet_cidrs) + 1)]
        self.subnets: list[Subnet] = []
        for index, (cidr, name) in enumerate(zip(props.subnet_cidrs, self.subnet_names, strict=True)):
            subnet = Subnet(
                self,
                f"subnet_{index + 1}",
                vpc_id=self.vpc.id,
                cidr_block=cidr,
                # Wrapping around: a region with fewer zones than subnets gets two in some zones.
                availability_zone=pinned_zones[index % len(pinned_zones)]
                if pinned_zones
                else Fn.element(region_zones, index),
                map_public_ip_on_launch=props.map_public_ip_on_launch,
                tags={"Name": name},
            )
            RouteTableAssociation(self, f"subnet_{index + 1}_route", subnet_id=subnet.id, route_table_id=route_table.id)
            self.subnets.append(subnet)

    @property
    def vpc_id(self) -> str:
        return self.vpc.id

    @property
    def subnet_ids(self) -> list[str]:
        return [subnet.id for subnet in self.subnets]


@dataclass(frozen=True)
class ExistingNetworkProps:
    vpc_id: str
    """Existing VPC id."""
    subnet_ids: list[str]
    """Existing subnet ids in that VPC."""


class ExistingNetwork(Construct):
    """Bring-your-own network: creates nothing, reads the subnets' Name tags for the handoff sheet."""

    internet_gateway = None

    def __init__(self, scope: Construct, id: str, props: ExistingNetworkProps):
        super().__init__(scope, id)
        self.vpc_id = props.vpc_id
        self.subnet_ids = list(props.subnet_ids)
        subnets = [
            DataAwsSubnet(self, f"subnet_{index + 1}", id=subnet_id) for index, subnet_id in enumerate(props.subnet_ids)
        ]
        self.subnet_names = [Fn.lookup(subnet.tags, "Name", subnet.id) for subnet in subnets]
