"""An estate made the way the seeds' console steps make it, with boto3 against an emulator: seed 000's bucket, user
(inline policy, access key) and multipart role; seed 001's IAM (the console's instance profile named after the
role), valohai-vpc and its subnets, valohai-igw, the VPC's main route table renamed valohai-rt, both security groups
with inline rules, valohai-i-queue with a new key pair and valohai-ip-queue; and a cluster flambé launched (seed
004's tags). Names and documents come from the seeds, nothing from stackyard's stacks."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from stackyard.config import default_config_text
from stackyard.emulator_config import ubuntu_images
from tests.support import seeds
from tests.support.aws import emulator_client

ACCOUNT = "123456789012"  # moto's
BUCKET = "my-valohai-bucket"
USER = "valohai-data-store"
ASSUME_ROLE_ARN = "arn:aws:iam::123456789012:role/valohai-assume-role"  # the example config's
CREATOR = "user@company.com"
CLUSTER = "my-cluster"
ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1a"]


@dataclass
class Estate:
    endpoint: str
    region: str
    ids: dict[str, Any] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        return emulator_client(service, self.endpoint, self.region)

    def ec2_tags(self, resource_type: str, name: str) -> list[dict[str, Any]]:
        return [
            {"ResourceType": resource_type, "Tags": [{"Key": "Name", "Value": name}, {"Key": "valohai", "Value": "1"}]}
        ]


def build(
    endpoint: str, region: str = "eu-west-1", *, store: bool = True, workers: bool = True, cluster: bool = True
) -> Estate:
    estate = Estate(endpoint, region)
    if store:
        _store(estate)
    if workers:
        _worker_iam(estate)
        _network(estate)
        _security_groups(estate)
        _queue(estate)
    if cluster:
        _flambe_cluster(estate)
    return estate


def _store(estate: Estate) -> None:
    s3, iam = estate.client("s3"), estate.client("iam")
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": estate.region})
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    s3.put_public_access_block(
        Bucket=BUCKET,
        PublicAccessBlockConfiguration=dict.fromkeys(
            ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
        ),
    )
    s3.put_bucket_cors(Bucket=BUCKET, CORSConfiguration={"CORSRules": seeds.STORE_CORS})
    user_arn = iam.create_user(UserName=USER)["User"]["Arn"]
    # The console asks for a policy name; people type their own (not stackyard's <user>-bucket-access).
    iam.put_user_policy(UserName=USER, PolicyName="ValohaiS3Access", PolicyDocument=json.dumps(seeds.STORE_USER_POLICY))
    estate.ids["access_key_id"] = iam.create_access_key(UserName=USER)["AccessKey"]["AccessKeyId"]
    trust = seeds.substitute(seeds.MULTIPART_TRUST, {"ACCOUNTNUMBER": ACCOUNT, "USERNAME": USER})
    iam.create_role(RoleName="valohai-multipart-upload", AssumeRolePolicyDocument=json.dumps(trust))
    policy = seeds.substitute(seeds.MULTIPART_POLICY, {"BUCKET": BUCKET})
    iam.put_role_policy(
        RoleName="valohai-multipart-upload", PolicyName="MultipartAccess", PolicyDocument=json.dumps(policy)
    )
    estate.ids["user_arn"] = user_arn


def _worker_iam(estate: Estate) -> None:
    iam = estate.client("iam")
    ec2_trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    worker_policy = iam.create_policy(PolicyName="ValohaiWorkerPolicy", PolicyDocument=json.dumps(seeds.WORKER_POLICY))
    worker_role = iam.create_role(RoleName="ValohaiWorkerRole", AssumeRolePolicyDocument=json.dumps(ec2_trust))["Role"]
    iam.attach_role_policy(RoleName="ValohaiWorkerRole", PolicyArn=worker_policy["Policy"]["Arn"])
    # What the console does by itself: an instance profile with the role's name.
    iam.create_instance_profile(InstanceProfileName="ValohaiWorkerRole")
    iam.add_role_to_instance_profile(InstanceProfileName="ValohaiWorkerRole", RoleName="ValohaiWorkerRole")
    master_document = seeds.substitute(seeds.MASTER_POLICY, {seeds.WORKER_ROLE_PLACEHOLDER: worker_role["Arn"]})
    master_policy = iam.create_policy(PolicyName="ValohaiMasterPolicy", PolicyDocument=json.dumps(master_document))
    trust = seeds.substitute(seeds.MASTER_TRUST, {seeds.ASSUME_ROLE_PLACEHOLDER: ASSUME_ROLE_ARN})
    iam.create_role(RoleName="ValohaiMaster", AssumeRolePolicyDocument=json.dumps(trust))
    iam.attach_role_policy(RoleName="ValohaiMaster", PolicyArn=master_policy["Policy"]["Arn"])


def _network(estate: Estate) -> None:
    ec2 = estate.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=estate.ec2_tags("vpc", "valohai-vpc"))["Vpc"]
    estate.ids["vpc"] = vpc["VpcId"]
    estate.ids["subnets"] = [
        ec2.create_subnet(
            VpcId=vpc["VpcId"], CidrBlock=cidr, AvailabilityZone=zone, TagSpecifications=estate.ec2_tags("subnet", name)
        )["Subnet"]["SubnetId"]
        for cidr, name, zone in zip(seeds.SUBNET_CIDRS, seeds.SUBNET_NAMES, ZONES, strict=True)
    ]
    igw = ec2.create_internet_gateway(TagSpecifications=estate.ec2_tags("internet-gateway", "valohai-igw"))
    igw_id = igw["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw_id, VpcId=vpc["VpcId"])
    # "Rename the default routing table of valohai-vpc": the main table gets the Name tag and the default route.
    main = ec2.describe_route_tables(
        Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}, {"Name": "association.main", "Values": ["true"]}]
    )["RouteTables"][0]["RouteTableId"]
    ec2.create_tags(Resources=[main], Tags=[{"Key": "Name", "Value": "valohai-rt"}, {"Key": "valohai", "Value": "1"}])
    ec2.create_route(RouteTableId=main, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw_id)
    estate.ids["route_table"] = main


def _security_groups(estate: Estate) -> None:
    ec2, vpc = estate.client("ec2"), estate.ids["vpc"]

    def group(name: str, description: str) -> str:
        return ec2.create_security_group(
            GroupName=name,
            Description=description,
            VpcId=vpc,
            TagSpecifications=estate.ec2_tags("security-group", name),
        )["GroupId"]

    def tcp(port: int, description: str, cidr: str | None = None, group_id: str | None = None) -> dict[str, Any]:
        rule: dict[str, Any] = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
        if cidr:
            rule["IpRanges"] = [{"CidrIp": cidr, "Description": description}]
        else:
            rule["UserIdGroupPairs"] = [{"GroupId": group_id, "Description": description}]
        return rule

    workers = group("valohai-sg-workers", "valohai workers")
    ec2.authorize_security_group_ingress(
        GroupId=workers, IpPermissions=[tcp(22, "for SSH management from Valohai", seeds.VALOHAI_SSH_IP)]
    )
    queue = group("valohai-sg-queue", "valohai queue")
    ec2.authorize_security_group_ingress(
        GroupId=queue,
        IpPermissions=[
            tcp(80, "for acme tooling (certificate for machine)", "0.0.0.0/0"),
            tcp(63790, "for Redis over TLS from app.valohai.com", seeds.APP_IP),
            tcp(63790, "for Redis over TLS connection from workers", group_id=workers),
            tcp(22, "for SSH management from Valohai", seeds.VALOHAI_SSH_IP),
        ],
    )
    estate.ids |= {"workers_group": workers, "queue_group": queue}


def _queue(estate: Estate) -> None:
    ec2 = estate.client("ec2")
    ec2.create_key_pair(KeyName="valohai-queue")  # "Key Pair: Create a new key pair"
    image = ubuntu_images(ec2)[0]
    instance = ec2.run_instances(
        ImageId=image,
        InstanceType="t3.medium",
        MinCount=1,
        MaxCount=1,
        KeyName="valohai-queue",
        SubnetId=estate.ids["subnets"][0],
        SecurityGroupIds=[estate.ids["queue_group"]],
        MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled"},
        TagSpecifications=estate.ec2_tags("instance", "valohai-i-queue"),
    )["Instances"][0]
    address = ec2.allocate_address(Domain="vpc", TagSpecifications=estate.ec2_tags("elastic-ip", "valohai-ip-queue"))
    ec2.associate_address(InstanceId=instance["InstanceId"], AllocationId=address["AllocationId"])
    estate.ids |= {"queue_instance": instance["InstanceId"], "queue_ip": address["PublicIp"], "image": image}


def _flambe_cluster(estate: Estate) -> None:
    """As flambé's AWSCluster launches and tags them (flambe/cluster/aws.py: _get_all_tags, name_hosts), in the
    subnet, security group and key pair seed 004 has the user make first (SSH from anywhere, its screenshot)."""
    ec2 = estate.client("ec2")
    image = ubuntu_images(ec2)[0]
    if "subnets" in estate.ids:
        vpc, subnet = estate.ids["vpc"], estate.ids["subnets"][0]
    else:  # seed 004's own "Create VPC and Subnet"
        vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.0.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="flambe-ssh", Description="SSH to the cluster", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    ec2.create_key_pair(KeyName="my-pair")
    estate.ids |= {"cluster_subnet": subnet, "cluster_group": group}
    tags = {"creator": CREATOR, "Purpose": "flambe", "Cluster-Name": CLUSTER}
    launched = {}
    for name, role in [
        (f"{CLUSTER}_orchestrator", "Orchestrator"),
        (f"{CLUSTER}_factory_1", "Factory"),
        (f"{CLUSTER}_factory_2", "Factory"),
    ]:
        all_tags = {**tags, "Role": role, "Name": name}
        instance = ec2.run_instances(
            ImageId=image,
            InstanceType="t3.small",
            MinCount=1,
            MaxCount=1,
            KeyName="my-pair",
            SubnetId=subnet,
            SecurityGroupIds=[group],
            TagSpecifications=[
                {"ResourceType": "instance", "Tags": [{"Key": k, "Value": v} for k, v in all_tags.items()]}
            ],
        )["Instances"][0]
        launched[name] = instance["InstanceId"]
    estate.ids["cluster"] = launched


def example_config(endpoint: str, change: Callable[[dict], Any] | None = None) -> dict:
    """The example config, which names the seeds' resources, pointed at the emulator."""
    config = yaml.safe_load(default_config_text())
    config["aws"]["endpoint_url"] = endpoint
    if change is not None:
        change(config)
    return config
