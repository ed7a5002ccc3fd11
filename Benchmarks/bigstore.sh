# git-ccsync benchmarks, section 7 (sourced by Benchmarks/run.sh after Benchmarks/sync.sh's helpers):
# a first sync and a first pull of a big store.
#
#   6. A's Claude store holds 200 (BENCH_SCALE) sessions of ~1 MB built from the real fixtures (as in
#      section 4). Timed, each run from scratch (a new bare remote, no working copies):
#        first sync    `git ccsync init --remote R` on A: creates the repository, copies, commits, pushes
#        first pull    `git ccsync init --remote R` on B: clones, checks out, writes B's Claude store
#      next to plain git by hand on a filter-less copy (cp -a of the store into a new clone, add,
#      commit, push; git clone of that remote), and, when BENCH_BASELINE_BIN names another build (e.g.
#      today's release before these changes), the same two commands with it, in turns.
#      targets: first sync <= 1/3 of the baseline's, first pull <= 1/2 of the baseline's.
#      Checked once: B's store holds every session with B's paths byte for byte, `git fsck --strict`
#      passes on A's working copy and on the remote, and on a terminal (util-linux `script`, if
#      installed) the first sync's progress counters move.

S7=$WORK/s6
mkdir -p "$S7"
S7_A=$S7/a/home/ana; S7_B=$S7/b/Users/ana
S7_LIST=$S7/sessions.list
mkdir -p "$S7_A/code" "$S7_B/dev"
: > "$S7_LIST"
make_store "$S7_A/.claude" "$S7_A/code" "$S7_A" "$S4_SESSIONS" 1000000 1000000 "$S7_LIST"
s7_bytes=$(cut -f2 "$S7_LIST" | tr '\n' '\0' | xargs -0 cat | wc -c | tr -d ' ')
BASELINE=${BENCH_BASELINE_BIN:-}
[[ -z $BASELINE || -x $BASELINE ]] || die "BENCH_BASELINE_BIN=$BASELINE is not an executable"

s7_reset() { rm -rf "$S7/remote.git" "$S7/plain.git" "$S7/plain-a" "$S7/plain-b" "$S7_A/.ccsync" "$S7_B/.ccsync" "$S7_B/.claude"
             git init -q --bare "$S7/remote.git"; git init -q --bare "$S7/plain.git"; mkdir -p "$S7_B/.claude"; }
s7_init() { # BIN HOME MACHINE PROJECTS
    (cd "$2" && HOME=$2 "$1" init --remote "$S7/remote.git" --machine "$3" --add-placeholder "PROJECTS=$4")
}
s7_plain_push() {
    git clone -q "$S7/plain.git" "$S7/plain-a" 2>/dev/null && cp -a "$S7_A/.claude/projects" "$S7/plain-a/" \
        && git -C "$S7/plain-a" add -A && git -C "$S7/plain-a" commit -q -m "sessions from a" \
        && git -C "$S7/plain-a" push -q origin HEAD:main
}
s7_plain_pull() { git clone -q "$S7/plain.git" "$S7/plain-b"; }

for ((run = 1; run <= RUNS; run++)); do
    for variant in plain ccsync ${BASELINE:+baseline}; do
        s7_reset
        sync
        case $variant in
            plain)
                timed s6-sync-plain s7_plain_push
                timed s6-pull-plain s7_plain_pull ;;
            ccsync)
                timed s6-sync-ccsync s7_init "$BIN" "$S7_A" linux-a "$S7_A/code"
                sync
                timed s6-pull-ccsync s7_init "$BIN" "$S7_B" mac-b "$S7_B/dev" ;;
            baseline)
                timed s6-sync-baseline s7_init "$BASELINE" "$S7_A" linux-a "$S7_A/code"
                sync
                timed s6-pull-baseline s7_init "$BASELINE" "$S7_B" mac-b "$S7_B/dev" ;;
        esac
    done
done

# Checks, on a last run of git-ccsync (A on a terminal when `script` is there).
s7_reset
progress_note="not checked (util-linux 'script' is not installed)"
if command -v script >/dev/null 2>&1; then
    (cd "$S7_A" && HOME=$S7_A script -qefc "$(shq "$BIN") init --remote $(shq "$S7/remote.git") --machine linux-a --add-placeholder PROJECTS=$(shq "$S7_A/code") </dev/null" "$S7/typescript" >/dev/null) \
        || die "ccsync: init on a terminal failed"
    moves=$(tr '\r' '\n' < "$S7/typescript" | grep -aEc '^(Collecting|Staging) sessions: +[0-9]+%' || true)
    writes=$(tr '\r' '\n' < "$S7/typescript" | grep -aEc '^Writing objects: +[0-9]+%' || true)
    # (git-ccsync's own counters appear once a stage has run half a second: not at every BENCH_SCALE.)
    ((writes >= 2 && (moves >= 2 || S4_SESSIONS < 100))) || die "ccsync: the first sync's progress did not move on a terminal ($moves, $writes updates)"
    progress_note="$moves updates of git-ccsync's own counters and $writes of git's 'Writing objects' on a terminal"
else
    run_logged s7_init "$BIN" "$S7_A" linux-a "$S7_A/code"
fi
run_logged s7_init "$BIN" "$S7_B" mac-b "$S7_B/dev"
[[ $(count_sessions "$S7_B/.claude") == "$S4_SESSIONS" ]] || die "ccsync: B's store holds $(count_sessions "$S7_B/.claude") sessions after its first pull"
while IFS=$'\t' read -r id path _; do
    b_copy=$(find "$S7_B/.claude/projects" -name "$id.jsonl" -type f | sed -n 1p)
    [[ -n $b_copy ]] || die "session $id is not in B's store"
    sed -e "s|$S7_B/dev|$S7_A/code|g" -e "s|$S7_B|$S7_A|g" "$b_copy" | cmp -s - "$path" \
        || die "B's copy of session $id is not A's with B's paths"
done < <(awk 'NR % 10 == 1' "$S7_LIST")
run_logged git -C "$S7_A/.ccsync" fsck --strict --no-dangling
run_logged git --git-dir="$S7/remote.git" fsck --strict --no-dangling
s7_remote=$(du -sk "$S7/remote.git" | cut -f1)

echo "7. a big store: $S4_SESSIONS sessions, $(mb "$s7_bytes") MB, first sync (init on A) and first pull (init on B)"
echo "   through a local bare remote, each run from scratch, next to plain git by hand on a filter-less copy"
[[ -n $BASELINE ]] && echo "   and to the baseline build $BASELINE"
add_header
add_row "plain: cp, add, commit, push" s6-sync-plain
add_row "git ccsync init (A, first sync)" s6-sync-ccsync
[[ -n $BASELINE ]] && add_row "baseline init (A, first sync)" s6-sync-baseline
add_row "plain: git clone" s6-pull-plain
add_row "git ccsync init (B, first pull)" s6-pull-ccsync
[[ -n $BASELINE ]] && add_row "baseline init (B, first pull)" s6-pull-baseline
ratio_row "first sync / plain git" s6-sync-ccsync s6-sync-plain
ratio_row "first pull / plain git" s6-pull-ccsync s6-pull-plain
if [[ -n $BASELINE ]]; then
    ratio_row "first sync / baseline" s6-sync-ccsync s6-sync-baseline 0.33
    ratio_row "first pull / baseline" s6-pull-ccsync s6-pull-baseline 0.5
fi
echo "  first sync $(mbps "$s7_bytes" "$(median s6-sync-ccsync)") MB/s; remote after it $((s7_remote / 1024)) MB for $(mb "$s7_bytes") MB of sessions"
echo "  (checked once: B's store byte for byte, git fsck --strict on A and the remote, progress: $progress_note)"
echo
[[ ${BENCH_KEEP:-0} == 1 ]] || rm -rf "$S7"
