"""multipart-trust: the multipart-upload role trusts the store user, as seed 000's trust policy says."""

from __future__ import annotations

from checks.base import Check, Outcome, failed, passed
from checks.context import VerifyContext
from checks.trust_policies import aws_principals, trust_statements


class MultipartTrust(Check):
    id = "multipart-trust"
    title = "Multipart-upload role is assumable by the store user only"
    seed = "000"
    needs_outputs = ("multipart_upload_role_arn", "user_name")

    def run(self, context: VerifyContext) -> Outcome:
        iam = context.client("iam")
        user_arn = iam.get_user(UserName=context.output("user_name"))["User"]["Arn"]
        statements = trust_statements(iam, context.output("multipart_upload_role_arn"))
        principals = sorted({p for s in statements for p in aws_principals(s)})
        if principals != [user_arn]:
            return failed(f"trusted principals are {principals or 'none'}, expected only the store user {user_arn}")
        return passed(f"only the store user {user_arn} may assume the role")
