# shellcheck shell=bash
# Section 6 of Benchmarks/run.sh (sourced after sync.sh, whose helpers it uses): the Claude Code
# SessionStart hook with nothing to do — the session's lock is free, this machine's copy is the latest,
# the remote is a local bare repository — next to a plain `git fetch` of the same remote in the same
# working copy. The hook takes the lock (one compare-and-swap push that also proves the copy fresh),
# records the run and starts the session's keeper; Claude waits for exactly that.
#                                                      target: hook <= 2x fetch
# Between runs the "Claude" (a sleep) exits and its keeper pushes and releases the lock, untimed.

S6=$WORK/s6
mkdir -p "$S6"
A6_HOME=$S6/a/home/ana; A6_PROJ=$A6_HOME/code; A6_STORE=$A6_HOME/.claude
REMOTE6=$S6/remote.git
S6_LIST=$S6/sessions.list
: > "$S6_LIST"
mkdir -p "$A6_HOME" "$A6_PROJ"
make_store "$A6_STORE" "$A6_PROJ" "$A6_HOME" "$S6_SESSIONS" 10000 50000 "$S6_LIST"
run_logged git init -q --bare "$REMOTE6"
init_machine "$A6_HOME" a "$A6_PROJ" "$REMOTE6"
run_logged on "$A6_HOME" "$BIN" push
IFS=$'\t' read -r s6_id s6_log s6_cwd < <(sed -n "$((S6_SESSIONS / 2 + 1))p" "$S6_LIST")
s6_input=$S6/hook-input.json
printf '{"session_id":"%s","transcript_path":"%s","cwd":"%s","hook_event_name":"SessionStart","source":"resume"}\n' \
    "$s6_id" "$s6_log" "$s6_cwd" > "$s6_input"
s6_state=$A6_HOME/.ccsync/.git/ccsync/claude/$s6_id
s6_locks() { git --git-dir="$REMOTE6" for-each-ref --format='%(refname)' refs/ccsync/locks/; }

s6_fetch() { on "$A6_HOME" git fetch -q origin; }
s6_hook() { (cd "$s6_cwd" 2>/dev/null || cd "$A6_HOME"; HOME=$A6_HOME CLAUDE_PID=$S6_CLAUDE exec "$BIN" hook claude-session-start); }
# A new "Claude" for each run; the previous one exits, and its keeper pushes and releases (untimed).
s6_new_claude() { sleep 600 & S6_CLAUDE=$!; }
s6_end_claude() {
    kill "$S6_CLAUDE" 2>/dev/null || true
    wait "$S6_CLAUDE" 2>/dev/null || true
    local waited=0
    while [[ -n $(s6_locks) || -e $s6_state/run-$S6_CLAUDE ]] || ! flock -n "$s6_state/keeper.lock" true 2>/dev/null; do
        ((waited++ < 200)) || die "the keeper did not push and release within 20 s (see $s6_state/keeper.log)"
        sleep 0.1
    done
}
mkdir -p "$s6_cwd"

# Run 0 untimed: the hook takes the lock and says nothing; after "Claude", no lock is left.
s6_new_claude
out=$(s6_hook < "$s6_input") || die "the SessionStart hook failed: $out"
[[ -z $out ]] || die "the SessionStart hook had something to say with nothing to do: $out"
[[ $(s6_locks) == "refs/ccsync/locks/$s6_id" ]] || die "the SessionStart hook took no lock"
s6_end_claude
for ((run = 1; run <= RUNS; run++)); do
    sync
    timed s6-fetch s6_fetch
    s6_new_claude
    sync
    timed s6-hook "<$s6_input" s6_hook
    [[ $(s6_locks) == "refs/ccsync/locks/$s6_id" ]] || die "the SessionStart hook took no lock in run $run"
    s6_end_claude
done

echo "6. Claude Code's SessionStart hook with nothing to do ($S6_SESSIONS sessions, lock free, copy fresh, local bare remote)"
add_header
add_row "git fetch (same remote)" s6-fetch
add_row "SessionStart hook" s6-hook
ratio_row "hook / git fetch" s6-hook s6-fetch 2
echo "  (the hook takes the lock with one compare-and-swap push that also proves this copy the latest,"
echo "  records the run and starts the session's keeper; checked once: it said nothing, the lock was on"
echo "  the remote, and after Claude the keeper released it)"
echo
[[ ${BENCH_KEEP:-0} == 1 ]] || rm -rf "$S6"
