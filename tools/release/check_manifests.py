#!/usr/bin/env python3
"""Check that the release manifests agree with each other (run by scripts/test).

One version everywhere (the Cargo workspace, pyproject's dynamic version comes
from it, the npm package and its optional per-platform dependencies, the MCP
Registry's server.json and its packages); the package names server.json
announces are the ones the manifests build (PyPI `aws-cli-mcp`, npm
`aws-mcp`); the registry's ownership markers are in place (`mcpName` in
package.json, `mcp-name:` in the PyPI README); package.json lists no optional
dependencies (`napi pre-publish` adds the platform packages at release) and
every napi target is a known platform; every crate that is published names a README that exists
and a version of each path dependency.

Exit status 1 with one line per disagreement; 0 and "manifests agree" otherwise.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPI_NAME = "aws-cli-mcp"
NPM_NAME = "aws-mcp"
NAPI_SUFFIX = {
    "x86_64-unknown-linux-gnu": "linux-x64-gnu",
    "aarch64-unknown-linux-gnu": "linux-arm64-gnu",
    "x86_64-unknown-linux-musl": "linux-x64-musl",
    "aarch64-unknown-linux-musl": "linux-arm64-musl",
    "x86_64-apple-darwin": "darwin-x64",
    "aarch64-apple-darwin": "darwin-arm64",
    "x86_64-pc-windows-msvc": "win32-x64-msvc",
}


def main() -> int:
    problems: list[str] = []
    cargo = tomllib.loads((ROOT / "Cargo.toml").read_text())
    version = cargo["workspace"]["package"]["version"]
    pyproject = tomllib.loads((ROOT / "aws-mcp-py/pyproject.toml").read_text())
    package = json.loads((ROOT / "aws-mcp-node/package.json").read_text())
    server = json.loads((ROOT / "server.json").read_text())

    if pyproject["project"]["name"] != PYPI_NAME:
        problems.append(f"pyproject name is {pyproject['project']['name']!r}, not {PYPI_NAME!r}")
    if "version" not in pyproject["project"].get("dynamic", []):
        problems.append("pyproject must take its version from Cargo (dynamic = [\"version\"])")
    scripts = pyproject["project"].get("scripts", {})
    for script in ("aws-mcp", PYPI_NAME):
        if scripts.get(script) != "aws_mcp.__main__:main":
            problems.append(f"console script {script!r} must run aws_mcp.__main__:main")
    if package["name"] != NPM_NAME or package["version"] != version:
        problems.append(f"package.json is {package['name']}@{package['version']}, not {NPM_NAME}@{version}")
    if package.get("bin", {}).get("aws-mcp") is None:
        problems.append("package.json has no aws-mcp bin")
    if package.get("optionalDependencies"):
        problems.append(
            "package.json must not list optionalDependencies: `napi pre-publish` adds the platform "
            "packages at release (listed here, `npm ci` fails until they exist on the registry)"
        )
    for target in package["napi"]["targets"]:
        if target not in NAPI_SUFFIX:
            problems.append(f"napi target {target} has no known npm platform name")

    if server.get("version") != version:
        problems.append(f"server.json version {server.get('version')!r} is not {version!r}")
    if package.get("mcpName") != server.get("name"):
        problems.append(f"package.json mcpName {package.get('mcpName')!r} is not server.json's name {server.get('name')!r}")
    readme = (ROOT / "aws-mcp-py" / pyproject["project"]["readme"]).read_text()
    if f"mcp-name: {server.get('name')}" not in readme:
        problems.append(f"the PyPI README lacks the line `mcp-name: {server.get('name')}`")
    wanted = {("npm", NPM_NAME), ("pypi", PYPI_NAME)}
    seen = set()
    for pkg in server.get("packages", []):
        seen.add((pkg["registryType"], pkg["identifier"]))
        if pkg.get("version") != version:
            problems.append(f"server.json package {pkg['identifier']} has version {pkg.get('version')!r}")
        if pkg.get("transport", {}).get("type") != "stdio":
            problems.append(f"server.json package {pkg['identifier']} must use the stdio transport")
    if seen != wanted:
        problems.append(f"server.json packages are {sorted(seen)}, expected {sorted(wanted)}")
    if not (ROOT / "aws-mcp-node/README.md").is_file():
        problems.append("aws-mcp-node/README.md (the npm page) is missing")

    published = []
    for member in cargo["workspace"]["members"]:
        manifest = tomllib.loads((ROOT / member / "Cargo.toml").read_text())
        if manifest["package"].get("publish", True) is not False:
            published.append(member)
    if "aws-mcp-core" not in published or "aws-mcp-stdio" not in published:
        problems.append(f"the published crates are {published}; aws-mcp-core and aws-mcp-stdio must be among them")
    for crate in published:
        manifest = tomllib.loads((ROOT / crate / "Cargo.toml").read_text())
        pkg = manifest["package"]
        readme_name = pkg.get("readme")
        if not readme_name or not (ROOT / crate / readme_name).is_file():
            problems.append(f"{crate} names no README that exists (readme = {readme_name!r})")
        for name, spec in manifest.get("dependencies", {}).items():
            if isinstance(spec, dict) and spec.get("workspace"):
                ws = cargo["workspace"]["dependencies"].get(name, {})
                if isinstance(ws, dict) and "path" in ws and ws.get("version") != version:
                    problems.append(f"workspace dependency {name} has a path but not version {version}")

    for p in problems:
        print(f"check_manifests: {p}", file=sys.stderr)
    if problems:
        return 1
    print("manifests agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
