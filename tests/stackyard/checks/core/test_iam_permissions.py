"""Permission decisions: IAM's simulator when the endpoint has it (Stubber), local evaluation when it does not."""

from __future__ import annotations

import json
from urllib.parse import quote

import boto3
import pytest
from botocore.stub import Stubber

from stackyard.checks.core.iam_permissions import ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY, decide, evaluate_locally

ROLE = "arn:aws:iam::123456789012:role/ValohaiWorkerRole"
ACTION = "autoscaling:SetInstanceProtection"


def iam_client():
    return boto3.client("iam", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")


@pytest.mark.parametrize("decision", [ALLOWED, IMPLICIT_DENY, EXPLICIT_DENY])
def test_simulator_decision_is_reported_as_simulated(decision):
    iam = iam_client()
    with Stubber(iam) as stub:
        stub.add_response(
            "simulate_principal_policy",
            {
                "EvaluationResults": [
                    {
                        "EvalActionName": ACTION,
                        "EvalResourceName": "*",
                        "EvalDecision": decision,
                        "MatchedStatements": [{"SourcePolicyId": "ValohaiWorkerPolicy"}]
                        if decision != IMPLICIT_DENY
                        else [],
                    }
                ]
            },
            {"PolicySourceArn": ROLE, "ActionNames": [ACTION], "ResourceArns": ["*"]},
        )
        (result,) = decide(iam, ROLE, [ACTION])
        stub.assert_no_pending_responses()
    assert result.decision == decision and result.method == "simulated"
    assert result.allowed is (decision == ALLOWED)
    assert f"{ACTION} on *: {decision} (simulated" in result.describe()


def test_simulator_unavailable_falls_back_to_the_roles_own_policies():
    iam = iam_client()
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "1", "Effect": "Allow", "Action": ACTION, "Resource": "*"}],
    }
    with Stubber(iam) as stub:
        stub.add_client_error("simulate_principal_policy", "InternalFailure", "not implemented", 500)
        stub.add_response("list_role_policies", {"PolicyNames": ["inline"]}, {"RoleName": "ValohaiWorkerRole"})
        stub.add_response(
            "get_role_policy",
            {"RoleName": "ValohaiWorkerRole", "PolicyName": "inline", "PolicyDocument": quote(json.dumps(document))},
            {"RoleName": "ValohaiWorkerRole", "PolicyName": "inline"},
        )
        stub.add_response("list_attached_role_policies", {"AttachedPolicies": []}, {"RoleName": "ValohaiWorkerRole"})
        (result,) = decide(iam, ROLE, [ACTION])
    assert result.decision == ALLOWED and result.method == "evaluated locally"
    assert result.statements == ["inline:1"]


def test_access_denied_to_the_simulator_is_not_hidden():
    iam = iam_client()
    with Stubber(iam) as stub:
        stub.add_client_error("simulate_principal_policy", "AccessDenied", "no", 403)
        with pytest.raises(Exception, match="AccessDenied"):
            decide(iam, ROLE, [ACTION])


def allow(**statement):
    return {"Effect": "Allow", "Resource": "*", **statement}


@pytest.mark.parametrize(
    ("statements", "action", "resource", "expected"),
    [
        ([allow(Action="autoscaling:*")], ACTION, "*", ALLOWED),
        ([allow(Action="AutoScaling:SetInstance?rotection")], ACTION, "*", ALLOWED),
        ([allow(Action="ec2:DescribeInstances")], ACTION, "*", IMPLICIT_DENY),
        ([allow(NotAction="iam:*")], ACTION, "*", ALLOWED),
        ([allow(NotAction="autoscaling:*")], ACTION, "*", IMPLICIT_DENY),
        ([allow(Action="*"), {"Effect": "Deny", "Action": ACTION, "Resource": "*"}], ACTION, "*", EXPLICIT_DENY),
        ([allow(Action="iam:PassRole", Resource="arn:aws:iam::*:role/Valohai*")], "iam:PassRole", ROLE, ALLOWED),
        ([allow(Action="iam:PassRole", Resource="arn:aws:iam::*:role/Other")], "iam:PassRole", ROLE, IMPLICIT_DENY),
        (
            [allow(Action="iam:PassRole", NotResource="arn:aws:iam::*:role/Other", Resource=None)],
            "iam:PassRole",
            ROLE,
            ALLOWED,
        ),
        ([{"Effect": "Allow", "Action": "s3:*", "NotResource": ROLE}], "s3:GetObject", ROLE, IMPLICIT_DENY),
    ],
)
def test_local_evaluation(statements, action, resource, expected):
    statements = [{k: v for k, v in s.items() if v is not None} for s in statements]
    (result,) = evaluate_locally({"policy": {"Statement": statements}}, [action], resource)
    assert result.decision == expected


def test_conditions_are_reported_as_not_evaluated():
    statement = allow(Action="ec2:RunInstances", Condition={"StringEquals": {"aws:ResourceTag/Valohai": "1"}})
    (result,) = evaluate_locally({"master": {"Statement": [statement]}}, ["ec2:RunInstances"], "*")
    assert result.allowed and result.conditions_not_evaluated
    assert "conditions not evaluated" in result.describe()
