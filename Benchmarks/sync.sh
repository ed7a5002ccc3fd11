#!/usr/bin/env bash
# git-ccsync benchmarks, sections 4 and 5: push, pull and resume between machines, each next to its plain
# git equivalent measured in the same run.
#
#   4. Two machines, A and B, each with its own HOME, Claude store ($HOME/.claude/projects/<folder>/) and
#      working copy ($HOME/.ccsync, made by `git ccsync init ... --no-sync`), and a local bare remote.
#      A's store holds 200 (BENCH_SCALE) sessions of ~1 MB built from the source logs (run.sh), with their own
#      session ids and uuids and cwds under A's {{PROJECTS}} and {{HOME}}, so the filter has work.
#      Beside them, plain git: a filter-less clone on each side and its own bare remote; "by hand" is
#      `cp -au` of A's store into the clone, `git add -A`, `git commit`, `git push` on A and
#      `git fetch`, `git merge` on B. Before each timed run of the last four steps a second passes and
#      every index is refreshed (see settle below).
#        first push              every timed run starts from the state `init` left (copied back from a
#                                snapshot, not timed): all sessions are new
#        push, nothing changed
#        push, one changed       a few records are appended to one session in A's store before each run
#        pull, nothing changed
#        pull, one changed       before each run: a few records appended in A's store and pushed (ccsync
#                                push on A; cp, add, commit, push on the plain clone)
#      targets: each <= 1.5x its plain git equivalent; push with nothing changed < 0.5 s.
#   5. `git ccsync resume <id>` on machine B with 1,000 (BENCH_SCALE) sessions of 10-50 KB in the
#      repository and a local bare remote. The stand-in Claude (`git config ccsync.claudeCommand`) writes
#      `date +%s%N` to a file first thing and exits 0; measured: from the start of resume to that stamp,
#      and resume's whole run (it then pushes and releases the lock), next to `git fetch` + `git status`
#      in the same working copy.           target: resume until Claude starts <= 2x fetch + status
#
# Sourced by Benchmarks/run.sh (BENCH_SECTIONS selects the sections); run alone, it runs run.sh with
# BENCH_SECTIONS=4,5 (same environment variables).

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    BENCH_SECTIONS=${BENCH_SECTIONS:-4,5} exec "$(cd "$(dirname "$0")" && pwd)/run.sh" "$@"
fi

# The commands under test read these; the benchmark sets its own.
unset CCSYNC_DIR CLAUDE_CONFIG_DIR CCSYNC_CLAUDE

# ---------------------------------------------------------------------------------------------------
# Sessions from the fixtures.

# The main session logs of the fixtures (subagent logs are not sessions of their own), each with the
# first session id and cwd it records.
MAIN_FIXTURES=(); FIXTURE_SIDS=(); FIXTURE_CWDS=()
while IFS= read -r rel; do
    [[ $rel == */subagents/* ]] && continue
    IFS=$'\t' read -r sid cwd < <(awk '
        sid == "" && match($0, /"sessionId":"[^"]*"/) { sid = substr($0, RSTART + 13, RLENGTH - 14) }
        cwd == "" && match($0, /"cwd":"[^"]*"/) { cwd = substr($0, RSTART + 7, RLENGTH - 8) }
        sid != "" && cwd != "" { exit }
        END { print sid "\t" cwd }' "$FIXTURES/$rel")
    [[ $sid =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ && -n $cwd ]] \
        || die "fixture $rel records no session id or no cwd"
    MAIN_FIXTURES+=("$FIXTURES/$rel"); FIXTURE_SIDS+=("$sid"); FIXTURE_CWDS+=("$cwd")
done < "$FIXTURE_LIST"
((${#MAIN_FIXTURES[@]} > 0)) || die "no main session logs among the fixtures"

SYNC_PROJECTS=20   # project replicas r0..r19 under {{PROJECTS}}

# make_store STORE PROJ HOME COUNT MIN MAX LIST: COUNT sessions in the Claude store STORE of a machine
# whose {{PROJECTS}} is PROJ and home HOME. Session i is the fixture logs in turn (starting at a different
# one per group of projects) cut after the line that brings it to a size between MIN and MAX bytes, with
# the fixtures' paths made this machine's (project replica r<i % 20>), the last 12 digits of every uuid
# made the session's own and a session id of its own. It goes where Claude puts it: projects/<folder>/<id>.jsonl,
# <folder> being its first cwd with every character but A-Z, a-z, 0-9 replaced by '-'. Appends
# "id<TAB>store path<TAB>cwd" lines to LIST.
make_store() {
    local store=$1 proj=$2 home=$3 n=$4 min=$5 max=$6 list=$7
    local nf=${#MAIN_FIXTURES[@]} i j x k target suffix sid id cwd rest folder files
    for ((i = 0; i < n; i++)); do
        k=$((i % SYNC_PROJECTS))
        j=$(((i / SYNC_PROJECTS) % nf))
        target=$((min + (max > min ? (i * 7919) % (max - min + 1) : 0)))
        suffix=$(printf '%012x' $((i + 1)))
        sid=${FIXTURE_SIDS[j]:0:24}$suffix
        id=$(printf '%08x' $(((i + 1) * 2654435761 % 4294967296)))${sid:8}
        cwd=${FIXTURE_CWDS[j]}
        files=()
        for ((x = 0; x < nf; x++)); do files+=("${MAIN_FIXTURES[(j + x) % nf]}"); done
        awk -v max="$target" '{ print; n += length($0) + 1; if (n >= max) exit }' "${files[@]}" \
        | sed -E -e "s/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{12}/\\1$suffix/g" -e "s/$sid/$id/g" \
            -e "s|/home/USER/projects|$proj/r$k|g" -e "s|/home/marco/projects|$proj/r$k|g" \
            -e "s|/path/to/Demo|$proj/r$k/Demo|g" -e "s|/home/USER/|$home/|g" -e "s|/home/marco/|$home/|g" \
            > "$WORK/gen.jsonl"
        # The same mapping as the sed above, for the one cwd.
        case $cwd in
            /home/USER/projects*) rest=${cwd#/home/USER/projects}; cwd=$proj/r$k$rest ;;
            /home/marco/projects*) rest=${cwd#/home/marco/projects}; cwd=$proj/r$k$rest ;;
            /path/to/Demo*) rest=${cwd#/path/to/Demo}; cwd=$proj/r$k/Demo$rest ;;
            /home/USER/*) rest=${cwd#/home/USER/}; cwd=$home/$rest ;;
            /home/marco/*) rest=${cwd#/home/marco/}; cwd=$home/$rest ;;
        esac
        folder=${cwd//[^A-Za-z0-9]/-}
        mkdir -p "$store/projects/$folder"
        mv "$WORK/gen.jsonl" "$store/projects/$folder/$id.jsonl"
        printf '%s\t%s\t%s\n' "$id" "$store/projects/$folder/$id.jsonl" "$cwd" >> "$list"
    done
}

# append_records FILE ID CWD TAG HOME: three records (a user message, a tool call, its result) naming paths
# under CWD and HOME, appended to the session log FILE, as Claude appends them.
append_records() {
    local f=$1 id=$2 cwd=$3 tag=$4 home=$5 u
    APPENDED=$((${APPENDED:-0} + 1))
    u=$(printf 'bench000-0000-4000-8000-%012x' "$APPENDED")
    {
        printf '{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"%s","sessionId":"%s","version":"2.1.39","type":"user","message":{"role":"user","content":"%s: look at %s/README.md and %s/.zshrc"},"uuid":"%s-1","timestamp":"2026-03-01T12:00:01.000Z"}\n' \
            "$cwd" "$id" "$tag" "$cwd" "$home" "$u"
        printf '{"parentUuid":"%s-1","isSidechain":false,"userType":"external","cwd":"%s","sessionId":"%s","version":"2.1.39","type":"assistant","message":{"role":"assistant","content":[{"type":"tool_use","id":"toolu_%s","name":"Read","input":{"file_path":"%s/README.md"}}]},"uuid":"%s-2","timestamp":"2026-03-01T12:00:02.000Z"}\n' \
            "$u" "$cwd" "$id" "${u//-/}" "$cwd" "$u"
        printf '{"parentUuid":"%s-2","isSidechain":false,"userType":"external","cwd":"%s","sessionId":"%s","version":"2.1.39","type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_%s","type":"tool_result","content":"%s/README.md\\n%s/src/main.swift\\n"}]},"uuid":"%s-3","timestamp":"2026-03-01T12:00:03.000Z"}\n' \
            "$u" "$cwd" "$id" "${u//-/}" "$cwd" "$cwd" "$u"
    } >> "$f"
}

# on HOME CMD...: CMD in the working copy of the machine whose home is HOME, with that HOME.
on() { local home=$1; shift; (cd "$home/.ccsync" && HOME=$home exec "$@"); }

# init_machine HOME MACHINE PROJECTS REMOTE: `git ccsync init` of that machine (not timed).
init_machine() {
    mkdir -p "$1" "$3"
    (cd "$1" && run_logged env HOME="$1" "$BIN" init --remote "$4" --machine "$2" --add-placeholder "PROJECTS=$3" --no-sync)
}

count_sessions() { # STORE: the session logs in a Claude store
    find "$1/projects" -mindepth 2 -maxdepth 2 -name '*.jsonl' -type f 2>/dev/null | wc -l | tr -d ' '
}

tree_sessions() { # GIT_DIR REV: the session logs in a commit
    git --git-dir="$1" ls-tree -r --name-only "$2" -- projects | grep -c '^projects/[^/]*/[^/]*\.jsonl$' || true
}

step_rows() { # title plain-samples ccsync-samples plain-label ccsync-label
    echo "  $1"
    add_row "  $4" "$2"
    add_row "  $5" "$3"
    ratio_row "  git-ccsync / plain git" "$3" "$2" 1.5
}

# ---------------------------------------------------------------------------------------------------
# 4. Push and pull between two machines.
if want 4; then
S4=$WORK/s4
mkdir -p "$S4"
A_HOME=$S4/a/home/ana;   A_PROJ=$A_HOME/code; A_STORE=$A_HOME/.claude; A_WC=$A_HOME/.ccsync
B_HOME=$S4/b/Users/ana;  B_PROJ=$B_HOME/dev;  B_STORE=$B_HOME/.claude; B_WC=$B_HOME/.ccsync
REMOTE=$S4/remote.git
PLAIN_REMOTE=$S4/plain.git; PLAIN_A=$S4/plain-a; PLAIN_B=$S4/plain-b
SNAP=$S4/snapshot
S4_LIST=$S4/sessions.list
mkdir -p "$A_HOME" "$A_PROJ" "$B_HOME" "$B_PROJ" "$SNAP"
: > "$S4_LIST"
make_store "$A_STORE" "$A_PROJ" "$A_HOME" "$S4_SESSIONS" 1000000 1000000 "$S4_LIST"
s4_bytes=$(cut -f2 "$S4_LIST" | tr '\n' '\0' | xargs -0 cat | wc -c | tr -d ' ')
s4_folders=$(find "$A_STORE/projects" -mindepth 1 -maxdepth 1 -type d | wc -l | tr -d ' ')
[[ $(count_sessions "$A_STORE") == "$S4_SESSIONS" ]] || die "A's store does not hold $S4_SESSIONS sessions"

# The state every first push starts from, kept as a snapshot: A set up by init (its layout commit pushed),
# and the plain clone with one commit pushed.
run_logged git init -q --bare "$REMOTE"
init_machine "$A_HOME" a "$A_PROJ" "$REMOTE"
run_logged git init -q --bare "$PLAIN_REMOTE"
run_logged git clone -q "$PLAIN_REMOTE" "$PLAIN_A"
mkdir -p "$PLAIN_A/projects"
echo "Claude Code sessions, copied by hand" > "$PLAIN_A/README"
run_logged git -C "$PLAIN_A" add README
run_logged git -C "$PLAIN_A" commit -q -m "start"
run_logged git -C "$PLAIN_A" push -q origin HEAD:main
for d in "$REMOTE" "$A_WC" "$PLAIN_REMOTE" "$PLAIN_A"; do cp -a "$d" "$SNAP/${d//\//_}"; done
restore_first_push_state() {
    local d
    for d in "$REMOTE" "$A_WC" "$PLAIN_REMOTE" "$PLAIN_A"; do rm -rf "$d"; cp -a "$SNAP/${d//\//_}" "$d"; done
}

# Plain git by hand. Copying with -u takes only files newer than the copy (cp -a keeps mtimes): the
# stat-only equivalent of ccsync's sync-in.
plain_push() {
    cp -au "$A_STORE/projects/." "$PLAIN_A/projects/" \
        && git -C "$PLAIN_A" add -A \
        && { git -C "$PLAIN_A" diff --cached --quiet || git -C "$PLAIN_A" commit -q -m "sessions from a"; } \
        && git -C "$PLAIN_A" push -q origin HEAD:main
}
plain_pull() {
    git -C "$PLAIN_B" fetch -q origin && git -C "$PLAIN_B" merge -q --no-edit origin/main
}
ccsync_push() { on "$A_HOME" "$BIN" push; }
ccsync_pull() { on "$B_HOME" "$BIN" pull; }

# Before each timed run of 4b-4e: a second passes and every index is refreshed (`git status`, with the
# machine's HOME, which the filter reads). Git compares file times in seconds: an entry written in the
# second its index was written is "racily clean", and every git command re-checks it by content until the
# index is written in a later second, which costs a clean-filter process per command in a ccsync working
# copy. Commands minutes apart, as in real use, never see that; commands a few hundred milliseconds apart,
# as here, would for some runs and not for others (not the same state).
settle() {
    sleep 1.1
    run_logged on "$A_HOME" git status --porcelain
    run_logged on "$B_HOME" git status --porcelain
    run_logged git -C "$PLAIN_A" status --porcelain
    run_logged git -C "$PLAIN_B" status --porcelain
}

# 4a. First push: each timed run from the snapshot; the checks after the last.
for ((run = 1; run <= RUNS; run++)); do
    restore_first_push_state
    sync
    timed s4-first-plain plain_push
    sync
    timed s4-first-ccsync ccsync_push
done
[[ $(tree_sessions "$PLAIN_REMOTE" main) == "$S4_SESSIONS" ]] || die "plain: the remote does not hold the $S4_SESSIONS sessions after the first push"
[[ $(tree_sessions "$REMOTE" main) == "$S4_SESSIONS" ]] || die "ccsync: the remote does not hold the $S4_SESSIONS sessions after the first push"
s4_sample_rel=$(git --git-dir="$REMOTE" ls-tree -r --name-only main -- projects | grep '\.jsonl$' | sed -n 1p)
git --git-dir="$REMOTE" cat-file -p "main:$s4_sample_rel" > "$WORK/blob"
grep -q '{{PROJECTS}}' "$WORK/blob" || die "ccsync: $s4_sample_rel was pushed untranslated (no {{PROJECTS}} in the remote's blob)"

# B joins after A's first push and takes every session into its store.
init_machine "$B_HOME" b "$B_PROJ" "$REMOTE"
run_logged ccsync_pull
[[ $(count_sessions "$B_STORE") == "$S4_SESSIONS" ]] || die "B's store holds $(count_sessions "$B_STORE") sessions after its first pull, expected $S4_SESSIONS"
# B's copy of a session, with B's paths put back to A's, is A's copy byte for byte (every 10th session).
while IFS=$'\t' read -r id path _; do
    b_copy=$(find "$B_STORE/projects" -name "$id.jsonl" -type f | sed -n 1p)
    [[ -n $b_copy ]] || die "session $id is not in B's store"
    sed -e "s|$B_PROJ|$A_PROJ|g" -e "s|$B_HOME|$A_HOME|g" "$b_copy" | cmp -s - "$path" \
        || die "B's copy of session $id ($b_copy) is not A's with B's paths"
done < <(awk 'NR % 10 == 1' "$S4_LIST")
grep -q "$B_PROJ" "$b_copy" || die "B's copy of a session has none of B's paths"
run_logged git clone -q "$PLAIN_REMOTE" "$PLAIN_B"
[[ $(find "$PLAIN_B/projects" -name '*.jsonl' -type f | wc -l | tr -d ' ') == "$S4_SESSIONS" ]] || die "plain: B's clone lacks sessions"

# 4b. Push with nothing changed.
run_logged plain_push
run_logged ccsync_push
s4_head=$(git --git-dir="$REMOTE" rev-parse main)
s4_plain_head=$(git --git-dir="$PLAIN_REMOTE" rev-parse main)
for ((run = 1; run <= RUNS; run++)); do
    settle
    sync
    timed s4-push0-plain plain_push
    sync
    timed s4-push0-ccsync ccsync_push
done
[[ $(git --git-dir="$REMOTE" rev-parse main) == "$s4_head" ]] || die "ccsync: push with nothing changed changed the remote"
[[ $(git --git-dir="$PLAIN_REMOTE" rev-parse main) == "$s4_plain_head" ]] || die "plain: push with nothing changed changed the remote"

# 4c. Push with one session changed: records appended to one session in A's store before each run
# (run 0 untimed, with checks).
s4_session() { # N: the Nth session (cycling): "id<TAB>path<TAB>cwd"
    sed -n "$((($1 * 37) % S4_SESSIONS + 1))p" "$S4_LIST"
}
for ((run = 0; run <= RUNS; run++)); do
    IFS=$'\t' read -r id path cwd < <(s4_session "$run")
    append_records "$path" "$id" "$cwd" "push-$run" "$A_HOME"
    settle
    sync
    if ((run == 0)); then
        run_logged plain_push
        before=$(git --git-dir="$REMOTE" rev-parse main)
        run_logged ccsync_push
        # What the push changed on the remote (it may merge other machines' work first, so compare the
        # remote's heads, not main~1).
        changed=$(git --git-dir="$REMOTE" diff --name-only "$before" main -- projects)
        [[ $changed == projects/*/"$id.jsonl" ]] || die "ccsync: push with one session changed pushed: ${changed:-nothing}"
        git --git-dir="$REMOTE" cat-file -p "main:$changed" > "$WORK/blob"
        grep -q 'push-0: look at {{PROJECTS}}/' "$WORK/blob" || die "ccsync: the appended records did not reach the remote translated"
        [[ $(git --git-dir="$PLAIN_REMOTE" diff --name-only main~1 main | wc -l | tr -d ' ') == 1 ]] || die "plain: push with one session changed"
        continue
    fi
    timed s4-push1-plain plain_push
    sync
    timed s4-push1-ccsync ccsync_push
done

# 4d. Pull with nothing changed.
run_logged plain_pull
run_logged ccsync_pull
for ((run = 1; run <= RUNS; run++)); do
    settle
    sync
    timed s4-pull0-plain plain_pull
    sync
    timed s4-pull0-ccsync ccsync_pull
done

# 4e. Pull with one session changed: before each run A appends to one session and pushes, by hand and
# with ccsync (untimed); run 0 untimed, with checks.
for ((run = 0; run <= RUNS; run++)); do
    IFS=$'\t' read -r id path cwd < <(s4_session $((run + 100)))
    append_records "$path" "$id" "$cwd" "pull-$run" "$A_HOME"
    run_logged plain_push
    run_logged ccsync_push
    settle
    sync
    if ((run == 0)); then
        run_logged plain_pull
        run_logged ccsync_pull
        b_copy=$(find "$B_STORE/projects" -name "$id.jsonl" -type f | sed -n 1p)
        grep -q "pull-0: look at $B_PROJ/" "$b_copy" || die "ccsync: the appended records did not reach B's store with B's paths"
        sed -e "s|$B_PROJ|$A_PROJ|g" -e "s|$B_HOME|$A_HOME|g" "$b_copy" | cmp -s - "$path" \
            || die "ccsync: B's copy of the changed session $id is not A's with B's paths"
        grep -rq "pull-0: look at $A_PROJ/" "$PLAIN_B/projects" || die "plain: the appended records did not reach B's clone"
        continue
    fi
    timed s4-pull1-plain plain_pull
    sync
    timed s4-pull1-ccsync ccsync_pull
done
[[ -z $(on "$A_HOME" git status --porcelain) && -z $(on "$B_HOME" git status --porcelain) ]] \
    || die "ccsync: a working copy is not clean at the end"

echo "4. sync: $S4_SESSIONS sessions, $(mb "$s4_bytes") MB ($(awk -v b="$s4_bytes" -v n="$S4_SESSIONS" 'BEGIN { printf "%.2f", b / n / 1e6 }') MB each, $s4_folders project folders), machine A -> local bare remote -> machine B"
echo "   git-ccsync next to plain git by hand on a filter-less clone (cp -au of A's store, add -A, commit,"
echo "   push / fetch, merge); the same files, the same git settings, in turns; each run of the last four"
echo "   starts a second after the last write with every index refreshed (no racily clean entries)"
add_header
step_rows "first push (every session new)" s4-first-plain s4-first-ccsync \
    "plain: cp, add, commit, push" "git ccsync push"
step_rows "push, nothing changed" s4-push0-plain s4-push0-ccsync \
    "plain: cp, add, (commit), push" "git ccsync push"
ms=$(median s4-push0-ccsync)
printf '  %-32s %9s %9s   target < 500 ms: %s\n' "  git ccsync push, wall" "$ms" "" "$(verdict "$ms" 500)"
step_rows "push, one session changed (3 records appended)" s4-push1-plain s4-push1-ccsync \
    "plain: cp, add, commit, push" "git ccsync push"
step_rows "pull, nothing changed" s4-pull0-plain s4-pull0-ccsync \
    "plain: fetch, merge" "git ccsync pull"
step_rows "pull, one session changed (3 records appended)" s4-pull1-plain s4-pull1-ccsync \
    "plain: fetch, merge" "git ccsync pull"
echo "  (checked once: the remote holds every session translated, B's store every session with B's paths"
echo "  byte for byte, a change reaches B's store, both working copies end clean)"
echo
[[ ${BENCH_KEEP:-0} == 1 ]] || rm -rf "$S4"
fi

# ---------------------------------------------------------------------------------------------------
# 5. Resume with 1,000 sessions in the repository.
if want 5; then
S5=$WORK/s5
mkdir -p "$S5"
A5_HOME=$S5/a/home/ana;  A5_PROJ=$A5_HOME/code; A5_STORE=$A5_HOME/.claude
B5_HOME=$S5/b/Users/ana; B5_PROJ=$B5_HOME/dev;  B5_STORE=$B5_HOME/.claude; B5_WC=$B5_HOME/.ccsync
REMOTE5=$S5/remote.git
S5_LIST=$S5/sessions.list
: > "$S5_LIST"
mkdir -p "$A5_HOME" "$A5_PROJ" "$B5_HOME" "$B5_PROJ"
make_store "$A5_STORE" "$A5_PROJ" "$A5_HOME" "$S5_SESSIONS" 10000 50000 "$S5_LIST"
s5_bytes=$(cut -f2 "$S5_LIST" | tr '\n' '\0' | xargs -0 cat | wc -c | tr -d ' ')
# A pushes every session; B joins and pulls them (not timed).
run_logged git init -q --bare "$REMOTE5"
init_machine "$A5_HOME" a "$A5_PROJ" "$REMOTE5"
run_logged on "$A5_HOME" "$BIN" push
init_machine "$B5_HOME" b "$B5_PROJ" "$REMOTE5"
run_logged on "$B5_HOME" "$BIN" pull
[[ $(tree_sessions "$REMOTE5" main) == "$S5_SESSIONS" ]] || die "the remote does not hold the $S5_SESSIONS sessions"
[[ $(count_sessions "$B5_STORE") == "$S5_SESSIONS" ]] || die "B's store does not hold the $S5_SESSIONS sessions"
# Claude runs in the session's directory: B has its projects' directories.
for cwd_file in "$B5_WC"/projects/*/.cwd; do mkdir -p "$(sed -n 1p "$cwd_file")"; done

# The stand-in Claude: a time stamp first, then what it was asked and where.
CLAUDE_STAMP=$S5/claude.stamp
STANDIN=$S5/claude-standin
cat > "$STANDIN" <<EOF
#!/bin/sh
date +%s%N > '$CLAUDE_STAMP'
printf '%s\n' "\$PWD" "\$@" > '$CLAUDE_STAMP.args'
exit 0
EOF
chmod +x "$STANDIN"
run_logged git -C "$B5_WC" config ccsync.claudeCommand "$STANDIN"

IFS=$'\t' read -r s5_id _ s5_cwd < <(sed -n "$((S5_SESSIONS / 2 + 1))p" "$S5_LIST")
s5_cwd_b=${s5_cwd/#$A5_PROJ/$B5_PROJ}
fetch_status() { (cd "$B5_WC" && HOME=$B5_HOME && git fetch -q origin && git status); }
resume() { on "$B5_HOME" "$BIN" resume "$s5_id"; }
claude_started() { # SAMPLES: from the start of the last timed command to the stand-in's stamp, in ms
    local ns
    ns=$(cat "$CLAUDE_STAMP" 2>/dev/null || true)
    [[ $ns =~ ^[0-9]+$ ]] || die "the stand-in Claude did not run (no time stamp in $CLAUDE_STAMP)"
    awk -v ns="$ns" -v t0="$TIMED_START" 'BEGIN { printf "%.1f\n", (ns / 1000 - t0) / 1000 }' >> "$SAMPLES/$1"
    echo 0 >> "$SAMPLES/$1.cpu"
    rm -f "$CLAUDE_STAMP" "$CLAUDE_STAMP.args"
}

# Run 0 untimed: the stand-in ran with --resume <id> in the session's directory on B, and the lock is
# released afterwards.
run_logged fetch_status
rm -f "$CLAUDE_STAMP"
run_logged resume
[[ -s $CLAUDE_STAMP ]] || die "resume did not run the stand-in Claude"
[[ $(cat "$CLAUDE_STAMP.args") == "$(printf '%s\n' "$s5_cwd_b" --resume "$s5_id")" ]] \
    || die "the stand-in Claude ran with: $(tr '\n' ' ' < "$CLAUDE_STAMP.args") (expected: $s5_cwd_b --resume $s5_id)"
[[ -z $(git --git-dir="$REMOTE5" for-each-ref refs/ccsync/locks/) ]] || die "resume left its lock on the remote"
rm -f "$CLAUDE_STAMP" "$CLAUDE_STAMP.args"
for ((run = 1; run <= RUNS; run++)); do
    sync
    timed s5-base fetch_status
    sync
    timed s5-resume resume
    claude_started s5-start
done
[[ -z $(git --git-dir="$REMOTE5" for-each-ref refs/ccsync/locks/) ]] || die "resume left its lock on the remote"

echo "5. resume with $S5_SESSIONS sessions in the repository ($(mb "$s5_bytes") MB, $(awk -v b="$s5_bytes" -v n="$S5_SESSIONS" 'BEGIN { printf "%.0f", b / n / 1000 }') KB each), local bare remote"
add_header
add_row "git fetch + git status" s5-base
printf '  %-32s %9s %9s   [%s]\n' "resume: until Claude starts" "$(median s5-start)" "-" "$(samples s5-start)"
add_row "resume: whole run" s5-resume
r5=$(ratio "$(median s5-start)" "$(median s5-base)")
printf '  %-32s %8s x   target <= 2 x: %s\n' "until Claude starts / baseline" "$r5" "$(verdict "$r5" 2)"
echo "  (the stand-in Claude writes a time stamp and exits; after it, resume syncs, pushes and releases the"
echo "  lock. cpu of the whole run includes git and the filter. Checked once: the stand-in ran with"
echo "  --resume <id> in the session's directory on B, and no lock is left)"
echo
[[ ${BENCH_KEEP:-0} == 1 ]] || rm -rf "$S5"
fi
