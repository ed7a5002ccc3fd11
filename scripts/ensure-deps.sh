#!/bin/sh
# Makes sure the system packages the build needs are present: libgit2's headers (Debian: libgit2-dev)
# and pkg-config. Installs them with apt-get when running as root; otherwise prints the exact command.
set -eu

missing=""
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
if ! pkg-config --exists libgit2 2>/dev/null; then
    missing="$missing libgit2-dev"
fi
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "git-ccsync needs libgit2 and pkg-config; install them with your package manager (macOS: brew install libgit2 pkg-config)" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "git-ccsync needs:$missing" >&2
    echo "run: sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "installing:$missing" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
