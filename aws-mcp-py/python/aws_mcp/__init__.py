"""aws_mcp: the AWS CLI command table, validation, policy and suggestions, in Python.

>>> import aws_mcp
>>> cat = aws_mcp.Catalog()
>>> cat.command("sts", "get-caller-identity")["api"]
{'service': 'sts', 'operation': 'GetCallerIdentity'}

The heavy lifting is done by the Rust core (``aws-mcp-core``) through the
native module ``aws_mcp._native``.
"""

from __future__ import annotations

from ._errors import (
    AwsMcpError,
    CatalogError,
    PolicyError,
    RetrievalError,
    ServerError,
    ValidationError,
)
from ._native import Catalog, __version__

__all__ = [
    "AwsMcpError",
    "Catalog",
    "CatalogError",
    "PolicyError",
    "RetrievalError",
    "ServerError",
    "ValidationError",
    "__version__",
]
