#!/usr/bin/env bash
# git-ccsync benchmarks, section 8: the cost of an encrypted repository (`git ccsync init --encrypt`),
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
# Sourced by Benchmarks/run.sh (BENCH_SECTIONS=8); run alone, it runs run.sh with BENCH_SECTIONS=8.

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    BENCH_SECTIONS=${BENCH_SECTIONS:-8} exec "$(cd "$(dirname "$0")" && pwd)/run.sh" "$@"
fi

unset CCSYNC_DIR CLAUDE_CONFIG_DIR CCSYNC_CLAUDE

S8=$WORK/s6
mkdir -p "$S8"

# Key material for 6a, made the way a user makes it: `git ccsync init --encrypt` on a throwaway copy.
S8_KEYHOME=$S8/keyhome
mkdir -p "$S8_KEYHOME/code"
(cd "$S8_KEYHOME" && run_logged env HOME="$S8_KEYHOME" XDG_CONFIG_HOME= "$BIN" init --encrypt --machine "$MACHINE" \
    --remote "$S8/key-remote.git" --dir "$S8_KEYHOME/.ccsync" --add-placeholder "PROJECTS=$S8_KEYHOME/code" --no-sync)
S8_IDENTITY=$S8_KEYHOME/.config/git-ccsync/identity-$MACHINE
[[ -s $S8_IDENTITY ]] || die "init --encrypt made no identity at $S8_IDENTITY"

# encryption_files DIR on|off: the marker and this machine's key file in the work tree, or neither.
encryption_files() {
    local dir=$1
    rm -rf "$dir/.ccsync/keys" "$dir/.ccsync/encryption"
    if [[ $2 == on ]]; then
        mkdir -p "$dir/.ccsync/keys"
        cp "$S8_KEYHOME/.ccsync/.ccsync/encryption" "$dir/.ccsync/encryption"
        cp "$S8_KEYHOME/.ccsync/.ccsync/keys/$MACHINE.age" "$dir/.ccsync/keys/"
    fi
}

# ---------------------------------------------------------------------------------------------------
# 6a. git add -A of the big logs, three ways.
S8A=$S8/add
prepare_tree "$S8A"
s8_replicas=$(make_replicated_sessions "$S8A" "$S2_BYTES")
s8_files=$(cd "$S8A" && find projects -type f | wc -l | tr -d ' ')
s8_bytes=$(cd "$S8A" && find projects -type f -exec cat {} + | wc -c | tr -d ' ')
s8_sample=$(cd "$S8A" && find projects -name '*.jsonl' -size +1000k | sort | sed -n 1p)

s8_prepare() { # variant: none | ccsync | encrypted
    case $1 in
        none|ccsync) encryption_files "$S8A" off; reset_repo "$S8A" "$1" ;;
        encrypted) encryption_files "$S8A" on; reset_repo "$S8A" ccsync
                   run_logged git -C "$S8A" config ccsync.identity "$S8_IDENTITY"
                   run_logged git -C "$S8A" config core.looseCompression 0 ;;  # as init --encrypt sets it
    esac
}
for variant in none ccsync encrypted; do
    s8_prepare "$variant"
    run_logged git -C "$S8A" add -A
    staged=$(git -C "$S8A" ls-files | wc -l | tr -d ' ')
    expected=$((s8_files + 2)); [[ $variant == encrypted ]] && expected=$((s8_files + 4))
    [[ $staged == "$expected" ]] || die "6a $variant: $staged files staged, expected $expected"
    git -C "$S8A" cat-file blob ":$s8_sample" > "$WORK/blob"
    if [[ $variant == encrypted ]]; then
        [[ $(head -c 5 "$WORK/blob") == ccs1. ]] || die "6a: $s8_sample is not encrypted in the index"
        ! grep -q '{{PROJECTS}}\|"type"' "$WORK/blob" || die "6a: plaintext in the encrypted blob of $s8_sample"
        [[ $(wc -l < "$WORK/blob") == $(wc -l < "$S8A/$s8_sample") ]] || die "6a: the encrypted blob has another line count"
    fi
done
for ((run = 1; run <= RUNS; run++)); do
    for variant in none ccsync encrypted; do
        s8_prepare "$variant"
        sync
        timed "s6-$variant" git -C "$S8A" add -A
    done
done
rm -rf "$S8A"

echo "8a. git add -A of $(mb "$s8_bytes") MB of real session logs ($s8_files files, $s8_replicas replicas), encrypted or not"
add_header
add_row "no filter" s6-none
add_row "git-ccsync filter-process" s6-ccsync
add_row "git-ccsync, encrypted repository" s6-encrypted
ratio_row "encrypted / no filter" s6-encrypted s6-none 1.5
ratio_row "encrypted / unencrypted filter" s6-encrypted s6-ccsync
echo

# ---------------------------------------------------------------------------------------------------
# 6b. One appended line on a 3 MB session, pushed: two machines alike but for --encrypt.
s8_machine() { # name [--encrypt]: HOME, store with one 3 MB session, working copy, own remote; first push
    local name=$1 home=$S8/$1/home/ana
    mkdir -p "$home/code"
    run_logged git init -q --bare "$S8/$name.git"
    # The bare remote stands in for a host, whose CPU is not the pushing machine's: it stores what it
    # receives uncompressed (both remotes alike). With git's default the remote's unpack-objects spends
    # ~0.5 s compressing a 12 MB encrypted blob (ciphertext does not compress), counted in push's wall time.
    [[ ${BENCH_REMOTE_COMPRESSION:-0} == default ]] || run_logged git -C "$S8/$name.git" config core.looseCompression 0
    : > "$S8/$name.list"
    make_store "$home/.claude" "$home/code" "$home" 1 3000000 3000000 "$S8/$name.list"
    (cd "$home" && run_logged env HOME="$home" XDG_CONFIG_HOME= "$BIN" init --remote "$S8/$name.git" --machine "$MACHINE" \
        --add-placeholder "PROJECTS=$home/code" --no-sync "${@:2}")
    run_logged on "$home" "$BIN" push
}
s8_machine plain
s8_machine enc --encrypt
S8_LOG_PLAIN=$(cut -f2 "$S8/plain.list"); S8_LOG_ENC=$(cut -f2 "$S8/enc.list")
s8_size=$(filesize "$S8_LOG_PLAIN")

s8_append() { # log file, tag: one record, as Claude appends it
    printf '{"parentUuid":null,"type":"user","message":{"role":"user","content":"%s: one more line"},"uuid":"bench6-%s","timestamp":"2026-03-01T12:00:01.000Z"}\n' "$2" "$2" >> "$1"
}
s8_pack() { # home: bytes of the pack for HEAD ^HEAD~1 (what the last push sent)
    printf 'HEAD\n^HEAD~1\n' | on "$1" git pack-objects --revs --thin --stdout -q --delta-base-offset | wc -c | tr -d ' '
}
: > "$SAMPLES/s6-pack-plain"; : > "$SAMPLES/s6-pack-enc"
for ((run = 0; run <= RUNS; run++)); do # run 0 warms up and is not shown
    sfx=""; ((run == 0)) && sfx="-warmup"
    for name in plain enc; do
        home=$S8/$name/home/ana
        log=$S8_LOG_PLAIN; [[ $name == enc ]] && log=$S8_LOG_ENC
        s8_append "$log" "r$run"
        sleep 1.1
        run_logged on "$home" git status --porcelain
        timed "s6-push-$name$sfx" on "$home" "$BIN" push
        [[ -n $sfx ]] || s8_pack "$home" >> "$SAMPLES/s6-pack-$name"
    done
done
enc_blob=$(git --git-dir="$S8/enc.git" ls-tree -r main --name-only | grep '\.jsonl$' | sed -n 1p)
git --git-dir="$S8/enc.git" cat-file blob "main:$enc_blob" > "$WORK/blob"
[[ $(head -c 5 "$WORK/blob") == ccs1. ]] || die "6b: the encrypted remote holds plaintext ($enc_blob)"
pack_enc=$(median s6-pack-enc); pack_plain=$(median s6-pack-plain)

echo "8b. one line appended to a $(mb "$s8_size") MB session, then git ccsync push (each machine its own bare remote)"
add_header
add_row "unencrypted repository" s6-push-plain
add_row "encrypted repository" s6-push-enc
ratio_row "encrypted / unencrypted push" s6-push-enc s6-push-plain 1.2
printf '  %-32s %9s bytes unencrypted, %s bytes encrypted   %s (< 65536)\n' "pack sent by the push (median)" \
    "$pack_plain" "$pack_enc" "$(awk -v p="$pack_enc" 'BEGIN { print (p < 65536 ? "target met" : "target MISSED") }')"
echo
rm -rf "$S8"
