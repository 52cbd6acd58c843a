"""Checked with `mypy --strict`: the stubs describe the API as used."""

import os

import aws_mcp

cat: aws_mcp.Catalog = aws_mcp.Catalog()
services: list[str] = cat.services()
cmd = cat.command("sts", "get-caller-identity")
if cmd is not None:
    desc: object = cmd["description"]
try:
    aws_mcp.Catalog.from_path("/nonexistent")
except aws_mcp.CatalogError as e:
    kind: str = e.kind
    suggestions: list[str] = e.suggestions

vcmd: aws_mcp.ValidatedCommand = aws_mcp.validate("aws sts get-caller-identity")
params: dict[str, object] = vcmd.parameters
level: object = aws_mcp.classify(vcmd)["access_level"]
policy = aws_mcp.Policy({"AWS_REGION": "us-east-1"})
verdict: object = policy.assess("aws s3 ls")["decision"]
try:
    aws_mcp.validate("aws ec3 ls")
except aws_mcp.ValidationError as err:
    first: list[str] = err.suggestions

hits: list[aws_mcp.Suggestion] = aws_mcp.suggest("list my buckets", k=2)
score: float = hits[0].score
engine: str = aws_mcp.suggest_engine()

env_policy = aws_mcp.Policy(os.environ)
in_catalog: aws_mcp.ValidatedCommand = cat.validate("aws s3 ls")
also: aws_mcp.ValidatedCommand = aws_mcp.validate("aws s3 ls", catalog=cat)
status: int = aws_mcp.cli_main(["aws-mcp", "--version"])
