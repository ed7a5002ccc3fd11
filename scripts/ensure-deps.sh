#!/bin/sh
# Makes sure the system packages the build needs are present: libgit2 with its headers and pkg-config,
# and git. Linux (Debian, Ubuntu): installs libgit2-dev and pkg-config with apt-get when running as root
# or with password-less sudo (CI); otherwise prints the exact command. macOS: installs Homebrew's
# libgit2 and pkg-config with brew when it is there; otherwise says what to install.
set -eu

missing_tool() { ! command -v "$1" >/dev/null 2>&1; }

if missing_tool swift; then
    case "$(uname -s)" in
        Darwin) echo "git-ccsync needs Swift 6.1 or later: install Xcode or the Command Line Tools (xcode-select --install)" >&2 ;;
        *) echo "git-ccsync needs Swift 6.1 or later on PATH (https://www.swift.org/install/)" >&2 ;;
    esac
    exit 1
fi
if missing_tool git; then
    echo "git-ccsync needs git 2.39 or later on PATH" >&2
    exit 1
fi

case "$(uname -s)" in
Darwin)
    missing=""
    missing_tool pkg-config && missing="$missing pkg-config"
    # Homebrew's pkg-config finds its own libgit2.pc; a pkg-config from elsewhere may need the path.
    if command -v brew >/dev/null 2>&1; then
        PKG_CONFIG_PATH="$(brew --prefix)/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
        export PKG_CONFIG_PATH
    fi
    if missing_tool pkg-config || ! pkg-config --exists libgit2 2>/dev/null; then
        missing="$missing libgit2"
    fi
    [ -z "$missing" ] && exit 0
    if ! command -v brew >/dev/null 2>&1; then
        echo "git-ccsync needs:$missing (install Homebrew from https://brew.sh, then: brew install$missing)" >&2
        exit 1
    fi
    echo "installing with brew:$missing" >&2
    brew install $missing
    ;;
*)
    missing=""
    missing_tool pkg-config && missing="$missing pkg-config"
    if missing_tool pkg-config || ! pkg-config --exists libgit2 2>/dev/null; then
        missing="$missing libgit2-dev"
    fi
    [ -z "$missing" ] && exit 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "git-ccsync needs libgit2 (with its headers) and pkg-config; install them with your package manager" >&2
        exit 1
    fi
    if [ "$(id -u)" -eq 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo"
    else
        echo "git-ccsync needs:$missing" >&2
        echo "run: sudo apt-get update && sudo apt-get install -y$missing" >&2
        exit 1
    fi
    echo "installing:$missing" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
    ;;
esac
