"""What finders share: base classes, the registry, the runner, the context, look-ups, families."""
