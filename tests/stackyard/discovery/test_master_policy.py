"""master-policy: ValohaiMasterPolicy by name; two of that name (other paths) are ambiguous."""

from __future__ import annotations

import json

from stackyard.discovery.core.base import State
from stackyard.discovery.master_policy import MasterPolicy


def test_found_missing_and_ambiguous(find, fresh_estate, empty_account):
    assert find(MasterPolicy, fresh_estate.endpoint).state is State.FOUND
    assert find(MasterPolicy, empty_account).state is State.MISSING
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}]}
    fresh_estate.client("iam").create_policy(
        PolicyName="ValohaiMasterPolicy", Path="/copies/", PolicyDocument=json.dumps(document)
    )
    finding = find(MasterPolicy, fresh_estate.endpoint)
    assert finding.state is State.AMBIGUOUS and len(finding.ids) == 2
