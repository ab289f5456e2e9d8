"""What checks share: base classes, the registry, the runner, the context, families, IAM decisions."""
