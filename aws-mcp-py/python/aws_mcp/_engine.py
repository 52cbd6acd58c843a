"""Point the suggestion engine at the files this package ships or depends on.

The wheel carries the dense engine's model files (``aws_mcp/models/minilm``) and depends on
PyPI's ``onnxruntime``, whose shared library the Rust core loads at run time. This module only
sets ``AWS_MCP_MODEL_DIR`` and ``ORT_DYLIB_PATH`` when they are unset and the files exist; the
core then builds the hybrid engine, or the lexical one when either is missing
(``aws_mcp.suggest_engine()`` and the server's ``engine`` field say which).
"""

from __future__ import annotations

import glob
import importlib.util
import os


def _runtime_library() -> str | None:
    spec = importlib.util.find_spec("onnxruntime")
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        capi = os.path.join(base, "capi")
        for pattern in ("libonnxruntime.so*", "libonnxruntime*.dylib", "onnxruntime.dll"):
            found = sorted(glob.glob(os.path.join(capi, pattern)))
            if found:
                return found[0]
    return None


def configure() -> None:
    """Set the engine's file locations from this installation (never overriding the user's)."""
    models = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models", "minilm")
    if not os.environ.get("AWS_MCP_MODEL_DIR") and os.path.isfile(os.path.join(models, "model.onnx")):
        os.environ["AWS_MCP_MODEL_DIR"] = models
    if not os.environ.get("ORT_DYLIB_PATH"):
        lib = _runtime_library()
        if lib:
            os.environ["ORT_DYLIB_PATH"] = lib
