"""The text patterns config values must match, each with the words an error uses to say what is expected (so a
problem reads "not an AMI id (ami- and 8-17 hex digits)", not pydantic's "String should match pattern ...")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextPattern:
    regex: str
    expected: str
    """What a matching value is, in words: 'an AMI id (ami- and 8-17 hex digits)'."""


AWS_PROFILE = TextPattern(r"^[\w.+@-]{1,128}$", "a profile name (1-128 letters, digits, '.', '+', '@', '-', '_')")
AWS_ACCOUNT_ID = TextPattern(r"^\d{12}$", "an AWS account id (12 digits)")
TAG_KEY = TextPattern(r"^[\w\s.:/=+@-]+$", "a tag key (letters, digits, spaces and . : / = + @ - _)")
TAG_VALUE = TextPattern(r"^[\w\s.:/=+@-]*$", "a tag value (letters, digits, spaces and . : / = + @ - _)")
LOG_PREFIX = TextPattern(r"^[\w!.*'()/-]{0,200}$", "an S3 key prefix (up to 200 of letters, digits and !.*'()/-_)")
EXTERNAL_ID = TextPattern(r"^[\w+=,.@:/-]+$", "an sts:ExternalId (letters, digits and + = , . @ : / -)")
VPC_ID = TextPattern(r"^vpc-[0-9a-f]{8,17}$", "a VPC id (vpc- and 8-17 hex digits)")
SUBNET_ID = TextPattern(r"^subnet-[0-9a-f]{8,17}$", "a subnet id (subnet- and 8-17 hex digits)")
SECURITY_GROUP_ID = TextPattern(r"^sg-[0-9a-f]{8,17}$", "a security group id (sg- and 8-17 hex digits)")
AMI_ID = TextPattern(r"^ami-[0-9a-f]{8,17}$", "an AMI id (ami- and 8-17 hex digits)")
NAME_PREFIX = TextPattern(r"^[a-z0-9][a-z0-9-]{0,30}$", "a name prefix (1-31 lowercase letters, digits and '-')")
AVAILABILITY_ZONE = TextPattern(r"^[a-z]{2}(-[a-z]+)+-\d[a-z]$", "an availability zone name, e.g. eu-west-1a")
INSTANCE_TYPE = TextPattern(r"^[a-z][a-z0-9-]*\.[a-z0-9]+$", "an EC2 instance type, e.g. t3.medium")
ABSOLUTE_PATH = TextPattern(r"^/[\w./-]*$", "an absolute path of letters, digits and . / - _")
CLUSTER_NAME = TextPattern(
    r"^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$", "a cluster name (1-48 letters, digits, '-' and '_', not starting with - or _)"
)
UNIX_USER = TextPattern(r"^[a-z_][a-z0-9_-]{0,31}$", "a Unix user name (lowercase, up to 32 characters)")
DNS_HOSTNAME = TextPattern(
    r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$",
    "a fully qualified DNS name in lowercase, e.g. my-queue.vqueue.net",
)
EMAIL_ADDRESS = TextPattern(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", "an email address, e.g. ops@example.com")
SECRET_NAME = TextPattern(r"^[\w/+=.@-]+$", "a Secrets Manager name (letters, digits and /_+=.@-)")
ENVIRONMENT_NAME = TextPattern(
    r"^[a-z][a-z0-9]{0,15}$", "an environment name (1-16 lowercase letters and digits, starting with a letter)"
)
PROTECTED_NAME = TextPattern(
    r"^[a-z0-9][a-z0-9-]{0,62}$", "a protected resource's name, e.g. queue-instance (`stackyard plan` lists them)"
)

_EXPECTED = {
    pattern.regex: pattern.expected for pattern in list(globals().values()) if isinstance(pattern, TextPattern)
}


def expected_for(regex: str) -> str | None:
    """The words for a pattern of this module; None for any other pattern."""
    return _EXPECTED.get(regex)
