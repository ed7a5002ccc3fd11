#!/usr/bin/env bash
# How the repository grows with use: a month of heavy use replayed on one machine, every backup a push.
#
#   GIT_CCSYNC_BIN=/abs/path/git-ccsync Benchmarks/growth.sh
#
# GROWTH_DAYS (20) working days, GROWTH_SESSIONS (3) new sessions a day, each written in GROWTH_PUSHES
# (12) steps of whole records (a backup every few minutes while Claude works) up to ~GROWTH_SIZE
# (3000000) bytes of real session text (the fixtures, paths made this machine's, uuids made unique), and
# `git ccsync push` after each step. Prints the Claude store's size next to the bare remote's and the
# working copy's object database, as they are and after `git gc` (what a server's own maintenance, or
# `git gc` in the working copy, makes of them).
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${GIT_CCSYNC_BIN:-$HERE/../.build/release/git-ccsync}
FIXTURES=${CCSYNC_SHARED_DIR:-$HERE/../../shared}/fixtures/real-sessions
DAYS=${GROWTH_DAYS:-20}; PER_DAY=${GROWTH_SESSIONS:-3}; PUSHES=${GROWTH_PUSHES:-12}; SIZE=${GROWTH_SIZE:-3000000}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ccsync-growth.XXXXXX")
trap '[[ ${GROWTH_KEEP:-0} == 1 ]] && echo "kept $WORK" || rm -rf "$WORK"' EXIT
while IFS= read -r var; do unset "$var"; done < <(env | sed -n 's/^\(GIT_[A-Z_]*\)=.*/\1/p' | grep -v '^GIT_CCSYNC_BIN$' || true)
unset CCSYNC_DIR CLAUDE_CONFIG_DIR
export HOME=$WORK/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$WORK/gitconfig
printf '[user]\n\tname = Growth\n\temail = growth@example.invalid\n[core]\n\tfsync = none\n' > "$GIT_CONFIG_GLOBAL"
mkdir -p "$HOME/code"
git init -q --bare "$WORK/remote.git"
"$BIN" init --remote "$WORK/remote.git" --machine linux-a --add-placeholder "PROJECTS=$HOME/code" --quiet >/dev/null

mapfile -t LOGS < <(find "$FIXTURES" -name '*.jsonl' -not -path '*/subagents/*' | sort)
kb() { du -sk "$1" | cut -f1; }
start=$(date +%s)
pushes=0
for ((day = 0; day < DAYS; day++)); do
    for ((s = 0; s < PER_DAY; s++)); do
        n=$((day * PER_DAY + s)); k=$((n % 7))
        cwd=$HOME/code/app$k
        folder=${cwd//[^A-Za-z0-9]/-}
        id=$(printf '%08x-0000-4000-8000-%012x' $(((n + 1) * 2654435761 % 4294967296)) "$n")
        mkdir -p "$HOME/.claude/projects/$folder"
        # The whole session, its records cut into PUSHES parts at line boundaries.
        for ((x = 0; x < ${#LOGS[@]}; x++)); do cat "${LOGS[(n + x) % ${#LOGS[@]}]}"; done \
            | sed -E -e "s|/home/USER/projects|$cwd|g" -e "s|/home/marco/projects|$cwd|g" -e "s|/path/to/Demo|$cwd|g" \
                  -e "s/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{12}/\\1$(printf '%012x' "$n")/g" \
            | awk -v max="$SIZE" -v parts="$PUSHES" -v out="$WORK/part" '
                { b += length($0) + 1; p = int(b * parts / (max + 1)); if (p < parts) print > (out "." p) }'
        for ((p = 0; p < PUSHES; p++)); do
            [[ -f $WORK/part.$p ]] && cat "$WORK/part.$p" >> "$HOME/.claude/projects/$folder/$id.jsonl"
            "$BIN" push --quiet >/dev/null
            pushes=$((pushes + 1))
        done
        rm -f "$WORK"/part.*
    done
done
secs=$(($(date +%s) - start))
store=$(kb "$HOME/.claude/projects"); remote=$(kb "$WORK/remote.git"); local=$(kb "$HOME/.ccsync/.git/objects")
git --git-dir="$WORK/remote.git" gc -q; git -C "$HOME/.ccsync" gc -q
echo "growth: $DAYS days x $PER_DAY sessions x $PUSHES pushes ($pushes pushes in $secs s), sessions of ~$((SIZE / 1000)) KB of real text"
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
echo "  Claude store (projects/)              $(mib "$store")"
echo "  remote, as pushed                     $(mib "$remote")   after git gc: $(mib "$(kb "$WORK/remote.git")")"
echo "  working copy objects, as written      $(mib "$local")   after git gc: $(mib "$(kb "$HOME/.ccsync/.git/objects")")"
