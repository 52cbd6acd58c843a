"""Walk the real AWS CLI command table (v1 or v2) and emit it as plain Python data.

Imported by ``generate.py`` (which writes the compressed catalog) and by
``coverage_check.py`` (which compares a live walk with ``aws-mcp catalog``).
It must run inside an environment where the pinned ``awscli`` (v1 from PyPI,
or v2 installed from its source tree) is installed and ``AWS_DATA_PATH``
points at the newer botocore data (``generate.py`` sets that up). AWS CLI v2
wraps customizations in ``awscli.lazy.LazyCommand``; they are resolved to the
real command objects here, so both versions walk the same way.
"""
import html
import re

import inspect

from awscli.clidriver import ServiceCommand, create_clidriver
from awscli.customizations.commands import BasicCommand

TAG_RE = re.compile(r"<[^>]+>")
WS_RE = re.compile(r"\s+")
SENTENCE_RE = re.compile(r"(?<=[a-z0-9\)\]'\"`])\.\s+(?=[A-Z])")


def command_description(cmd):
    """A customization's DESCRIPTION, read from its file when it is FROM_FILE."""
    value = getattr(cmd, "DESCRIPTION", "") or ""
    if isinstance(value, str):
        return value
    import os
    filename = getattr(value, "filename", None) or os.path.join(cmd.name, "_description.rst")
    root = os.path.dirname(os.path.abspath(value.root_module.__file__))
    try:
        with open(os.path.join(root, "examples", filename), encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


def one_line(doc, limit=240):
    """First sentence of an HTML/RST documentation string, as plain text."""
    if not doc or not isinstance(doc, str):
        return ""
    doc = re.sub(r"``([^`]+)``", r"\1", doc)
    text = TAG_RE.sub(" ", doc)
    text = html.unescape(text)
    text = WS_RE.sub(" ", text).strip()
    parts = SENTENCE_RE.split(text, maxsplit=1)
    first = parts[0].strip()
    if first and not first.endswith("."):
        first += "."
    if len(first) > limit:
        cut = first[:limit].rsplit(" ", 1)[0]
        first = cut + "..."
    return first


def driver():
    return create_clidriver()


def subcommands(cmd):
    """Return the subcommand table of a command, or None for a leaf."""
    if hasattr(cmd, "subcommand_table"):
        try:
            table = cmd.subcommand_table
        except Exception:  # pragma: no cover - defensive
            table = None
        return table or None
    if hasattr(cmd, "_get_command_table"):
        return cmd._get_command_table() or None
    return None


def iter_commands(drv):
    """Yield (path, command object, service command object) for every runnable command.

    ``path`` is the list of words after ``aws``. Top-level commands with
    subcommands that are also runnable on their own (``aws configure``) are
    yielded too.
    """
    top = drv._get_command_table()
    for name, cmd in top.items():
        cmd = resolve(cmd)
        yield from _walk([name], cmd, cmd)


def resolve(cmd):
    """The real command behind v2's ``LazyCommand`` wrapper (v1 has none)."""
    real = getattr(cmd, "_resolve", None)
    return real() if callable(real) else cmd


def _walk(path, cmd, top):
    cmd = resolve(cmd)
    if top is not None and resolve(top) is not top:
        top = resolve(top)
    sub = subcommands(cmd)
    if sub:
        # A command with subcommands is itself runnable when it is a
        # customization with its own arguments or behaviour (aws configure,
        # aws history). Service commands (ec2, s3api) are not.
        if not isinstance(cmd, ServiceCommand) and runs_alone(cmd):
            yield path, cmd, top
        for n, c in sub.items():
            yield from _walk(path + [n], c, top)
    else:
        yield path, cmd, top


def runs_alone(cmd):
    """Whether a customization with subcommands also runs without one.

    awscli's BasicCommand calls ``_run_main`` when no subcommand is given:
    ``aws configure`` and ``aws cloudformation deploy`` run, while ``aws s3``
    and ``aws history`` answer with a usage error ("too few arguments" in v1,
    ``self._raise_usage_error()`` in v2).
    """
    run_main = getattr(type(cmd), "_run_main", None)
    if run_main is None or run_main is getattr(BasicCommand, "_run_main", None):
        return False
    try:
        source = inspect.getsource(run_main)
    except (OSError, TypeError):
        return True
    return "too few arguments" not in source and "_raise_usage_error()" not in source


def arg_table(cmd):
    return cmd.arg_table
