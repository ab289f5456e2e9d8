"""What the diagram's layers share: the synthesized stacks read as Terraform (model.py), the diagram they add to."""
