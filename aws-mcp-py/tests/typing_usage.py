"""Checked with `mypy --strict`: the stubs describe the API as used."""

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
