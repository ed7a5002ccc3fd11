#!/usr/bin/env bash
# git-ccsync benchmarks: the filter's cost against baselines measured side by side in the same run.
#
#   GIT_CCSYNC_BIN=/abs/path/git-ccsync Benchmarks/run.sh      (or: make bench)
#
#   1. `git add -A` of 2,000 small session files: git-ccsync filter-process vs. a do-nothing C filter
#      process (Benchmarks/passthrough-filter.c) vs. no filter.     target: ccsync <= 1.2x pass-through
#   2. `git add -A` of ~200 MB of session logs (the source logs replicated, paths varied), with the filter
#      vs. without.                                                  target: ccsync <= 1.3x no filter
#   3. throughput of `git-ccsync clean` / `smudge` on one ~100 MB log, next to `cat` of the same file; and
#      of `clean` with `ccsync.secrets=redact` (the secret scanner's cost).
#   4. (Benchmarks/sync.sh) sync of 200 sessions of ~1 MB between two machines through a local bare
#      remote, next to plain git on a filter-less clone (cp, add, commit, push / fetch, merge): first push,
#      push with nothing changed, push with one session changed, pull with nothing changed, pull with one
#      session changed.                  targets: each <= 1.5x plain git; push with nothing changed < 0.5 s
#   5. (Benchmarks/sync.sh) `git ccsync resume <id>` with 1,000 sessions in the repository: time until a
#      stand-in `claude` starts, next to `git fetch` + `git status` in the same working copy.
#                                        target: <= 2x fetch + status
#   6. (Benchmarks/claude-hook.sh) Claude Code's SessionStart hook with nothing to do (lock free, copy
#      fresh, local bare remote), next to a plain `git fetch` of the same remote.   target: <= 2x fetch
#   7. (Benchmarks/bigstore.sh) first sync and first pull of 200 sessions of ~1 MB (`git ccsync init` on
#      a machine with sessions, then on a second machine), each run from scratch, next to plain git by
#      hand and to a baseline build (BENCH_BASELINE_BIN) when given.
#                                        targets: first sync <= 1/3, first pull <= 1/2 of the baseline's
#   8. (Benchmarks/encryption.sh) an encrypted repository: `git add -A` of ~200 MB of logs encrypted vs.
#      no filter; one line appended to a 3 MB session, pushed: pack size and time next to unencrypted.
#                                        targets: add <= 1.5x no filter; pack < 64 KB; push <= 1.2x
#
# Environment:
#   GIT_CCSYNC_BIN     the binary to measure (default: .build/release/git-ccsync of this package)
#   BENCH_RUNS         timed runs per measurement, the median is reported (default 5)
#   BENCH_SCALE        scales every data size, e.g. 0.1 for a quick run (default 1.0); in 4 and 5 the
#                      number of sessions (their sizes stay)
#   BENCH_SECTIONS     the sections to run, e.g. 4,5 (default 1,2,3,4,5,6,7,8); Benchmarks/sync.sh alone runs 4,5
#   BENCH_BASELINE_BIN an earlier git-ccsync build to measure section 7 against (optional)
#   CCSYNC_SHARED_DIR  the shared directory whose fixtures/real-sessions (Claude Code logs published by other
#                      people) the data is made from (default: ../shared beside the repository); where there
#                      is none, the test suite's generated logs are (Tests/SessionLogFixtures, compiled with
#                      swiftc). The header says which.
#   SWIFTC             the Swift compiler for that (default: swiftc)
#   BENCH_TMPDIR       where the temporary directory goes (default: /dev/shm if it has room, else TMPDIR)
#   BENCH_KEEP=1       keep the temporary directory (its path is printed)
#   CC                 C compiler for the pass-through filter (default cc)
#
# Exits non-zero when a command under test fails or produces wrong output; a missed target only prints
# "target MISSED". Needs bash, git, a C compiler, awk, sed (and swiftc without the shared directory); nothing
# else (no hyperfine, no python).
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

die() { echo "bench: error: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------
# Settings
RUNS=${BENCH_RUNS:-5}
SCALE=${BENCH_SCALE:-1.0}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, not '$RUNS'"
[[ $SCALE =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] && awk -v s="$SCALE" 'BEGIN { exit !(s > 0) }' \
    || die "BENCH_SCALE must be a positive number, not '$SCALE'"

BIN=${GIT_CCSYNC_BIN:-$ROOT/.build/release/git-ccsync}
[[ $BIN == /* ]] || BIN=$PWD/$BIN
[[ -x $BIN ]] || die "git-ccsync binary not found at $BIN (build with 'swift build -c release' or set GIT_CCSYNC_BIN)"

SHARED=${CCSYNC_SHARED_DIR:-$(cd "$ROOT/.." && pwd)/shared}
FIXTURES=$SHARED/fixtures/real-sessions
[[ -d $FIXTURES ]] || FIXTURES=""   # the generated logs then, written once the temporary directory exists

SECTIONS=${BENCH_SECTIONS:-1,2,3,4,5,6,7,8}
SECTIONS=${SECTIONS// /}
[[ $SECTIONS =~ ^[1-8](,[1-8])*$ ]] || die "BENCH_SECTIONS must be a comma-separated list of 1 to 8, not '$SECTIONS'"
want() { [[ ,$SECTIONS, == *,$1,* ]]; }

scaled() { awk -v n="$1" -v s="$SCALE" 'BEGIN { v = int(n * s + 0.5); print (v < 1 ? 1 : v) }'; }
S1_FILES=$(scaled 2000)
S2_BYTES=$(scaled 200000000)
S3_BYTES=$(scaled 100000000)
S4_SESSIONS=$(scaled 200)     # of ~1 MB each
S5_SESSIONS=$(scaled 1000)    # of 10-50 KB each
S6_SESSIONS=$(scaled 100)     # of 10-50 KB each

# ---------------------------------------------------------------------------------------------------
# A sealed environment: no system or user git config, a fixed HOME inside the temporary directory.
# Where: BENCH_TMPDIR if set; else /dev/shm when it is a writable tmpfs with room for the data (this keeps
# the file system's noise out of the numbers and makes the ratios stricter, as the filter-less baseline
# gets faster); else TMPDIR or /tmp.
# Each section removes its data when done: the largest one counts. Section 4 keeps ~8 copies of its
# sessions (two stores, four work trees, objects).
need_kb=$((2 * S2_BYTES / 1000))
((5 * S3_BYTES / 1000 > need_kb)) && need_kb=$((5 * S3_BYTES / 1000))
((S4_SESSIONS * 8000 > need_kb)) && need_kb=$((S4_SESSIONS * 8000))
need_kb=$((need_kb + 200000))
if [[ -n ${BENCH_TMPDIR:-} ]]; then
    base=$BENCH_TMPDIR
elif [[ -d /dev/shm && -w /dev/shm ]] \
    && (($(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 + 0 }' || echo 0) > need_kb)); then
    base=/dev/shm
else
    base=${TMPDIR:-/tmp}
fi
WORK=$(mktemp -d "$base/ccsync-bench.XXXXXX")
WORK=$(cd "$WORK" && pwd -P)
cleanup() {
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "bench: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

while IFS= read -r var; do unset "$var"; done < <(env | sed -n 's/^\(GIT_[A-Z_]*\)=.*/\1/p' | grep -v '^GIT_CCSYNC_BIN$' || true)
export HOME=$WORK/home
export XDG_CONFIG_HOME=$HOME/.config
export GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_GLOBAL=$WORK/gitconfig
mkdir -p "$HOME" "$XDG_CONFIG_HOME"
# Applied to every variant alike.
cat > "$GIT_CONFIG_GLOBAL" <<'EOF'
[user]
	name = Bench
	email = bench@example.invalid
[init]
	defaultBranch = main
[core]
	autocrlf = false
	fsync = none
[gc]
	auto = 0
[advice]
	detachedHead = false
EOF

MACHINE=bench-linux
PROJ=$HOME/projects        # this machine's {{PROJECTS}}; {{HOME}} is $HOME
LOG=$WORK/commands.log
SAMPLES=$WORK/samples
mkdir -p "$SAMPLES"

# Single-quotes a word for sh (git runs filter.*.process through the shell).
shq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# ---------------------------------------------------------------------------------------------------
# Timing: wall clock in microseconds, without forking where bash can help it.
if [[ -n ${EPOCHREALTIME:-} ]]; then
    stamp() { local t=${EPOCHREALTIME/[.,]/}; _T=$((10#$t)); }
else
    stamp() { local t; t=$(date +%s%N); [[ $t =~ ^[0-9]+$ ]] || die "need bash >= 5 or GNU date"; _T=$((t / 1000)); }
fi

# run_logged CMD...: runs a command with its output in the log; on failure shows the log and exits.
run_logged() {
    if ! "$@" >>"$LOG" 2>&1; then
        echo "bench: error: command failed: $*" >&2
        tail -n 30 "$LOG" >&2
        exit 1
    fi
}

# timed NAME [<INPUT] CMD...: runs CMD once (stdin from INPUT or /dev/null, stdout to /dev/null, stderr
# to the log) and records under NAME its wall time and its CPU time (user + system of CMD and every
# process it waited for, filters included), in ms. Fails the benchmark if CMD fails.
timed() {
    local name=$1 input=/dev/null t0; shift
    if [[ $1 == '<'* ]]; then input=${1#<}; shift; fi
    times > "$WORK/times0"
    stamp; t0=$_T; TIMED_START=$t0   # (section 5 measures from it to the moment the stand-in Claude starts)
    if ! "$@" <"$input" >/dev/null 2>>"$LOG"; then
        echo "bench: error: command failed: $* <$input" >&2
        tail -n 30 "$LOG" >&2
        exit 1
    fi
    stamp
    times > "$WORK/times1"
    awk -v us=$((_T - t0)) -v wall="$SAMPLES/$name" -v cpu="$SAMPLES/$name.cpu" '
        # The second line of `times`: user and system time of the children, as 0m1.234s.
        function secs(field, p) { split(field, p, "m"); sub("s", "", p[2]); return p[1] * 60 + p[2] }
        FNR == 2 { c[++k] = secs($1) + secs($2) }
        END {
            printf "%.1f\n", us / 1000 >> wall
            printf "%.0f\n", (c[2] - c[1]) * 1000 >> cpu
        }' "$WORK/times0" "$WORK/times1"
}

median() { sort -n "$SAMPLES/$1" | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
samples() { paste -sd' ' "$SAMPLES/$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t ? "target met" : "target MISSED") }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
mbps() { awk -v b="$1" -v ms="$2" 'BEGIN { printf "%.0f", (ms > 0 ? b / 1e6 / (ms / 1000) : 0) }'; }
filesize() { wc -c < "$1" | tr -d ' '; }

add_header() { printf '  %-32s %9s %9s   %s\n' "" "wall ms" "cpu ms" "wall ms of each run"; }
add_row() { printf '  %-32s %9s %9.0f   [%s]\n' "$1" "$(median "$2")" "$(median "$2.cpu")" "$(samples "$2")"; }
ratio_row() { # label numerator denominator [target]: the ratio of wall medians (and of CPU medians)
    local r; r=$(ratio "$(median "$2")" "$(median "$3")")
    printf '  %-32s %8s x (cpu %s x)' "$1" "$r" "$(ratio "$(median "$2.cpu")" "$(median "$3.cpu")")"
    if [[ -n ${4:-} ]]; then printf '   target <= %s x: %s' "$4" "$(verdict "$r" "$4")"; fi
    printf '\n'
}

# ---------------------------------------------------------------------------------------------------
# The source logs: the published ones, else the generated ones (the tests' generator through a tiny
# entry point; every shape but the 12 MB line, which would make section 4's ~1 MB sessions 12 MB).
if [[ -n $FIXTURES ]]; then
    FIXTURE_SOURCE="published Claude Code logs in $FIXTURES"
else
    FIXTURES=$WORK/generated-logs
    run_logged "${SWIFTC:-swiftc}" -O -module-name GenerateSessions "$ROOT"/Tests/SessionLogFixtures/*.swift \
        "$HERE/generate-sessions/main.swift" -o "$WORK/generate-sessions"
    run_logged "$WORK/generate-sessions" --without twelve-mb-line "$FIXTURES"
    FIXTURE_SOURCE="the test suite's generated logs (no $SHARED/fixtures/real-sessions)"
fi

# ---------------------------------------------------------------------------------------------------
# The filters and repositories.
PASSTHROUGH=$WORK/passthrough-filter
run_logged "${CC:-cc}" -O2 -o "$PASSTHROUGH" "$HERE/passthrough-filter.c"

# A work tree as `git ccsync init` leaves it: attributes and the shared placeholder config.
prepare_tree() {
    local dir=$1
    mkdir -p "$dir/.ccsync"
    printf '%s\n' 'projects/** filter=ccsync' 'claude/** filter=ccsync' > "$dir/.gitattributes"
    cat > "$dir/.ccsync/config" <<EOF
[placeholder "PROJECTS"]
	$MACHINE = $PROJ
	bench-mac = /Users/bench/code
EOF
}

# reset_repo DIR VARIANT: a fresh repository (no index, no objects) for the work tree DIR, configured
# for VARIANT: ccsync | passthrough | none. All variants keep the same .gitattributes; with "none" the
# ccsync driver is simply not defined, so git applies no filter.
reset_repo() {
    local dir=$1 variant=$2
    rm -rf "$dir/.git"
    run_logged git -C "$dir" init -q
    run_logged git -C "$dir" config ccsync.machine "$MACHINE"
    case $variant in
        ccsync)
            run_logged git -C "$dir" config filter.ccsync.process "$(shq "$BIN") filter-process"
            run_logged git -C "$dir" config filter.ccsync.required true ;;
        passthrough)
            run_logged git -C "$dir" config filter.ccsync.process "$(shq "$PASSTHROUGH")"
            run_logged git -C "$dir" config filter.ccsync.required true ;;
        none) ;;
        *) die "unknown variant $variant" ;;
    esac
}

# check_add DIR VARIANT EXPECTED_FILES SAMPLE_PATH: after `git add -A`, the index holds every file, and
# the sample's blob is translated (ccsync) or byte-identical to the work tree file (the others).
check_add() {
    local dir=$1 variant=$2 expected=$3 sample=$4 staged blob
    staged=$(git -C "$dir" ls-files | wc -l | tr -d ' ')
    [[ $staged == "$expected" ]] || die "$variant: $staged files staged in $dir, expected $expected"
    blob=$(git -C "$dir" rev-parse ":$sample")
    if [[ $variant == ccsync ]]; then
        # (Not every path must go: where a path stands next to name-like bytes the filter keeps it.)
        git -C "$dir" cat-file blob "$blob" > "$WORK/blob"
        grep -q '{{PROJECTS}}' "$WORK/blob" || die "ccsync: $sample was not translated (no {{PROJECTS}} in its blob)"
    else
        [[ $blob == "$(git -C "$dir" hash-object --no-filters "$sample")" ]] \
            || die "$variant: $sample was changed on the way into the index"
    fi
}

# bench_add NAME DIR EXPECTED SAMPLE VARIANTS...: one untimed warm-up and check per variant, then
# BENCH_RUNS rounds of the variants in turn, each `git add -A` into a fresh repository.
bench_add() {
    local name=$1 dir=$2 expected=$3 sample=$4 variant run; shift 4
    for variant in "$@"; do
        reset_repo "$dir" "$variant"
        run_logged git -C "$dir" add -A
        check_add "$dir" "$variant" "$expected" "$sample"
    done
    for ((run = 1; run <= RUNS; run++)); do
        for variant in "$@"; do
            reset_repo "$dir" "$variant"
            sync
            timed "$name-$variant" git -C "$dir" add -A
        done
    done
    rm -rf "$dir/.git"
}

# ---------------------------------------------------------------------------------------------------
# Data.

# Scenario 1: N session files of ~1 KB, JSONL records full of this machine's PROJECTS and HOME paths,
# spread over 20 project folders.
make_small_sessions() {
    local dir=$1 n=$2 k
    for ((k = 0; k < 20; k++)); do mkdir -p "$dir/projects/-bench-app-$k"; done
    awk -v n="$n" -v root="$dir" -v proj="$PROJ" -v home="$HOME" '
    BEGIN {
        filler = " and keep the old behaviour"
        while (length(filler) < 1000) filler = filler filler
        for (i = 0; i < n; i++) {
            k = i % 20
            d = proj "/app-" k
            id = sprintf("%08x-%04x-4%03x-8%03x-%012x", 305419896 + i * 7919, i % 65536, k, i % 4096, i)
            f = root "/projects/-bench-app-" k "/" id ".jsonl"
            ts = sprintf("2025-01-%02dT10:%02d:%02d.000Z", 1 + i % 28, i % 60, (i * 7) % 60)
            l1 = "{\"parentUuid\":null,\"cwd\":\"" d "\",\"sessionId\":\"" id "\",\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"Fix " d "/Tests@PAD@\"},\"uuid\":\"" id "-1\",\"timestamp\":\"" ts "\"}"
            l2 = "{\"parentUuid\":\"" id "-1\",\"cwd\":\"" d "\",\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_" i "\",\"name\":\"Read\",\"input\":{\"file_path\":\"" d "/main.swift\"}}]},\"uuid\":\"" id "-2\",\"timestamp\":\"" ts "\"}"
            l3 = "{\"parentUuid\":\"" id "-2\",\"cwd\":\"" d "\",\"type\":\"user\",\"message\":{\"content\":[{\"tool_use_id\":\"toolu_" i "\",\"type\":\"tool_result\",\"content\":\"ok\"}]},\"toolUseResult\":{\"stdout\":\"" d "/a.txt\\n" home "/.zshrc\\n\"},\"uuid\":\"" id "-3\",\"timestamp\":\"" ts "\"}"
            # Filler text in the first message brings the file to ~1,000 bytes.
            pad = 1000 - (length(l1) - 5 + length(l2) + length(l3) + 3)
            at = index(l1, "@PAD@")
            l1 = substr(l1, 1, at - 1) (pad > 0 ? substr(filler, 1, pad) : "") substr(l1, at + 5)
            print l1 > f
            print l2 > f
            print l3 > f
            close(f)
        }
    }'
}

# The fixtures with this machine's paths: each replica r gets its own project folder $PROJ/r<r>.
FIXTURE_LIST=$WORK/fixtures.list
(cd "$FIXTURES" && find . -name '*.jsonl' -type f | sed 's|^\./||' | sort) > "$FIXTURE_LIST"
[[ -s $FIXTURE_LIST ]] || die "no *.jsonl fixtures under $FIXTURES"
FIXTURE_BYTES=$(cd "$FIXTURES" && tr '\n' '\0' < "$FIXTURE_LIST" | xargs -0 cat | wc -c | tr -d ' ')
((FIXTURE_BYTES > 0)) || die "the *.jsonl fixtures under $FIXTURES are empty"   # (the loops below would not end)

localize() { # replica < fixture > localized
    sed -e "s|/home/USER/projects|$PROJ/r$1|g" -e "s|/home/marco/projects|$PROJ/r$1|g" \
        -e "s|/path/to/Demo|$PROJ/r$1/Demo|g" -e "s|/home/USER/|$HOME/|g" -e "s|/home/marco/|$HOME/|g"
}

# Scenario 2: replicas of the fixture tree until `bytes` are written, with new session ids.
make_replicated_sessions() {
    local dir=$1 bytes=$2 r=0 written=0 rel out suffix
    while ((written < bytes)); do
        suffix=$(printf '%012x' $((r + 1)))
        while IFS= read -r rel; do
            # Session ids (uuids) in file and folder names end in the replica number.
            out=$dir/projects/-bench-r$r-${rel%%/*}/$(printf '%s' "${rel#*/}" \
                | sed -E "s/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{12}/\1$suffix/g")
            mkdir -p "$(dirname "$out")"
            localize "$r" < "$FIXTURES/$rel" > "$out"
            written=$((written + $(filesize "$out")))
        done < "$FIXTURE_LIST"
        r=$((r + 1))
    done
    echo "$r"
}

# Scenario 3: one log of at least `bytes`, fixture replicas concatenated.
make_big_log() {
    local out=$1 bytes=$2 r=0 rel
    : > "$out"
    while (($(filesize "$out") < bytes)); do
        while IFS= read -r rel; do
            localize "$r" < "$FIXTURES/$rel" >> "$out"
        done < "$FIXTURE_LIST"
        r=$((r + 1))
    done
}

# ---------------------------------------------------------------------------------------------------
# Header.
cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | sed -n 1p || true)
echo "git-ccsync benchmark: medians of $RUNS runs (BENCH_RUNS), data scale $SCALE (BENCH_SCALE)"
echo "  $(git --version), nproc $(nproc 2>/dev/null || sysctl -n hw.ncpu), $(uname -sm)${cpu:+, $cpu}"
echo "  git-ccsync $("$BIN" --version 2>/dev/null || echo '?') at $BIN"
echo "  load average at the start $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') (other work on the machine skews wall times)"
echo "  session logs: $FIXTURE_SOURCE"
echo "  temporary directory $WORK ($(stat -f -c %T "$WORK" 2>/dev/null || echo '?')), sections $SECTIONS (BENCH_SECTIONS)"
if want 1 || want 2; then
    echo "  in 1 and 2 each 'git add -A' runs in a fresh repository (no index, no objects) after 'sync'; the"
    echo "  same work tree, .gitattributes and git settings (core.fsync=none) for every variant"
fi
echo

# ---------------------------------------------------------------------------------------------------
# 1. Many small files: the per-file cost of the filter protocol.
if want 1; then
S1=$WORK/s1
prepare_tree "$S1"
make_small_sessions "$S1" "$S1_FILES"
s1_bytes=$(cat "$S1"/projects/*/*.jsonl | wc -c | tr -d ' ')
s1_sample=$(cd "$S1" && ls projects/-bench-app-0/*.jsonl | sed -n 1p)
bench_add s1 "$S1" $((S1_FILES + 2)) "$s1_sample" none passthrough ccsync

echo "1. git add -A of $S1_FILES session files, $(awk -v b="$s1_bytes" -v n="$S1_FILES" 'BEGIN { printf "%.2f", b / n / 1000 }') KB each ($(mb "$s1_bytes") MB)"
add_header
add_row "no filter" s1-none
add_row "C pass-through filter-process" s1-passthrough
add_row "git-ccsync filter-process" s1-ccsync
ratio_row "ccsync / no filter" s1-ccsync s1-none
ratio_row "pass-through / no filter" s1-passthrough s1-none
ratio_row "ccsync / pass-through" s1-ccsync s1-passthrough 1.2
echo
rm -rf "$S1"
fi

# ---------------------------------------------------------------------------------------------------
# 2. Large logs: translation cost next to git's own hashing and compression.
if want 2; then
S2=$WORK/s2
prepare_tree "$S2"
s2_replicas=$(make_replicated_sessions "$S2" "$S2_BYTES")
s2_files=$(cd "$S2" && find projects -type f | wc -l | tr -d ' ')
s2_bytes=$(cd "$S2" && find projects -type f -exec cat {} + | wc -c | tr -d ' ')
s2_sample=$(cd "$S2" && find projects -name '*.jsonl' -size +1000k | sort | sed -n 1p)
# (The generated logs have none over 1 MB but the 12 MB line, left out: their largest then.)
[[ -n $s2_sample ]] || s2_sample=$(cd "$S2" && find projects -name '*.jsonl' -size +100k | sort | sed -n 1p)
[[ -n $s2_sample ]] || die "no session log over 100 KB among the replicas"
bench_add s2 "$S2" $((s2_files + 2)) "$s2_sample" none passthrough ccsync

echo "2. git add -A of $(mb "$s2_bytes") MB of session logs ($s2_files files: $s2_replicas replicas of $(mb "$FIXTURE_BYTES") MB of source logs)"
add_header
add_row "no filter" s2-none
add_row "C pass-through filter-process" s2-passthrough
add_row "git-ccsync filter-process" s2-ccsync
ratio_row "ccsync / no filter" s2-ccsync s2-none 1.3
ratio_row "pass-through / no filter" s2-passthrough s2-none
ratio_row "ccsync / pass-through" s2-ccsync s2-passthrough
echo
rm -rf "$S2"
fi

# ---------------------------------------------------------------------------------------------------
# 3. Translation throughput of the single-file commands on one big log.
if want 3; then
S3=$WORK/s3
prepare_tree "$S3"
reset_repo "$S3" none
big_rel=projects/-bench-big/4d5611e5-241a-462a-8d15-000000000big.jsonl
grown_rel=projects/-bench-big/4d5611e5-241a-462a-8d15-00000000grow.jsonl
mkdir -p "$S3/projects/-bench-big"
BIG=$S3/$big_rel
make_big_log "$BIG" "$S3_BYTES"
big_bytes=$(filesize "$BIG")
CLEANED=$WORK/big.cleaned
(cd "$S3" && "$BIN" clean "$big_rel" < "$BIG" > "$CLEANED") || die "git-ccsync clean failed on the big log"
grep -q '{{PROJECTS}}' "$CLEANED" || die "git-ccsync clean did not translate the big log"
(cd "$S3" && "$BIN" smudge "$big_rel" < "$CLEANED" > "$WORK/big.smudged") || die "git-ccsync smudge failed on the big log"
cmp -s "$WORK/big.smudged" "$BIG" || die "smudge(clean(big log)) is not the big log"
cleaned_bytes=$(filesize "$CLEANED")
rm -f "$WORK/big.smudged"

# A grown log: the staged version is the big log, the working file has 1% more lines at the end.
# clean keeps the staged bytes of the unchanged lines and translates only the new ones.
GROWN=$S3/$grown_rel
cp "$BIG" "$GROWN"
head -c $((big_bytes / 100)) "$BIG" | sed '$d' >> "$GROWN"
grown_blob=$(git -C "$S3" hash-object -w --no-filters "$CLEANED")
run_logged git -C "$S3" update-index --add --cacheinfo "100644,$grown_blob,$grown_rel"
(cd "$S3" && "$BIN" clean "$grown_rel" < "$GROWN" > "$WORK/grown.cleaned") || die "git-ccsync clean failed on the grown log"
cmp -s <(head -c "$cleaned_bytes" "$WORK/grown.cleaned") "$CLEANED" \
    || die "git-ccsync clean of the grown log changed the staged lines"
(cd "$S3" && "$BIN" smudge "$grown_rel" < "$WORK/grown.cleaned" > "$WORK/grown.smudged") || die "git-ccsync smudge failed"
cmp -s "$WORK/grown.smudged" "$GROWN" || die "smudge(clean(grown log)) is not the grown log"
rm -f "$WORK/grown.cleaned" "$WORK/grown.smudged"
EMPTY=$WORK/empty
: > "$EMPTY"

in_s3() { (cd "$S3" && "$@"); }
for ((run = 0; run <= RUNS; run++)); do # run 0 warms the page cache and is not shown
    sfx=""; ((run == 0)) && sfx="-warmup"
    timed "s3-cat$sfx" "<$BIG" cat
    timed "s3-clean$sfx" "<$BIG" in_s3 "$BIN" clean "$big_rel"
    timed "s3-catc$sfx" "<$CLEANED" cat
    timed "s3-smudge$sfx" "<$CLEANED" in_s3 "$BIN" smudge "$big_rel"
    timed "s3-grown$sfx" "<$GROWN" in_s3 "$BIN" clean "$grown_rel"
    timed "s3-start$sfx" "<$EMPTY" in_s3 "$BIN" clean "$big_rel"
done
# The secret scanner's cost: with ccsync.secrets=redact, clean scans what it stores (and the logs hold no
# secret, so the output must not change).
run_logged git -C "$S3" config ccsync.secrets redact
(cd "$S3" && "$BIN" clean "$big_rel" < "$BIG" > "$WORK/big.redacted") || die "git-ccsync clean failed with ccsync.secrets=redact"
cmp -s "$WORK/big.redacted" "$CLEANED" || die "git-ccsync clean with ccsync.secrets=redact changed the big log (a finding?)"
rm -f "$WORK/big.redacted"
for ((run = 0; run <= RUNS; run++)); do
    sfx=""; ((run == 0)) && sfx="-warmup"
    timed "s3-redact$sfx" "<$BIG" in_s3 "$BIN" clean "$big_rel"
done
run_logged git -C "$S3" config --unset ccsync.secrets

s3_row() { # label samples bytes [baseline-samples baseline-label]
    local ms; ms=$(median "$2")
    printf '  %-36s %8s %7.0f %6s' "$1" "$ms" "$(median "$2.cpu")" "$( (($3 > 0)) && mbps "$3" "$ms" || echo -)"
    if [[ -n ${4:-} ]]; then printf ' %6s x %-6s' "$(ratio "$ms" "$(median "$4")")" "$5"; else printf '%16s' ""; fi
    printf ' [%s]\n' "$(samples "$2")"
}
echo "3. translation throughput on one $(mb "$big_bytes") MB log (stdin from the file, stdout to /dev/null)"
printf '  %-36s %8s %7s %6s %15s  %s\n' "" "wall ms" "cpu ms" "MB/s" "" "wall ms of each run"
s3_row "cat (working form)" s3-cat "$big_bytes"
s3_row "git-ccsync clean" s3-clean "$big_bytes" s3-cat cat
s3_row "cat (repository form)" s3-catc "$cleaned_bytes"
s3_row "git-ccsync smudge" s3-smudge "$cleaned_bytes" s3-catc cat
s3_row "git-ccsync clean, log grown by 1%" s3-grown "$(filesize "$GROWN")" s3-clean clean
s3_row "git-ccsync clean, empty input" s3-start 0
s3_row "git-ccsync clean, secrets=redact" s3-redact "$big_bytes" s3-clean clean
echo "  (the grown log's older version is staged: clean keeps its stored lines and translates the rest)"
echo
rm -rf "$S3" "$CLEANED"
fi

# ---------------------------------------------------------------------------------------------------
# 4 and 5. Push, pull and resume between machines (Benchmarks/sync.sh, sourced: it uses the helpers above).
if want 4 || want 5 || want 6 || want 7 || want 8; then
    # shellcheck source=sync.sh
    source "$HERE/sync.sh"
fi

# ---------------------------------------------------------------------------------------------------
# 6. Claude Code's SessionStart hook (Benchmarks/claude-hook.sh, sourced: it uses sync.sh's helpers).
if want 6; then
    # shellcheck source=claude-hook.sh
    source "$HERE/claude-hook.sh"
fi
# 7. A first sync and a first pull of a big store (Benchmarks/bigstore.sh, with sync.sh's helpers).
if want 7; then
    # shellcheck source=bigstore.sh
    source "$HERE/bigstore.sh"
fi
# 8. Encrypted repositories (Benchmarks/encryption.sh, sourced: it uses the helpers above and sync.sh's).
if want 8; then
    # shellcheck source=encryption.sh
    source "$HERE/encryption.sh"
fi

echo "Medians of $RUNS runs. wall: elapsed time (targets are judged on it); cpu: user + system time of the"
echo "command and the processes it waited for (git, the filter), steadier than wall time on a busy machine."
echo "MB = 10^6 bytes. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')."
