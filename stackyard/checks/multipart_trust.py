"""multipart-trust: the multipart-upload role trusts the store user, as seed 000's trust policy says."""

from __future__ import annotations

from typing import Any

from stackyard.checks.core.base import Severity
from stackyard.checks.core.context import VerifyContext
from stackyard.checks.core.families import RoleTrustCheck


class MultipartTrust(RoleTrustCheck):
    id = "multipart-trust"
    title = "Multipart-upload role is assumable by the store user only"
    seed = "000"
    severity = Severity.HIGH
    remediation = "Make the multipart role's trust policy name only the store user (seed 000): `cdktf deploy data`"
    order = 50
    role_output = "multipart_upload_role_arn"
    needs_outputs = (role_output, "user_name")

    def trusted_principal(self, context: VerifyContext, iam: Any) -> tuple[str, str]:
        user_arn = iam.get_user(UserName=context.output("user_name"))["User"]["Arn"]
        return user_arn, f"the store user {user_arn}"
