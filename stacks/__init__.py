"""Generation: CDKTF stacks that turn a stackyard config into Terraform JSON."""
