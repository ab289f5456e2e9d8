"""Constructs, one concern each, that the stacks compose."""
