"""Validators for AWS names and addresses used in the config.

Each validator raises ``ValueError`` with a message that says what is allowed, so the
loader can show it next to the field path and the bad value.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import json
import re
from functools import lru_cache
from pathlib import Path

# The AWS account that publishes Canonical's official Ubuntu images (the stacks' image look-up, the emulator example).
CANONICAL_OWNER_ID = "099720109477"

# S3 naming rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
_BUCKET_CHARS = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_BUCKET_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_BUCKET_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
BUCKET_RULES = (
    "3-63 characters of lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, "
    "no '..', not an IP address, not starting with xn--/sthree-/amzn-s3-demo- "
    "and not ending with -s3alias/--ol-s3/.mrap/--x-s3/--table-s3"
)

# IAM ARNs: arn:<partition>:iam::<12-digit account>:<user|role|root>[/path/]name
_IAM_PRINCIPAL_ARN = re.compile(
    r"^arn:aws(-cn|-us-gov|-iso|-iso-[a-z]|-eusc)?:iam::\d{12}:(root|(user|role)(/[\w+=,.@-]+)*/[\w+=,.@-]{1,64})$"
)
_IAM_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
_KMS_KEY_ARN = re.compile(r"^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+$")

# The retention periods CloudWatch Logs accepts (PutRetentionPolicy); anything else is refused at apply time.
CLOUDWATCH_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip


@lru_cache(maxsize=1)
def known_regions() -> frozenset[str]:
    """Every region botocore knows, across all partitions (commercial, China, GovCloud...).

    Read from botocore's partitions.json rather than through a botocore session: importing botocore and loading its
    endpoint data took ~0.5 s of every synth. Pseudo-regions such as ``aws-global`` fail the partition's regionRegex.
    """
    botocore = importlib.util.find_spec("botocore")
    if botocore is None or not botocore.submodule_search_locations:
        raise ImportError("botocore is not installed: run `make install`")
    partitions = Path(botocore.submodule_search_locations[0], "data", "partitions.json")
    return frozenset(
        region
        for partition in json.loads(partitions.read_text())["partitions"]
        for region in partition["regions"]
        if re.match(partition["regionRegex"], region)
    )


def aws_region(value: str) -> str:
    if value not in known_regions():
        raise ValueError(
            "not an AWS region; use a region name such as eu-west-1 or us-west-2 (seed 001 recommends "
            "eu-west-1 for Europe and us-west-2 for the US)"
        )
    return value


def s3_bucket_name(value: str) -> str:
    problems = []
    if not _BUCKET_CHARS.match(value):
        problems.append("bad length or characters")
    if ".." in value:
        problems.append("contains '..'")
    if _looks_like_ip(value):
        problems.append("is formatted as an IP address")
    if value.startswith(_BUCKET_RESERVED_PREFIXES):
        problems.append("uses a reserved prefix")
    if value.endswith(_BUCKET_RESERVED_SUFFIXES):
        problems.append("uses a reserved suffix")
    if problems:
        raise ValueError(f"not a valid S3 bucket name ({', '.join(problems)}); use {BUCKET_RULES}")
    return value


def iam_principal_arn(value: str) -> str:
    if not _IAM_PRINCIPAL_ARN.match(value):
        raise ValueError(
            "not an IAM user, role or account-root ARN; expected e.g. "
            "arn:aws:iam::123456789012:role/valohai-assume-role"
        )
    return value


def iam_name(value: str) -> str:
    if not _IAM_NAME.match(value):
        raise ValueError("not a valid IAM name; use 1-64 letters, digits and +=,.@_-")
    return value


def tag_key(value: str) -> str:
    if value.lower().startswith("aws:"):
        raise ValueError("a reserved tag key; keys starting with 'aws:' belong to AWS, pick another key")
    return value


def ipv4_cidr(value: str) -> str:
    try:
        network = ipaddress.IPv4Network(value, strict=True)
    except ValueError as error:
        reason = str(error).replace(repr(value), "it").replace(value, "it")  # the loader already shows the value
        raise ValueError(f"not an IPv4 CIDR block ({reason}); expected e.g. 10.0.0.0/16 or 203.0.113.7/32") from None
    return str(network)


def _looks_like_ip(value: str) -> bool:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


def kms_key_arn(value: str) -> str:
    if not _KMS_KEY_ARN.match(value):
        raise ValueError("not a KMS key ARN; expected arn:aws:kms:<region>:<account>:key/<id> or an alias ARN")
    return value


def cloudwatch_retention_days(value: int) -> int:
    if value not in CLOUDWATCH_RETENTION_DAYS:
        raise ValueError(f"CloudWatch Logs does not offer this retention; use one of {list(CLOUDWATCH_RETENTION_DAYS)}")
    return value
