"""aws_mcp: the AWS CLI command table, validation, policy and suggestions, in Python.

>>> import aws_mcp
>>> cmd = aws_mcp.validate("aws ec2 describe-instances --instance-ids i-1 --region eu-west-1")
>>> cmd.parameters
{'InstanceIds': ['i-1']}
>>> aws_mcp.classify(cmd)["read_only"]
True
>>> aws_mcp.Catalog().command("sts", "get-caller-identity")["api"]
{'service': 'sts', 'operation': 'GetCallerIdentity'}

The heavy lifting is done by the Rust core (``aws-mcp-core``) through the
native module ``aws_mcp._native``. The distribution is ``aws-cli-mcp`` on
PyPI; the Node package ``aws-mcp`` offers the same operations under the same
names (``suggestEngine``, ``cliMain`` in JavaScript's case).
"""

from __future__ import annotations

from . import _engine

_engine.configure()

from ._errors import (  # noqa: E402
    AwsMcpError,
    CatalogError,
    PolicyError,
    RetrievalError,
    ServerError,
    ValidationError,
)
from ._native import (  # noqa: E402
    Catalog,
    Policy,
    Suggestion,
    ValidatedCommand,
    __version__,
    classify,
    cli_main,
    serve,
    suggest,
    suggest_engine,
    validate,
)

__all__ = [
    "AwsMcpError",
    "Catalog",
    "Policy",
    "ValidatedCommand",
    "CatalogError",
    "PolicyError",
    "RetrievalError",
    "ServerError",
    "Suggestion",
    "ValidationError",
    "__version__",
    "classify",
    "cli_main",
    "serve",
    "suggest",
    "suggest_engine",
    "validate",
]
