"""Reading AWS the way verification and discovery both need: clients for a config, policy documents, rules."""
