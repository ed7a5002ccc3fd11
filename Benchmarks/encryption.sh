#!/usr/bin/env bash
# git-ccsync benchmarks, section 6: the cost of an encrypted repository (`git ccsync init --encrypt`),
# each next to the same work unencrypted, measured in the same run.
#
#   6a. `git add -A` of ~200 MB (BENCH_SCALE) of real session logs: no filter, the ccsync filter, and the
#       ccsync filter in an encrypted repository (placeholders, then AES-256-GCM-SIV line by line).
#                                               target: encrypted <= 1.5x no filter
#   6b. One line appended to a 3 MB session, then `git ccsync push`, on two machines set up alike but for
#       --encrypt (each with its own bare remote): the size of the pack the push sends (rebuilt after the
#       push with `git pack-objects --revs --thin` for HEAD ^HEAD~1, as push builds it) and the push's
#       wall time.                               targets: pack < 64 KB; encrypted push <= 1.2x unencrypted
#       Both bare remotes store loose objects uncompressed (BENCH_REMOTE_COMPRESSION=default keeps git's
#       default): the receiving git's zlib is the host's time, not the pushing machine's.
#
# Sourced by Benchmarks/run.sh (BENCH_SECTIONS=6); run alone, it runs run.sh with BENCH_SECTIONS=6.

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    BENCH_SECTIONS=${BENCH_SECTIONS:-6} exec "$(cd "$(dirname "$0")" && pwd)/run.sh" "$@"
fi

unset CCSYNC_DIR CLAUDE_CONFIG_DIR CCSYNC_CLAUDE

S6=$WORK/s6
mkdir -p "$S6"

# Key material for 6a, made the way a user makes it: `git ccsync init --encrypt` on a throwaway copy.
S6_KEYHOME=$S6/keyhome
mkdir -p "$S6_KEYHOME/code"
(cd "$S6_KEYHOME" && run_logged env HOME="$S6_KEYHOME" XDG_CONFIG_HOME= "$BIN" init --encrypt --machine "$MACHINE" \
    --remote "$S6/key-remote.git" --dir "$S6_KEYHOME/.ccsync" --add-placeholder "PROJECTS=$S6_KEYHOME/code" --no-sync)
S6_IDENTITY=$S6_KEYHOME/.config/git-ccsync/identity-$MACHINE
[[ -s $S6_IDENTITY ]] || die "init --encrypt made no identity at $S6_IDENTITY"

# encryption_files DIR on|off: the marker and this machine's key file in the work tree, or neither.
encryption_files() {
    local dir=$1
    rm -rf "$dir/.ccsync/keys" "$dir/.ccsync/encryption"
    if [[ $2 == on ]]; then
        mkdir -p "$dir/.ccsync/keys"
        cp "$S6_KEYHOME/.ccsync/.ccsync/encryption" "$dir/.ccsync/encryption"
        cp "$S6_KEYHOME/.ccsync/.ccsync/keys/$MACHINE.age" "$dir/.ccsync/keys/"
    fi
}

# ---------------------------------------------------------------------------------------------------
# 6a. git add -A of the big logs, three ways.
S6A=$S6/add
prepare_tree "$S6A"
s6_replicas=$(make_replicated_sessions "$S6A" "$S2_BYTES")
s6_files=$(cd "$S6A" && find projects -type f | wc -l | tr -d ' ')
s6_bytes=$(cd "$S6A" && find projects -type f -exec cat {} + | wc -c | tr -d ' ')
s6_sample=$(cd "$S6A" && find projects -name '*.jsonl' -size +1000k | sort | sed -n 1p)

s6_prepare() { # variant: none | ccsync | encrypted
    case $1 in
        none|ccsync) encryption_files "$S6A" off; reset_repo "$S6A" "$1" ;;
        encrypted) encryption_files "$S6A" on; reset_repo "$S6A" ccsync
                   run_logged git -C "$S6A" config ccsync.identity "$S6_IDENTITY"
                   run_logged git -C "$S6A" config core.looseCompression 0 ;;  # as init --encrypt sets it
    esac
}
for variant in none ccsync encrypted; do
    s6_prepare "$variant"
    run_logged git -C "$S6A" add -A
    staged=$(git -C "$S6A" ls-files | wc -l | tr -d ' ')
    expected=$((s6_files + 2)); [[ $variant == encrypted ]] && expected=$((s6_files + 4))
    [[ $staged == "$expected" ]] || die "6a $variant: $staged files staged, expected $expected"
    git -C "$S6A" cat-file blob ":$s6_sample" > "$WORK/blob"
    if [[ $variant == encrypted ]]; then
        [[ $(head -c 5 "$WORK/blob") == ccs1. ]] || die "6a: $s6_sample is not encrypted in the index"
        ! grep -q '{{PROJECTS}}\|"type"' "$WORK/blob" || die "6a: plaintext in the encrypted blob of $s6_sample"
        [[ $(wc -l < "$WORK/blob") == $(wc -l < "$S6A/$s6_sample") ]] || die "6a: the encrypted blob has another line count"
    fi
done
for ((run = 1; run <= RUNS; run++)); do
    for variant in none ccsync encrypted; do
        s6_prepare "$variant"
        sync
        timed "s6-$variant" git -C "$S6A" add -A
    done
done
rm -rf "$S6A"

echo "6a. git add -A of $(mb "$s6_bytes") MB of real session logs ($s6_files files, $s6_replicas replicas), encrypted or not"
add_header
add_row "no filter" s6-none
add_row "git-ccsync filter-process" s6-ccsync
add_row "git-ccsync, encrypted repository" s6-encrypted
ratio_row "encrypted / no filter" s6-encrypted s6-none 1.5
ratio_row "encrypted / unencrypted filter" s6-encrypted s6-ccsync
echo

# ---------------------------------------------------------------------------------------------------
# 6b. One appended line on a 3 MB session, pushed: two machines alike but for --encrypt.
s6_machine() { # name [--encrypt]: HOME, store with one 3 MB session, working copy, own remote; first push
    local name=$1 home=$S6/$1/home/ana
    mkdir -p "$home/code"
    run_logged git init -q --bare "$S6/$name.git"
    # The bare remote stands in for a host, whose CPU is not the pushing machine's: it stores what it
    # receives uncompressed (both remotes alike). With git's default the remote's unpack-objects spends
    # ~0.5 s compressing a 12 MB encrypted blob (ciphertext does not compress), counted in push's wall time.
    [[ ${BENCH_REMOTE_COMPRESSION:-0} == default ]] || run_logged git -C "$S6/$name.git" config core.looseCompression 0
    : > "$S6/$name.list"
    make_store "$home/.claude" "$home/code" "$home" 1 3000000 3000000 "$S6/$name.list"
    (cd "$home" && run_logged env HOME="$home" XDG_CONFIG_HOME= "$BIN" init --remote "$S6/$name.git" --machine "$MACHINE" \
        --add-placeholder "PROJECTS=$home/code" --no-sync "${@:2}")
    run_logged on "$home" "$BIN" push
}
s6_machine plain
s6_machine enc --encrypt
S6_LOG_PLAIN=$(cut -f2 "$S6/plain.list"); S6_LOG_ENC=$(cut -f2 "$S6/enc.list")
s6_size=$(filesize "$S6_LOG_PLAIN")

s6_append() { # log file, tag: one record, as Claude appends it
    printf '{"parentUuid":null,"type":"user","message":{"role":"user","content":"%s: one more line"},"uuid":"bench6-%s","timestamp":"2026-03-01T12:00:01.000Z"}\n' "$2" "$2" >> "$1"
}
s6_pack() { # home: bytes of the pack for HEAD ^HEAD~1 (what the last push sent)
    printf 'HEAD\n^HEAD~1\n' | on "$1" git pack-objects --revs --thin --stdout -q --delta-base-offset | wc -c | tr -d ' '
}
: > "$SAMPLES/s6-pack-plain"; : > "$SAMPLES/s6-pack-enc"
for ((run = 0; run <= RUNS; run++)); do # run 0 warms up and is not shown
    sfx=""; ((run == 0)) && sfx="-warmup"
    for name in plain enc; do
        home=$S6/$name/home/ana
        log=$S6_LOG_PLAIN; [[ $name == enc ]] && log=$S6_LOG_ENC
        s6_append "$log" "r$run"
        sleep 1.1
        run_logged on "$home" git status --porcelain
        timed "s6-push-$name$sfx" on "$home" "$BIN" push
        [[ -n $sfx ]] || s6_pack "$home" >> "$SAMPLES/s6-pack-$name"
    done
done
enc_blob=$(git --git-dir="$S6/enc.git" ls-tree -r main --name-only | grep '\.jsonl$' | sed -n 1p)
git --git-dir="$S6/enc.git" cat-file blob "main:$enc_blob" > "$WORK/blob"
[[ $(head -c 5 "$WORK/blob") == ccs1. ]] || die "6b: the encrypted remote holds plaintext ($enc_blob)"
pack_enc=$(median s6-pack-enc); pack_plain=$(median s6-pack-plain)

echo "6b. one line appended to a $(mb "$s6_size") MB session, then git ccsync push (each machine its own bare remote)"
add_header
add_row "unencrypted repository" s6-push-plain
add_row "encrypted repository" s6-push-enc
ratio_row "encrypted / unencrypted push" s6-push-enc s6-push-plain 1.2
printf '  %-32s %9s bytes unencrypted, %s bytes encrypted   %s (< 65536)\n' "pack sent by the push (median)" \
    "$pack_plain" "$pack_enc" "$(awk -v p="$pack_enc" 'BEGIN { print (p < 65536 ? "target met" : "target MISSED") }')"
echo
rm -rf "$S6"
