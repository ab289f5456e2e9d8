"""The S3 state backend's settings that follow the provider's (the same profile, the same emulator endpoint): one
function, for the deployable stacks' backend block and for the handoff bundle's backend.hcl.example."""

from __future__ import annotations

from stackyard.config.model import AwsSettings


def backend_arguments(aws: AwsSettings) -> dict[str, object]:
    """The S3 backend's settings that follow the provider's: the same profile and, for emulators, the same endpoint
    (else the state would go to real AWS while the resources go to the emulator)."""
    arguments: dict[str, object] = {"profile": aws.profile} if aws.profile else {}
    if aws.endpoint_url:
        arguments |= {
            "endpoints": {"s3": aws.endpoint_url, "sts": aws.endpoint_url, "iam": aws.endpoint_url},
            "use_path_style": True,
            "skip_credentials_validation": True,
            "skip_requesting_account_id": True,
            "skip_metadata_api_check": True,
            "skip_region_validation": True,
        }
    return arguments
