"""Day two: a stack's plan reviewed for protected resources, and the Terraform runs of plan, deploy and destroy."""
