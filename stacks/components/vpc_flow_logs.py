"""VPC flow logs delivered to CloudWatch Logs: the network's record of who connected to what, for incidents."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Construct

from stacks import policies
from stacks.engine.aws.cloudwatch_log_group import CloudwatchLogGroup
from stacks.engine.aws.flow_log import FlowLog
from stacks.engine.aws.iam_role import IamRole
from stacks.engine.aws.iam_role_policy import IamRolePolicy


@dataclass(frozen=True)
class VpcFlowLogsProps:
    vpc_id: str
    """VPC whose traffic is recorded."""
    account_id: str
    """Account that owns the VPC; the delivery role only trusts the flow-logs service acting for it."""
    log_group_name: str
    """CloudWatch Logs group the records go to (created here)."""
    role_name: str
    """IAM role the flow-logs service assumes to write into that group."""
    traffic_type: str = "ALL"
    """ALL, ACCEPT or REJECT."""
    retention_days: int = 365
    """Days CloudWatch Logs keeps the records."""
    kms_key_arn: str | None = None
    """KMS key for the log group; None means CloudWatch Logs' own encryption."""


class VpcFlowLogs(Construct):
    """Log group with a retention, a delivery role that can only write into it, and the flow log."""

    def __init__(self, scope: Construct, id: str, props: VpcFlowLogsProps):
        super().__init__(scope, id)
        self.log_group = CloudwatchLogGroup(
            self,
            "log_group",
            name=props.log_group_name,
            retention_in_days=props.retention_days,
            kms_key_id=props.kms_key_arn,
        )
        self.role = IamRole(
            self,
            "delivery_role",
            name=props.role_name,
            description="Lets VPC flow logs write into their CloudWatch Logs group",
            assume_role_policy=policies.trust_aws_service("vpc-flow-logs.amazonaws.com", props.account_id),
        )
        IamRolePolicy(
            self,
            "delivery_policy",
            name="deliver-flow-logs",
            role=self.role.id,
            policy=policies.flow_log_delivery_policy(self.log_group.arn),
        )
        self.flow_log = FlowLog(
            self,
            "flow_log",
            vpc_id=props.vpc_id,
            traffic_type=props.traffic_type,
            log_destination_type="cloud-watch-logs",
            log_destination=self.log_group.arn,
            iam_role_arn=self.role.arn,
            max_aggregation_interval=600,  # 10-minute windows: the default, half the log volume of 1-minute ones
        )
