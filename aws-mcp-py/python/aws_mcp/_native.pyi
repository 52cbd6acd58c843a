from collections.abc import Mapping
from typing import Any

__version__: str

class Catalog:
    """The AWS CLI command table (embedded, or loaded from a generated file)."""

    def __init__(self) -> None: ...
    @staticmethod
    def from_path(path: str) -> Catalog: ...
    def services(self) -> list[str]: ...
    def operations(self, service: str) -> list[str]: ...
    def command(self, service: str, operation: str) -> dict[str, Any] | None: ...
    def stats(self) -> dict[str, Any]: ...
    def validate(self, command: str) -> ValidatedCommand:
        """Validate an `aws ...` command against this catalog; raises aws_mcp.ValidationError."""

class ValidatedCommand:
    """A command that exists in the AWS CLI table and whose arguments are valid."""

    @property
    def service(self) -> str: ...
    @property
    def operation(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def api(self) -> dict[str, str] | None: ...
    @property
    def region(self) -> str | None: ...
    @property
    def parameters(self) -> dict[str, Any]: ...
    @property
    def local_paths(self) -> list[dict[str, str]]: ...
    @property
    def argv(self) -> list[str]: ...
    def to_dict(self) -> dict[str, Any]: ...

def validate(command: str, catalog: Catalog | None = None) -> ValidatedCommand:
    """Validate an `aws ...` command (against `catalog`, default the embedded one);
    raises aws_mcp.ValidationError."""

def classify(command: str | ValidatedCommand) -> dict[str, Any]:
    """Access level, read-only flag, IAM actions and source of the classification."""

class Policy:
    """The security policy, configured from environment variables (default: the process's)."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        """`env`: any mapping of str to str (os.environ, a dict, ...); raises aws_mcp.PolicyError."""
    def assess(self, command: str | ValidatedCommand) -> dict[str, Any]:
        """Classify and decide, as the server does: access_level, read_only, iam_actions,
        classification_source, classification_reason, decision ('allow' | 'deny' | 'consent'),
        and for a refusal or a consent the deciding `rule` and the `reason`."""

class Suggestion:
    """A suggested command with its complete parameter list."""

    @property
    def command(self) -> str: ...
    @property
    def service(self) -> str: ...
    @property
    def operation(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def parameters(self) -> list[dict[str, Any]]: ...
    @property
    def ready(self) -> str: ...
    @property
    def missing(self) -> list[str]: ...
    def to_dict(self) -> dict[str, Any]: ...

def suggest(query: str, k: int = 3) -> list[Suggestion]:
    """The k commands most likely to do what the query asks; raises aws_mcp.RetrievalError."""

def suggest_engine() -> str:
    """The engine suggest() uses: lexical, dense or hybrid."""

def serve() -> None:
    """Serve MCP over stdin/stdout until stdin closes; raises aws_mcp.ServerError."""

def cli_main(args: list[str]) -> int:
    """Run the `aws-mcp` command line (args[0] is the program name); return its exit status."""
