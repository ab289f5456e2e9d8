"""Is a role allowed an action? Asked of IAM's policy simulator, or, where the endpoint does not implement it
(moto answers HTTP 500), worked out here from the role's own policies.

The local evaluation covers what the simulator would for identity policies: explicit Deny wins over Allow,
Action/NotAction and Resource/NotResource with * and ? wildcards. Conditions are not evaluated: a statement
with a Condition is counted as applying and the answer says so.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError

from stackyard.aws.iam_documents import as_list, parse_document

ALLOWED = "allowed"
IMPLICIT_DENY = "implicitDeny"
EXPLICIT_DENY = "explicitDeny"


@dataclass(frozen=True)
class Decision:
    action: str
    resource: str
    decision: str
    """allowed, implicitDeny or explicitDeny (the simulator's words)."""
    method: str
    """'simulated' (IAM's simulator) or 'evaluated locally'."""
    statements: list[str] = field(default_factory=list)
    """Which statements decided it (policy name and Sid)."""
    conditions_not_evaluated: bool = False

    @property
    def allowed(self) -> bool:
        return self.decision == ALLOWED

    def describe(self) -> str:
        text = f"{self.action} on {self.resource}: {self.decision} ({self.method}"
        if self.statements:
            text += f"; by {', '.join(self.statements)}"
        if self.conditions_not_evaluated:
            text += "; conditions not evaluated"
        return text + ")"


def decide(iam: Any, role_arn: str, actions: list[str], resource: str = "*") -> list[Decision]:
    """One decision per action for the role, simulated when the endpoint can, else evaluated locally."""
    try:
        response = iam.simulate_principal_policy(PolicySourceArn=role_arn, ActionNames=actions, ResourceArns=[resource])
    except ResponseParserError:
        # An endpoint without the simulator (moto) answers an HTML error page that botocore cannot parse.
        return evaluate_locally(role_policies(iam, role_arn), actions, resource)
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        code = error.response.get("Error", {}).get("Code", "")
        if status >= 500 or code in ("NotImplemented", "InternalFailure", "InternalError"):
            return evaluate_locally(role_policies(iam, role_arn), actions, resource)
        raise
    return [
        Decision(
            action=result["EvalActionName"],
            resource=result.get("EvalResourceName", resource),
            decision=result["EvalDecision"],
            method="simulated",
            statements=[statement["SourcePolicyId"] for statement in result.get("MatchedStatements", [])],
        )
        for result in response["EvaluationResults"]
    ]


def role_policies(iam: Any, role_arn: str) -> dict[str, dict[str, Any]]:
    """The role's inline and attached managed policy documents, by name."""
    role_name = role_arn.rsplit("/", 1)[-1]
    documents: dict[str, dict[str, Any]] = {}
    for name in iam.list_role_policies(RoleName=role_name)["PolicyNames"]:
        documents[name] = parse_document(iam.get_role_policy(RoleName=role_name, PolicyName=name)["PolicyDocument"])
    for attached in iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]:
        policy = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
        version = iam.get_policy_version(PolicyArn=attached["PolicyArn"], VersionId=policy["DefaultVersionId"])
        documents[attached["PolicyName"]] = parse_document(version["PolicyVersion"]["Document"])
    return documents


def evaluate_locally(documents: dict[str, dict[str, Any]], actions: list[str], resource: str) -> list[Decision]:
    return [_evaluate(documents, action, resource) for action in actions]


def _evaluate(documents: dict[str, dict[str, Any]], action: str, resource: str) -> Decision:
    allows: list[str] = []
    denies: list[str] = []
    conditional = False
    for policy_name, document in documents.items():
        for index, statement in enumerate(as_list(document.get("Statement"))):
            if not (_matches_action(statement, action) and _matches_resource(statement, resource)):
                continue
            label = f"{policy_name}:{statement.get('Sid', index)}"
            conditional = conditional or bool(statement.get("Condition"))
            (denies if statement.get("Effect") == "Deny" else allows).append(label)
    if denies:
        decision, deciding = EXPLICIT_DENY, denies
    elif allows:
        decision, deciding = ALLOWED, allows
    else:
        decision, deciding = IMPLICIT_DENY, []
    return Decision(action, resource, decision, "evaluated locally", deciding, conditional)


def _matches_action(statement: dict[str, Any], action: str) -> bool:
    if "Action" in statement:
        return any(_wildcard(pattern, action, case_sensitive=False) for pattern in as_list(statement["Action"]))
    if "NotAction" in statement:
        return not any(_wildcard(p, action, case_sensitive=False) for p in as_list(statement["NotAction"]))
    return False


def _matches_resource(statement: dict[str, Any], resource: str) -> bool:
    if "Resource" in statement:
        return any(_wildcard(pattern, resource) for pattern in as_list(statement["Resource"]))
    if "NotResource" in statement:
        return not any(_wildcard(pattern, resource) for pattern in as_list(statement["NotResource"]))
    return False


def _wildcard(pattern: str, value: str, case_sensitive: bool = True) -> bool:
    # IAM wildcards are * and ? only; fnmatch's [...] classes must not apply.
    pattern = pattern.replace("[", "[[]")
    if not case_sensitive:
        pattern, value = pattern.lower(), value.lower()
    return fnmatch.fnmatchcase(value, pattern)
