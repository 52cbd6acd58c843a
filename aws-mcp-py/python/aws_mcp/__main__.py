"""The `aws-mcp` console script: serve MCP over stdio (the same server as the Rust binary).

Configure it with environment variables (AWS_REGION, READ_OPERATIONS_ONLY, ...;
see the README). A bad value stops it at start-up with a message naming the
variable.
"""

from __future__ import annotations

import sys


def main() -> int:
    """Run the server until the client closes stdin; return the exit status."""
    args = sys.argv[1:]
    if args and args[0] in ("-h", "--help"):
        sys.stderr.write(__doc__ or "")
        return 0
    if args and args[0] != "serve":
        sys.stderr.write(
            "aws-mcp (Python package): only `aws-mcp` / `aws-mcp serve` are available here; "
            "use the Rust binary for check, suggest and catalog\n"
        )
        return 2
    from . import ServerError
    from ._native import serve

    try:
        serve()
    except ServerError as e:
        sys.stderr.write(f"aws-mcp: {e}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
