#!/usr/bin/env bash
# Fetch the botocore source distribution (from PyPI) whose test suites the core
# crate's protocol and endpoint tests read: tests/unit/protocols/{input,output}
# and tests/functional/endpoint-rules. Unpacked at .venv/sdist/botocore-<version>
# (override the directory the tests read with AWS_MCP_BOTOCORE_SRC).
set -euo pipefail
cd "$(dirname "$0")/../.."
version="${BOTOCORE_VERSION:-$(sed -n 's/^ *"botocore": "\([0-9.]*\)".*/\1/p' tools/catalog-gen/generate.py)}"
dest=".venv/sdist"
if [ -d "$dest/botocore-$version/tests/unit/protocols" ]; then exit 0; fi
mkdir -p "$dest"
.venv/bin/pip download -q --no-binary :all: --no-deps -d "$dest" "botocore==$version"
tar xzf "$dest/botocore-$version.tar.gz" -C "$dest"
rm "$dest/botocore-$version.tar.gz"
echo "botocore $version sources in $dest/botocore-$version" >&2
