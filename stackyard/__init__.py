"""stackyard: one YAML config -> the AWS infrastructure ML teams train on, and proof that it works."""
