#!/usr/bin/env bash
# The CI job, the same on every host (.ci/run here, .github/workflows/ci.yml on Linux and macOS): the
# README's two commands, `make install` (into a temporary prefix) and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

git --version
swift --version
# The picker tests drive a real terminal through tmux (Debian's base images have it; macOS runners may not).
if ! command -v tmux >/dev/null 2>&1 && command -v brew >/dev/null 2>&1; then
    brew install tmux
fi

prefix=$(mktemp -d "${TMPDIR:-/tmp}/ccsync-prefix.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
make install PREFIX="$prefix"
# The installed command works the way users call it: through git, from PATH.
PATH="$prefix/bin:$PATH" git ccsync --version
PATH="$prefix/bin:$PATH" git ccsync init --help >/dev/null

make test
