"""CloudFormation, SAM and CDK cloud assemblies."""
