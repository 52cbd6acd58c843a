"""The ``aws-mcp`` console script: the same command line as the Rust binary.

``aws-mcp`` (or ``aws-mcp serve``) serves MCP over stdio; ``aws-mcp check``,
``suggest``, ``run`` and ``catalog`` work as documented in ``aws-mcp --help``.
The arguments go to the Rust command line unchanged (``aws_mcp._native.cli_main``),
so every entry point behaves alike. The package also installs the script under
its distribution name, ``aws-cli-mcp``, so that ``uvx aws-cli-mcp`` runs it.
"""

from __future__ import annotations

import signal
import sys


def main() -> int:
    """Run the command line with ``sys.argv`` and return its exit status."""
    from ._native import cli_main

    # While Rust runs, Python's own SIGINT handler would only set a flag that
    # nothing reads; restore the default so that Ctrl-C stops the program as it
    # stops the binary.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    return cli_main(["aws-mcp", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
