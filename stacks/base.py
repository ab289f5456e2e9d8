"""What every stackyard stack shares: the AWS provider, the state backend and the provider-version constraint."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from constructs import Construct

from stacks.engine.aws.data_aws_caller_identity import DataAwsCallerIdentity
from stacks.engine.aws.provider import AwsProvider, AwsProviderDefaultTags, AwsProviderEndpoints
from stacks.engine.cdk import (
    LocalBackend,
    S3Backend,
    TerraformOutput,
    TerraformResource,
    TerraformResourceLifecycle,
    TerraformStack,
)
from stacks.inputs import BUNDLE_CONTEXT, REGION, Inputs
from stackyard.config.adoption import StackAdoption
from stackyard.config.model import AwsSettings, StackyardConfig
from stackyard.config.model import LocalBackend as LocalBackendSettings
from stackyard.config.protection import lifted
from stackyard.config.s3_state import backend_arguments

# The bindings are generated from provider 6.x but teams (and this project's offline mirror) still run 5.100:
# admit both, and use only arguments that exist in both.
AWS_PROVIDER_CONSTRAINT = ">= 5.100.0, < 7.0.0"
# Written out in full: cdktf's bindings say "aws", CDK Terrain's "hashicorp/aws" (the same provider to Terraform);
# one spelling keeps both engines' JSON identical.
AWS_PROVIDER_SOURCE = "hashicorp/aws"

# Every service the stacks (and their data sources) call, for emulators that serve them all on one URL.
EMULATED_SERVICES = ("autoscaling", "cloudwatch", "ec2", "iam", "kms", "logs", "s3", "secretsmanager", "sts")


class StackyardStack(TerraformStack):
    """A TerraformStack with stackyard's provider, backend and provider constraint already set up."""

    def __init__(self, scope: Construct, name: str, config: StackyardConfig, adoption: StackAdoption | None = None):
        super().__init__(scope, name)
        self.config = config
        self.adoption = adoption or StackAdoption()
        self.slots: set[str] = set()
        """Every slot this stack offers for adoption (the adoption file may name no other)."""
        self.protected: dict[str, str] = {}
        """Construct path -> protected name, for every protected resource of this stack."""
        self.inputs = Inputs(self, bundle_mode=bool(self.node.try_get_context(BUNDLE_CONTEXT)))
        """The values a team may set: the config's own, or (bundle mode) Terraform variables defaulting to them."""
        self.region: str = self.inputs.value("region", config.aws.region, "AWS region of this stack", REGION)
        tags = self.inputs.value("default_tags", dict(config.tags), "Tags on every resource (the provider's default)")
        AwsProvider(self, "aws", **provider_arguments(config.aws, tags, self.region))
        if self.inputs.bundle_mode:
            self._configure_portable_backend()
        else:
            self._configure_backend(name)
        self.add_override("terraform.required_providers.aws.source", AWS_PROVIDER_SOURCE)
        self.add_override("terraform.required_providers.aws.version", AWS_PROVIDER_CONSTRAINT)

    @cached_property
    def account_id(self) -> str:
        """The deploying account's id, read at plan time (one data source per stack, made on first use)."""
        return DataAwsCallerIdentity(self, "caller").account_id

    def output(self, name: str, value: object, description: str, sensitive: bool = False) -> TerraformOutput:
        """A stack-level output; its name is what `cdktf output` and the outputs file show."""
        return TerraformOutput(self, name, value=value, description=description, sensitive=sensitive)

    def protect(self, resource: TerraformResource, name: str) -> None:
        """Refuse any plan that deletes or replaces the resource (Terraform's prevent_destroy) unless the config's
        protection allows it. A resource is protected once, under the first name it is given."""
        path = resource.node.path
        if path in self.protected:
            return
        self.protected[path] = name
        if not (lifted() or self.config.protection.allows(name)):
            resource.add_override("lifecycle.prevent_destroy", True)

    def adopt(self, resource: TerraformResource, slot: str) -> None:
        """Import the resource the adoption file puts in this slot, if any, instead of creating it (protected under
        the slot's name unless it already is); keep the found values of attributes whose change would replace it."""
        self.slots.add(slot)
        entry = self.adoption.resources.get(slot)
        if entry is None or entry.import_id is None:
            return
        resource.import_from(entry.import_id)
        self.protect(resource, slot)
        for attribute, value in entry.keep.items():
            resource.add_override(attribute, value)
        if entry.ignore:
            lifecycle = resource.lifecycle
            ignored = list(lifecycle.ignore_changes or []) if lifecycle is not None else []
            resource.lifecycle = TerraformResourceLifecycle(
                ignore_changes=[*ignored, *(name for name in entry.ignore if name not in ignored)]
            )

    def existing(self, slot: str) -> str | None:
        """The name or id of a resource the adoption file says to use as it is (so the stack does not create it)."""
        self.slots.add(slot)
        entry = self.adoption.resources.get(slot)
        return entry.existing if entry is not None else None

    def unknown_slots(self) -> list[str]:
        return sorted(set(self.adoption.resources) - self.slots)

    @property
    def bundle_mode(self) -> bool:
        return self.inputs.bundle_mode

    def _configure_portable_backend(self) -> None:
        """Bundle mode: nothing of the making machine. Local state in the stack's own folder, or a partial S3
        backend the team completes with `terraform init -backend-config=backend.hcl`."""
        if isinstance(self.config.backend, LocalBackendSettings):
            LocalBackend(self, path="terraform.tfstate")
            return
        LocalBackend(self, path="terraform.tfstate")  # cdktf writes a backend always; this one is replaced
        self.add_override("terraform.backend.local", None)
        self.add_override("terraform.backend.s3", {})

    def _configure_backend(self, stack_name: str) -> None:
        backend = self.config.backend
        if isinstance(backend, LocalBackendSettings):
            # Absolute, like cdktf's own default: state survives `cdktf.out/` being rewritten by every synth.
            LocalBackend(self, path=str(Path(backend.path.format(stack=stack_name)).resolve()))
            return
        S3Backend(
            self,
            bucket=backend.bucket,
            key=backend.key.format(stack=stack_name),
            region=backend.region,
            encrypt=backend.encrypt,
        )
        if backend.use_lockfile:
            # cdktf 0.21's S3Backend has no typed field for Terraform 1.10's S3-native locking.
            self.add_override("terraform.backend.s3.use_lockfile", True)
        for argument, value in backend_arguments(self.config.aws).items():
            self.add_override(f"terraform.backend.s3.{argument}", value)


def provider_arguments(aws: AwsSettings, tags: dict[str, str], region: str | None = None) -> dict[str, object]:
    """AwsProvider keyword arguments: region (``aws.region`` unless given), default tags and, for emulators,
    endpoints and skip flags."""
    arguments: dict[str, object] = {
        "region": region or aws.region,
        "default_tags": [AwsProviderDefaultTags(tags=tags)],
    }
    if aws.profile:
        arguments["profile"] = aws.profile
    if aws.account_id:
        arguments["allowed_account_ids"] = [aws.account_id]
    if aws.endpoint_url:
        arguments |= {
            "endpoints": [AwsProviderEndpoints(**dict.fromkeys(EMULATED_SERVICES, aws.endpoint_url))],
            "skip_credentials_validation": True,
            "skip_requesting_account_id": True,
            "skip_metadata_api_check": "true",
            "s3_use_path_style": True,
        }
    return arguments
