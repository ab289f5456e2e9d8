"""A deployment in moto made with boto3 from the synthesized stacks themselves: every policy document, CORS rule
and security-group rule is read from cdk.tf.json and its ${...} references resolved to the created resources.
Nothing of the specification is copied here. (The full Terraform path is issue C's end-to-end test.)"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from stackyard.emulator_config import ubuntu_images
from tests.support.aws import emulator_client
from tests.support.synth import Synthesized

REFERENCE = re.compile(r"\$\{((?:data\.)?[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}")
MOTO_ACCOUNT = "123456789012"  # moto's default account id


class UnresolvedReference(KeyError):
    pass


class MotoDeployment:
    """Creates the data, workers and cluster stacks' resources; ``outputs`` mimics `cdktf --outputs-file`."""

    def __init__(self, synth: Synthesized, endpoint: str, region: str, with_bucket_policy: bool = False):
        self.synth = synth
        self.region = region
        self.with_bucket_policy = with_bucket_policy
        self.values: dict[tuple[str, str], dict[str, Any]] = {}
        self.s3 = emulator_client("s3", endpoint, region)
        self.iam = emulator_client("iam", endpoint, region)
        self.ec2 = emulator_client("ec2", endpoint, region)
        self.logs = emulator_client("logs", endpoint, region)
        self.secrets = emulator_client("secretsmanager", endpoint, region)

    # --- references ---------------------------------------------------------------------------------------

    def record(self, resource_type: str, logical_id: str, **attributes: Any) -> None:
        self.values[(resource_type, logical_id)] = attributes

    def resolve(self, text: Any) -> Any:
        """Replace every ${type.id.attribute} with the created resource's value (whole-value references keep type)."""
        if isinstance(text, list):
            return [self.resolve(item) for item in text]
        if not isinstance(text, str):
            return text
        whole = REFERENCE.fullmatch(text)
        if whole:
            return self._value(*whole.groups())
        return REFERENCE.sub(lambda match: str(self._value(*match.groups())), text)

    def _value(self, resource_type: str, logical_id: str, attribute: str) -> Any:
        try:
            return self.values[(resource_type, logical_id)][attribute]
        except KeyError:
            raise UnresolvedReference(f"{resource_type}.{logical_id}.{attribute}") from None

    def each(self, stack: str, resource_type: str):
        return self.synth.resources(stack, resource_type).items()

    # --- stacks -------------------------------------------------------------------------------------------

    def create_data_stack(self) -> None:
        self._read_caller_identity("data")
        for logical, bucket in self.each("data", "aws_s3_bucket"):
            name = bucket["bucket"]
            self.s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": self.region})
            self.record("aws_s3_bucket", logical, id=name, bucket=name, arn=f"arn:aws:s3:::{name}")
        for _, block in self.each("data", "aws_s3_bucket_public_access_block"):
            keys = {
                "block_public_acls": "BlockPublicAcls",
                "ignore_public_acls": "IgnorePublicAcls",
                "block_public_policy": "BlockPublicPolicy",
                "restrict_public_buckets": "RestrictPublicBuckets",
            }
            self.s3.put_public_access_block(
                Bucket=self.resolve(block["bucket"]),
                PublicAccessBlockConfiguration={aws: block[tf] for tf, aws in keys.items()},
            )
        for _, versioning in self.each("data", "aws_s3_bucket_versioning"):
            self.s3.put_bucket_versioning(
                Bucket=self.resolve(versioning["bucket"]),
                VersioningConfiguration={"Status": versioning["versioning_configuration"]["status"]},
            )
        for _, cors in self.each("data", "aws_s3_bucket_cors_configuration"):
            rules = [
                {
                    "AllowedHeaders": rule["allowed_headers"],
                    "AllowedMethods": rule["allowed_methods"],
                    "AllowedOrigins": rule["allowed_origins"],
                    "ExposeHeaders": rule["expose_headers"],
                    "MaxAgeSeconds": rule["max_age_seconds"],
                }
                for rule in cors["cors_rule"]
            ]
            self.s3.put_bucket_cors(Bucket=self.resolve(cors["bucket"]), CORSConfiguration={"CORSRules": rules})
        if self.with_bucket_policy:
            self.apply_bucket_policy()
        for logical, user in self.each("data", "aws_iam_user"):
            arn = self.iam.create_user(UserName=user["name"])["User"]["Arn"]
            self.record("aws_iam_user", logical, id=user["name"], name=user["name"], arn=arn)
        for _, policy in self.each("data", "aws_iam_user_policy"):
            self.iam.put_user_policy(
                UserName=self.resolve(policy["user"]),
                PolicyName=policy["name"],
                PolicyDocument=self.resolve(policy["policy"]),
            )
        for logical, key in self.each("data", "aws_iam_access_key"):
            created = self.iam.create_access_key(UserName=self.resolve(key["user"]))["AccessKey"]
            self.record("aws_iam_access_key", logical, id=created["AccessKeyId"], secret=created["SecretAccessKey"])
        self._create_roles("data")

    def apply_bucket_policy(self) -> None:
        """The TLS-only bucket policy. Left out by default: moto evaluates bucket policies with no request
        context, and a condition whose key it lacks (aws:SecureTransport) counts as met, so the Deny refuses every
        object request, over HTTPS too, where real S3 allows TLS requests (moto/s3/responses.py, key_response;
        moto/iam/policy_conditions.py, verify_condition)."""
        for _, policy in self.each("data", "aws_s3_bucket_policy"):
            self.s3.put_bucket_policy(Bucket=self.resolve(policy["bucket"]), Policy=self.resolve(policy["policy"]))

    def create_workers_stack(self) -> None:
        self._read_caller_identity("workers")
        for logical, group in self.each("workers", "aws_cloudwatch_log_group"):
            self.logs.create_log_group(logGroupName=group["name"])
            arn = f"arn:aws:logs:{self.region}:{MOTO_ACCOUNT}:log-group:{group['name']}"
            self.record("aws_cloudwatch_log_group", logical, name=group["name"], arn=arn)
        for logical, secret in self.each("workers", "aws_secretsmanager_secret"):
            arn = self.secrets.create_secret(Name=secret["name"], Description=secret["description"])["ARN"]
            self.record("aws_secretsmanager_secret", logical, arn=arn, id=arn, name=secret["name"])
        self._create_roles("workers")  # first: the master policy names the worker role
        for _, policy in self.each("workers", "aws_secretsmanager_secret_policy"):
            self.secrets.put_resource_policy(
                SecretId=self.resolve(policy["secret_arn"]), ResourcePolicy=self.resolve(policy["policy"])
            )
        for logical, policy in self.each("workers", "aws_iam_policy"):
            arn = self.iam.create_policy(PolicyName=policy["name"], PolicyDocument=self.resolve(policy["policy"]))[
                "Policy"
            ]["Arn"]
            self.record("aws_iam_policy", logical, arn=arn, id=arn, name=policy["name"])
        for _, attachment in self.each("workers", "aws_iam_role_policy_attachment"):
            self.iam.attach_role_policy(
                RoleName=self.resolve(attachment["role"]), PolicyArn=self.resolve(attachment["policy_arn"])
            )

        for logical, vpc in self.each("workers", "aws_vpc"):
            vpc_id = self.ec2.create_vpc(CidrBlock=vpc["cidr_block"])["Vpc"]["VpcId"]
            self.record("aws_vpc", logical, id=vpc_id)
        for logical, subnet in self.each("workers", "aws_subnet"):
            created = self.ec2.create_subnet(VpcId=self.resolve(subnet["vpc_id"]), CidrBlock=subnet["cidr_block"])
            self.record("aws_subnet", logical, id=created["Subnet"]["SubnetId"])
        for logical, group in self.each("workers", "aws_security_group"):
            group_id = self.ec2.create_security_group(
                GroupName=group["name"], Description=group["description"], VpcId=self.resolve(group["vpc_id"])
            )["GroupId"]
            self.record("aws_security_group", logical, id=group_id)
        for _, rule in self.each("workers", "aws_vpc_security_group_ingress_rule"):
            permission: dict[str, Any] = {
                "IpProtocol": rule["ip_protocol"],
                "FromPort": rule["from_port"],
                "ToPort": rule["to_port"],
            }
            if "cidr_ipv4" in rule:
                permission["IpRanges"] = [{"CidrIp": rule["cidr_ipv4"], "Description": rule["description"]}]
            else:
                permission["UserIdGroupPairs"] = [{"GroupId": self.resolve(rule["referenced_security_group_id"])}]
            self.ec2.authorize_security_group_ingress(
                GroupId=self.resolve(rule["security_group_id"]), IpPermissions=[permission]
            )

        for logical, instance in self.each("workers", "aws_instance"):
            self._run_instance(logical, instance)
        for logical, _ in self.each("workers", "aws_eip"):
            allocated = self.ec2.allocate_address(Domain="vpc")
            self.record("aws_eip", logical, id=allocated["AllocationId"], public_ip=allocated["PublicIp"])
        for _, association in self.each("workers", "aws_eip_association"):
            self.ec2.associate_address(
                InstanceId=self.resolve(association["instance_id"]),
                AllocationId=self.resolve(association["allocation_id"]),
            )
        for logical, key_pair in self.each("workers", "aws_key_pair"):
            self.ec2.import_key_pair(KeyName=key_pair["key_name"], PublicKeyMaterial=key_pair["public_key"].encode())
            self.record("aws_key_pair", logical, key_name=key_pair["key_name"], id=key_pair["key_name"])

    def create_cluster_instances(self) -> None:
        """The cluster's instances with their synthesized types and tags, in the workers' first subnet."""
        subnet = next(value["id"] for (kind, _), value in self.values.items() if kind == "aws_subnet")
        for logical, instance in self.each("cluster", "aws_instance"):
            self._run_instance(logical, {**instance, "subnet_id": subnet, "vpc_security_group_ids": []})

    @functools.cached_property
    def image(self) -> str:
        """moto's newest Canonical Ubuntu (older than the stacks look up), for every instance."""
        return ubuntu_images(self.ec2)[0]

    def _read_caller_identity(self, stack: str) -> None:
        for logical in self.synth.data_sources(stack, "aws_caller_identity"):
            self.record("data.aws_caller_identity", logical, account_id=MOTO_ACCOUNT)

    def _create_roles(self, stack: str) -> None:
        for logical, role in self.each(stack, "aws_iam_role"):
            self.record(
                "aws_iam_role",
                logical,
                name=role["name"],
                id=role["name"],
                arn=f"arn:aws:iam::{MOTO_ACCOUNT}:role/{role['name']}",
            )
        for logical, role in self.each(stack, "aws_iam_role"):
            arn = self.iam.create_role(
                RoleName=role["name"], AssumeRolePolicyDocument=self.resolve(role["assume_role_policy"])
            )["Role"]["Arn"]
            self.record("aws_iam_role", logical, name=role["name"], id=role["name"], arn=arn)
        for _, policy in self.each(stack, "aws_iam_role_policy"):
            self.iam.put_role_policy(
                RoleName=self.resolve(policy["role"]),
                PolicyName=policy["name"],
                PolicyDocument=self.resolve(policy["policy"]),
            )

    def _run_instance(self, logical: str, instance: dict[str, Any]) -> None:
        arguments: dict[str, Any] = {
            "ImageId": self.image,
            "InstanceType": instance["instance_type"],
            "MinCount": 1,
            "MaxCount": 1,
            "SubnetId": self.resolve(instance["subnet_id"]),
            "MetadataOptions": {"HttpTokens": instance["metadata_options"]["http_tokens"], "HttpEndpoint": "enabled"},
            "TagSpecifications": [
                {"ResourceType": "instance", "Tags": [{"Key": k, "Value": v} for k, v in instance["tags"].items()]}
            ],
        }
        groups = self.resolve(instance.get("vpc_security_group_ids", []))
        if groups:
            arguments["SecurityGroupIds"] = groups
        created = self.ec2.run_instances(**arguments)["Instances"][0]
        self.record(
            "aws_instance",
            logical,
            id=created["InstanceId"],
            private_ip=created.get("PrivateIpAddress"),
            public_ip=created.get("PublicIpAddress") or created.get("PrivateIpAddress"),
        )

    # --- outputs ------------------------------------------------------------------------------------------

    def outputs(self) -> dict[str, dict[str, Any]]:
        """Every synthesized output whose value refers only to created resources, as `cdktf --outputs-file` writes."""
        result: dict[str, dict[str, Any]] = {}
        for stack in self.synth.stack_names():
            values = {}
            for name, output in self.synth.stack(stack).get("output", {}).items():
                if name.startswith("cross-stack-output-"):
                    continue
                try:
                    values[name] = self.resolve(output["value"])
                except UnresolvedReference:
                    continue
            result[stack] = values
        return result


def write_outputs(path, outputs: dict[str, Any]) -> None:
    path.write_text(json.dumps(outputs, indent=2))
