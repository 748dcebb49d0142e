#!/usr/bin/env bash
# The C test of the native kernels (kernels_test.c), as the build runs it (runner-core's pom, profile services):
# for gcc and clang, the library built with -Werror and the test under AddressSanitizer and UBSan, every copy this
# processor runs; then, on another machine than aarch64, the aarch64 build, cross-compiled with aarch64-linux-gnu-gcc
# (sanitized) and clang (not: no runtime) and run under qemu-aarch64; and the same hashes of the double and float
# results from every copy that fuses (avx512, avx2, portable on aarch64) and from every one that does not (portable on
# x86-64).
# Usage: run.sh [--required] [OUT_DIR]   --required (CI): a compiler, sanitizer runtime or qemu missing fails the
# test instead of leaving its part out. Env: JAVA_HOME (for jni.h), SEED, CASES.
set -euo pipefail
required=0
if [ "${1-}" = --required ]; then required=1; shift; fi
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$HERE/../../main/c
OUT=${1:-$(mktemp -d)}
mkdir -p "$OUT"
SEED=${SEED:-20261201}
CASES=${CASES:-200}
HOST=$(uname -m)
JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
FLAGS=(-O2 -g -std=gnu11 -ffp-contract=off -fno-math-errno -Wall -Wextra -Werror -pthread)
SANITIZE=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

missing() {
  if ((required)); then echo "kernels test: $1; CI needs it (.ci/run installs it)" >&2; exit 1; fi
  echo "kernels test: $1; that part left out"
}
ran=0 fused=() unfused=()
record() { # name, output of kernels_test
  echo "$2" | sed "s/^/  $1 /"
  ran=$((ran + 1))
  # Per copy its double and float hashes, as one word: the copies that fuse give one, those that do not another.
  fused+=($(echo "$2" | { grep -o 'double-fused [0-9a-f]*, float-fused [0-9a-f]*' || true; } | tr -d ' ,' | sort -u))
  unfused+=($(echo "$2" | { grep -o 'double-unfused [0-9a-f]*, float-unfused [0-9a-f]*' || true; } | tr -d ' ,' | sort -u))
}

for cc in gcc clang; do
  if ! command -v "$cc" >/dev/null; then missing "no $cc"; continue; fi
  # The library as the build makes it, warnings as errors.
  "$cc" "${FLAGS[@]}" -O3 -fPIC -shared -I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux" -o "$OUT/libkernels-$cc.so" \
    "$SRC/kernels.c" "$SRC/kernels_jni.c"
  if ! echo 'int main(void){return 0;}' | "$cc" "${SANITIZE[@]}" -x c -o "$OUT/probe-$cc" - 2>/dev/null; then
    missing "$cc cannot link -fsanitize=address,undefined (gcc: libasan8 libubsan1; clang: libclang-rt-dev)"
    continue
  fi
  "$cc" "${FLAGS[@]}" "${SANITIZE[@]}" -I"$SRC" -o "$OUT/kernels_test-$cc" "$HERE/kernels_test.c" "$SRC/kernels.c" -lm
  record "$cc $HOST:" "$("$OUT/kernels_test-$cc" "$SEED" "$CASES")"
done

cross=aarch64-linux-gnu-gcc
if [ "$HOST" = aarch64 ]; then
  : # the builds above were aarch64's
elif ! command -v $cross >/dev/null || [ ! -d /usr/aarch64-linux-gnu/lib ]; then
  missing "no $cross (apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross)"
elif ! command -v qemu-aarch64 >/dev/null; then
  missing "no qemu-aarch64 (apt-get install qemu-user)"
else
  $cross "${FLAGS[@]}" -O3 -fPIC -shared -I"$JAVA_HOME/include" -I"$JAVA_HOME/include/linux" -o "$OUT/libkernels-aarch64.so" \
    "$SRC/kernels.c" "$SRC/kernels_jni.c"
  $cross "${FLAGS[@]}" "${SANITIZE[@]}" -I"$SRC" -o "$OUT/kernels_test-aarch64" "$HERE/kernels_test.c" "$SRC/kernels.c" -lm
  # LeakSanitizer stops the world with ptrace, which qemu-user does not emulate: leaks are checked on x86-64 only.
  record "gcc aarch64 (qemu):" "$(ASAN_OPTIONS=detect_leaks=0 qemu-aarch64 -L /usr/aarch64-linux-gnu "$OUT/kernels_test-aarch64" "$SEED" "$CASES")"
  # clang's aarch64 code too, without sanitizers: Debian has clang's sanitizer runtimes for the host only.
  if command -v clang >/dev/null; then
    clang --target=aarch64-linux-gnu "${FLAGS[@]}" -I"$SRC" -o "$OUT/kernels_test-aarch64-clang" "$HERE/kernels_test.c" "$SRC/kernels.c" -lm
    record "clang aarch64 (qemu, unsanitized):" "$(qemu-aarch64 -L /usr/aarch64-linux-gnu "$OUT/kernels_test-aarch64-clang" "$SEED" "$CASES")"
  fi
fi

if ((ran == 0)); then missing "nothing could run"; exit 0; fi
same() { # what, hashes...
  local what=$1
  shift
  if (($# > 0)) && [ "$(printf '%s\n' "$@" | sort -u | wc -l)" != 1 ]; then
    echo "kernels test: the builds' $what differ: $*" >&2
    exit 1
  fi
}
same "fused results" "${fused[@]}"
same "unfused results" "${unfused[@]}"
echo "kernels test: every copy, compiler and machine gave the same bits, fused or not (${fused[0]:-fused: none};" \
  "${unfused[0]:-unfused: none})"
