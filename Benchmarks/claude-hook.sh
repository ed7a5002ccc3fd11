# shellcheck shell=bash
# Section 6 of Benchmarks/run.sh (sourced after sync.sh, whose helpers it uses): the Claude Code
# SessionStart hook with nothing to do — the session's lock is free, this machine's copy is the latest,
# the remote is a local bare repository — next to a plain `git fetch` of the same remote in the same
# working copy. The hook fetches the branch and the session's lock once (that decides), records the run,
# snapshots the transcript (during the fetch) and starts the session's keeper; Claude waits for exactly
# that. The keeper's lock claim comes after the hook has answered (untimed, but checked every run).
#                                                      target: hook <= 2x fetch
# Between runs the "Claude" (a sleep) exits and its keeper pushes and releases the lock, untimed.
# Then, for the record (no target), the stale case: another machine pushed a line of the session, so
# the one fetch decides "stale", the hook pulls it into Claude's store and answers; the time until the
# decision is read from the hook's trace (GIT_CCSYNC_TRACE).

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
# The keeper takes the lock right after the hook answered (a few tens of ms): wait for it, at most 10 s.
s6_wait_lock() {
    local waited=0
    until [[ $(s6_locks) == "refs/ccsync/locks/$s6_id" ]]; do
        ((waited++ < 100)) || die "the keeper took no lock after SessionStart ($1; see $s6_state/keeper.log)"
        sleep 0.1
    done
}

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
s6_wait_lock "run 0"
s6_end_claude
for ((run = 1; run <= RUNS; run++)); do
    sync
    timed s6-fetch s6_fetch
    s6_new_claude
    sync
    timed s6-hook "<$s6_input" s6_hook
    s6_wait_lock "run $run"
    s6_end_claude
done

# The stale case: "another machine" (a plain clone) pushes a line of the session before each run.
s6_other=$S6/other
run_logged git clone -q "$REMOTE6" "$s6_other"
s6_repo_path=$(git -C "$s6_other" ls-files | grep "/$s6_id\.jsonl$") || die "the session is not in the repository"
s6_push_line() {
    printf '{"type":"user","message":{"role":"user","content":"from elsewhere %s"},"uuid":"bench-stale-%s","sessionId":"%s"}\n' \
        "$1" "$1" "$s6_id" >> "$s6_other/$s6_repo_path"
    run_logged git -C "$s6_other" -c user.name=other -c user.email=other@bench.invalid commit -qam "stale $1"
    run_logged git -C "$s6_other" push -q origin HEAD
}
s6_stale_hook() { GIT_CCSYNC_TRACE=1 s6_hook 2>"$S6/trace"; }
: > "$SAMPLES/s6-decided"
for ((run = 1; run <= RUNS; run++)); do
    s6_push_line "$run"
    sync
    s6_new_claude
    timed s6-stale "<$s6_input" s6_stale_hook
    grep -q "decided: stale" "$S6/trace" || die "the SessionStart hook did not find the copy stale in run $run: $(cat "$S6/trace")"
    grep -q "from elsewhere $run" "$s6_log" || die "the stale run's new line is not in Claude's store (run $run)"
    awk '/pulling the new lines/ { print $2; exit }' "$S6/trace" >> "$SAMPLES/s6-decided"
    s6_end_claude
done

echo "6. Claude Code's SessionStart hook with nothing to do ($S6_SESSIONS sessions, lock free, copy fresh, local bare remote)"
add_header
add_row "git fetch (same remote)" s6-fetch
add_row "SessionStart hook" s6-hook
ratio_row "hook / git fetch" s6-hook s6-fetch 2
echo "  (one fetch of the branch and the session's lock decides; the hook records the run and starts the"
echo "  session's keeper, which takes the lock right after, untimed; checked every run: the hook said"
echo "  nothing, the keeper's lock was on the remote, and after Claude the keeper released it)"
add_row "SessionStart hook, stale copy" s6-stale
printf '  %-32s %9s             [%s]\n' "  of which: until decided" "$(median s6-decided)" "$(samples s6-decided)"
echo "  (another machine pushed a line of the session: the one fetch decides \"stale\", then the hook"
echo "  pulls the line into Claude's store; checked every run)"
echo
[[ ${BENCH_KEEP:-0} == 1 ]] || rm -rf "$S6"
