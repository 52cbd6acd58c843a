"""Exceptions raised by aws_mcp.

Every error carries ``kind`` (a stable snake_case name of the core error
variant) and ``suggestions`` (the closest valid names, when there are any).
Errors about bad input subclass :class:`ValueError`, as Python code expects.
"""

from __future__ import annotations


class AwsMcpError(Exception):
    """Base class of every aws_mcp error."""

    def __init__(self, message: str, kind: str = "error", suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.suggestions = list(suggestions or [])


class CatalogError(AwsMcpError):
    """The command table could not be loaded or decoded."""


class ValidationError(AwsMcpError, ValueError):
    """The command is not a valid AWS CLI command (see ``kind`` and ``suggestions``)."""


class PolicyError(AwsMcpError, ValueError):
    """The policy configuration (environment or policy file) is invalid."""


class RetrievalError(AwsMcpError, ValueError):
    """The suggestion request is invalid (empty or too long)."""


class ServerError(AwsMcpError):
    """The MCP server could not start or stopped with an error."""
