#!/usr/bin/env bash
# Runs the runner's work items and the peers' (../shared/bench/peers: numpy, PyTorch, scikit-learn) side by side,
# REPEATS times round-robin (so a slow phase of a noisy host spreads over every configuration), each run a fresh
# process, and prints a markdown table of medians and their ratios, float64 and float32 apart (numpy and PyTorch with
# --dtype float32; the runner with --set training.precision=float32 where its runner.jar accepts that), then which
# kernels and precision each configuration ran. Needs runner.jar built and, for the peers:
# apt-get install python3-numpy python3-torch python3-sklearn python3-threadpoolctl libopenblas0-pthread.
# Usage: bench/compare.sh [PEERS_DIR]     (env: PEERS=<dir> REPEATS=3 PY=/usr/bin/python3 ONLY=<name regex>
#                                               PEER_CORETYPE=<OpenBLAS kernel, default: the widest this processor
#                                               runs, empty: OpenBLAS detects; an OPENBLAS_CORETYPE in the
#                                               environment is replaced>)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERS=${1:-${PEERS:-$ROOT/../shared/bench/peers}}
if [ ! -f "$PEERS/mlp_numpy.py" ]; then
  echo "compare.sh: no peer scripts (mlp_numpy.py, mlp_torch.py, ...) in $PEERS; put the peer benchmarks at" \
    "../shared/bench/peers beside the checkout, or name their directory: PEERS=/path/to/bench/peers bench/compare.sh" >&2
  exit 2
fi
PEERS=$(cd "$PEERS" && pwd)
PY=${PY:-/usr/bin/python3}
REPEATS=${REPEATS:-3}
ONLY=${ONLY:-.}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
RUNS=$WORK/runs.jsonl
: > "$RUNS"

JAR="java -jar $ROOT/runner.jar"
W1_RUNNER="bench $ROOT/experiments/bench/w1.yaml --set training.max_epochs=5000 --set training.stopping=[]"
W2="--workload W2 --layers 784,128,10 --batch 32 --epochs 10 --lr 0.1 --l2 1e-4 --activation relu"
W3="--workload W3 --layers 784,512,512,10 --batch 128 --epochs 3 --lr 0.1 --l2 1e-4 --activation relu"
F32_RUNNER="--set training.precision=float32"

# name | work item | threads | who | command (run from PEERS; the runner's output is parsed alike)
CONFIGS=()
add() { CONFIGS+=("$1|$2|$3|$4|$5"); }
# The runner twice: its first run in a fresh JVM, and the run after two warm-up runs in the same JVM (the JIT's
# compiling done), which is what a longer training sees after its first seconds.
add w1-runner W1 1 runner "$JAR $W1_RUNNER --threads 1 --json"
add w1-runner-warm W1 1 runner "$JAR $W1_RUNNER --threads 1 --json --warmup 2"
add w1-numpy W1 1 numpy "$PY xor_numpy.py --hidden 2 --batch 4"
add w1-torch W1 1 torch "$PY xor_torch.py --hidden 2 --batch 4"
for t in 1 2; do
  add "w2-runner-t$t" W2 $t runner "$JAR bench $ROOT/experiments/bench/w2.yaml --threads $t --json"
  add "w2-runner-warm-t$t" W2 $t runner "$JAR bench $ROOT/experiments/bench/w2.yaml --threads $t --json --warmup 2"
  add "w2-numpy-t$t" W2 $t numpy "$PY mlp_numpy.py $W2 --threads $t"
  add "w2-torch-t$t" W2 $t torch "$PY mlp_torch.py $W2 --threads $t"
  add "w2-sklearn-t$t" W2 $t sklearn "$PY mlp_sklearn.py $W2 --threads $t"
  add "w2-runner-f32-t$t" W2 $t runner "$JAR bench $ROOT/experiments/bench/w2.yaml $F32_RUNNER --threads $t --json"
  add "w2-runner-warm-f32-t$t" W2 $t runner "$JAR bench $ROOT/experiments/bench/w2.yaml $F32_RUNNER --threads $t --json --warmup 2"
  add "w2-numpy-f32-t$t" W2 $t numpy "$PY mlp_numpy.py $W2 --dtype float32 --threads $t"
  add "w2-torch-f32-t$t" W2 $t torch "$PY mlp_torch.py $W2 --dtype float32 --threads $t"
done
add w3-runner-t2 W3 2 runner "$JAR bench $ROOT/experiments/bench/w3.yaml --threads 2 --json"
add w3-runner-warm-t2 W3 2 runner "$JAR bench $ROOT/experiments/bench/w3.yaml --threads 2 --json --warmup 2"
add w3-numpy-t2 W3 2 numpy "$PY mlp_numpy.py $W3 --threads 2"
add w3-torch-t2 W3 2 torch "$PY mlp_torch.py $W3 --threads 2"
add w3-sklearn-t2 W3 2 sklearn "$PY mlp_sklearn.py $W3 --threads 2"
add w3-runner-f32-t2 W3 2 runner "$JAR bench $ROOT/experiments/bench/w3.yaml $F32_RUNNER --threads 2 --json"
add w3-runner-warm-f32-t2 W3 2 runner "$JAR bench $ROOT/experiments/bench/w3.yaml $F32_RUNNER --threads 2 --json --warmup 2"
add w3-numpy-f32-t2 W3 2 numpy "$PY mlp_numpy.py $W3 --dtype float32 --threads 2"
add w3-torch-f32-t2 W3 2 torch "$PY mlp_torch.py $W3 --dtype float32 --threads 2"
add xor-runner XOR 0 runner "$JAR $ROOT/experiments/xor.yaml --out $WORK/xor-runs --quiet"
add xor-torch XOR 0 torch "$PY xor_torch.py"

# What the selected configurations need, checked before the first run rather than minutes into the benchmark.
needs=""
for config in "${CONFIGS[@]}"; do
  IFS='|' read -r name _ _ who _ <<< "$config"
  [[ $name =~ $ONLY ]] && needs+=" $who"
done
if [[ $needs == *runner* && ! -f $ROOT/runner.jar ]]; then
  echo "compare.sh: no runner.jar in $ROOT; build it first: mvn -q package -DskipTests" >&2
  exit 2
fi
# The runner's float32 rows, where this runner.jar has a float32 mode: validate says whether it accepts the setting.
SKIP='^$'
if [[ $needs == *runner* ]] && ! refusal=$($JAR validate "$ROOT/experiments/bench/w2.yaml" $F32_RUNNER 2>&1 >/dev/null); then
  echo "compare.sh: the runner's float32 rows left out: this runner.jar refuses $F32_RUNNER (${refusal%%$'\n'*})" >&2
  SKIP='^w[23]-runner(-warm)?-f32-'
fi
modules=""
for who in numpy torch sklearn; do [[ $needs == *$who* ]] && modules+="$who,"; done
if [ -n "$modules" ] && ! "$PY" -c "import ${modules}threadpoolctl" 2>/dev/null; then
  echo "compare.sh: $PY cannot import ${modules}threadpoolctl for the peers; apt-get install python3-numpy" \
    "python3-torch python3-sklearn python3-threadpoolctl libopenblas0-pthread (or PY=/path/to/python3)" >&2
  exit 2
fi

# OpenBLAS 0.3.21 takes some processors under KVM for a Prescott and runs its baseline kernels: name the widest
# kernel the processor's flags allow (SkylakeX needs the AVX-512 subsets F, CD, BW, DQ and VL; Haswell AVX2 and FMA).
# Cooperlake's float64 and float32 kernels are SkylakeX's (it adds bfloat16 only), and 0.3.21 does not find the name
# when it is forced. An OPENBLAS_CORETYPE already in the environment is not trusted (machines' images set one for
# other processors: Haswell on an AVX-512 machine took two fifths off numpy's float32 speed); PEER_CORETYPE names
# another kernel on purpose. threadpoolctl then says which kernel OpenBLAS took.
openblas_coretype() {
  local flags
  flags=" $(grep -m1 '^flags' "${1:-/proc/cpuinfo}" 2>/dev/null | cut -d: -f2 || true) "
  local f all=1
  for f in avx512f avx512cd avx512bw avx512dq avx512vl; do [[ $flags == *" $f "* ]] || all=0; done
  if ((all)); then echo SkylakeX
  elif [[ $flags == *" avx2 "* && $flags == *" fma "* ]]; then echo Haswell
  fi
}
coretype=${PEER_CORETYPE-$(openblas_coretype)}
if [ -n "${OPENBLAS_CORETYPE-}" ] && [ "${OPENBLAS_CORETYPE,,}" != "${coretype,,}" ]; then
  if [ -n "${PEER_CORETYPE+set}" ]; then why="as PEER_CORETYPE says"
  else why="the widest kernel this processor runs (PEER_CORETYPE=<kernel> chooses; empty: OpenBLAS detects)"; fi
  echo "compare.sh: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE} from the environment is replaced by" \
    "${coretype:-<unset: OpenBLAS detects>}, ${why}" >&2
fi
if [ -n "$coretype" ]; then export OPENBLAS_CORETYPE=$coretype; else unset OPENBLAS_CORETYPE; fi
if [ -n "$modules" ]; then
  ran=$("$PY" -c 'import numpy, threadpoolctl
print(" ".join(sorted({l.get("architecture") or "?" for l in threadpoolctl.threadpool_info() if l.get("internal_api") == "openblas"})) or "none")')
  echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE-<unset: OpenBLAS detects>} for the numpy, PyTorch and scikit-learn peers;" \
    "threadpoolctl: numpy's OpenBLAS runs its ${ran} kernels" >&2
  if [ -n "${OPENBLAS_CORETYPE-}" ] && [ "${ran,,}" != "${OPENBLAS_CORETYPE,,}" ]; then
    echo "compare.sh: warning: OpenBLAS took ${ran}, not the ${OPENBLAS_CORETYPE} that OPENBLAS_CORETYPE asks for" \
      "(OPENBLAS_VERBOSE=2 shows its choice); the peers do not run their best kernel" >&2
  fi
fi

echo "start $(date -Is), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cd "$PEERS"
for repeat in $(seq "$REPEATS"); do
  for config in "${CONFIGS[@]}"; do
    IFS='|' read -r name item threads who command <<< "$config"
    [[ $name =~ $ONLY && ! $name =~ $SKIP ]] || continue
    echo "  $repeat/$REPEATS $name" >&2
    # Peak RSS and wall time of the whole process, from GNU time; the JSON line, if any, is the last of stdout.
    # A run's standard error (the runner's kernels line, the peers' warnings) is shown only when it fails.
    if ! env OPENBLAS_NUM_THREADS=$((threads > 0 ? threads : 1)) OMP_NUM_THREADS=$((threads > 0 ? threads : 1)) \
      OMP_WAIT_POLICY=PASSIVE /usr/bin/time -f '%e %M' -o "$WORK/time" $command > "$WORK/out" 2> "$WORK/err"; then
      echo "compare.sh: $name failed: $command" >&2
      cat "$WORK/err" >&2
      exit 1
    fi
    read -r wall rss < "$WORK/time"
    "$PY" - "$name" "$item" "$threads" "$who" "$wall" "$rss" "$WORK/out" >> "$RUNS" <<'EOF'
import json, sys
name, item, threads, who, wall, rss, out = sys.argv[1:]
lines = [l for l in open(out).read().splitlines() if l.startswith("{")]
result = json.loads(lines[-1]) if lines else {}
print(json.dumps({"name": name, "item": item, "threads": int(threads), "who": who, "wall": float(wall),
                  "rss_mib": int(rss) / 1024, "result": result}))
EOF
  done
done
echo "end $(date -Is), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

"$PY" - "$RUNS" "$REPEATS" "$(java -version 2>&1 | head -1)" "${OPENBLAS_CORETYPE-unset}" "$SKIP" <<'EOF'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
repeats, java, coretype, skipped = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] != "^$"
def median(name, value):
    xs = [value(r) for r in runs if r["name"] == name]
    return (statistics.median(xs), min(xs), max(xs)) if xs else None
rate = lambda r: r["result"].get("epochs_per_second" if r["item"] == "W1" else "examples_per_second")
versions = next((r["result"] for r in runs if r["who"] == "numpy" and "blas" in r["result"]), {})
torch = next((r["result"].get("torch") for r in runs if r["who"] == "torch" and "torch" in r["result"]), "?")
kernels = next((r["result"].get("kernels") for r in runs if r["who"] == "runner" and "kernels" in r["result"]), "?")
blas = versions.get("blas", [{}])[0]

def precision(r):
    """float64 or float32: as the peer reports its dtype, or as the runner was set."""
    if r["who"] == "runner":
        return r["result"].get("precision") or ("float32" if "-f32-" in r["name"] else "float64")
    return r["result"].get("dtype") or "float64"

def ran_kernels(r):
    """The kernels a run reports: the runner's, or each OpenBLAS that threadpoolctl found in the peer's process."""
    if r["who"] == "runner":
        kernels = r["result"].get("kernels")
        arithmetic = r["result"].get("arithmetic")
        return f"{kernels}, {arithmetic}" if kernels and arithmetic else kernels or "not reported (timed as a whole process)"
    libs = [f"{lib.get('internal_api')} {lib.get('version') or ''} {lib.get('architecture') or ''}".replace("  ", " ").strip()
            for lib in r["result"].get("blas", []) if lib.get("internal_api") != "openmp"]
    return ", ".join(libs) or "not reported by this peer"

# The kernel each peer's OpenBLAS ran, as threadpoolctl saw it in that process.
ran = {}
for r in runs:
    for lib in r["result"].get("blas", []):
        if lib.get("internal_api") == "openblas":
            ran.setdefault(r["who"], set()).add(lib.get("architecture") or "?")
peer_kernels = ", ".join(f"{who} {'/'.join(sorted(a))}" for who, a in ran.items()) or "none reported"
off = sorted({a for a in set().union(*ran.values()) if a.lower() != coretype.lower()}) if ran and coretype != "unset" else []
print(f"Medians of {repeats} runs, round-robin, each a fresh process. {java}; runner kernels: {kernels}; "
      f"numpy {versions.get('numpy', '?')} with OpenBLAS {blas.get('version', '?')}; torch {torch}; "
      f"OpenBLAS kernels (OPENBLAS_CORETYPE={coretype}): {peer_kernels}"
      + (f" (not the kernel asked for: {', '.join(off)})" if off else "") + "; "
      f"peers with OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = threads, OMP_WAIT_POLICY=PASSIVE.")
print()
print("| work item | threads | runner, first run | runner, warm | fastest peer | ratio first / warm | target (warm) |")
print("|---|---|---|---|---|---|---|")
# label, item, config suffix, peers (each precision against the peers in the same one), target: the warm runner's
# ratio to the fastest of them
rows = [("W1 XOR 2-2-1 batch 4, epochs/s", "w1", "", ["numpy", "torch"], 10.0),
        ("W2 MNIST 784-128-10, float64, examples/s", "w2", "-t1", ["numpy", "torch", "sklearn"], 2.3),
        ("W2 MNIST 784-128-10, float64, examples/s", "w2", "-t2", ["numpy", "torch", "sklearn"], 3.0),
        ("W3 MNIST 784-512-512-10, float64, examples/s", "w3", "-t2", ["numpy", "torch", "sklearn"], 1.5),
        ("W2 MNIST 784-128-10, float32, examples/s", "w2", "-f32-t1", ["numpy", "torch"], 1.5),
        ("W2 MNIST 784-128-10, float32, examples/s", "w2", "-f32-t2", ["numpy", "torch"], 1.5),
        ("W3 MNIST 784-512-512-10, float32, examples/s", "w3", "-f32-t2", ["numpy", "torch"], 1.3)]
fmt = lambda m: f"{m[0]:,.0f} ({m[1]:,.0f}-{m[2]:,.0f})"
for label, item, suffix, peers, target in rows:
    first = median(f"{item}-runner{suffix}", rate)
    warm = median(f"{item}-runner-warm{suffix}", rate)
    theirs = [(p, median(f"{item}-{p}{suffix}", rate)) for p in peers]
    theirs = [(p, m) for p, m in theirs if m]
    if not theirs or (not suffix.startswith("-f32") and (not first or not warm)):
        continue
    peer, best = max(theirs, key=lambda pm: pm[1][0])
    threads = suffix[-1] if suffix else "1"
    if not first or not warm:  # a float32 row without the runner's float32 mode
        why = "not run: this runner.jar has no float32" if skipped else "not run"
        print(f"| {label} | {threads} | {why} | | {peer} {fmt(best)} | | |")
        continue
    ratio = warm[0] / best[0]
    verdict = f"{target}x {'met' if ratio >= target else 'not met'}" if target is not None else ""
    print(f"| {label} | {threads} | {fmt(first)} | {fmt(warm)} | {peer} {fmt(best)} | {first[0] / best[0]:.2f}x / {ratio:.2f}x "
          f"| {verdict} |")
xor = median("xor-runner", lambda r: r["wall"]), median("xor-torch", lambda r: r["wall"])
if all(xor):
    print(f"| XOR whole process (`java -jar runner.jar experiments/xor.yaml` against `xor_torch.py`), s | 1 | "
          f"{xor[0][0]:.2f} | | torch {xor[1][0]:.2f} | {xor[1][0] / xor[0][0]:.2f}x | faster {'met' if xor[0][0] < xor[1][0] else 'not met'} |")
rss = median("w2-runner-t1", lambda r: r["rss_mib"])
lowest = [(p, median(f"w2-{p}-t1", lambda r: r["rss_mib"])) for p in ["numpy", "torch", "sklearn"]]
lowest = min(((p, m) for p, m in lowest if m), key=lambda pm: pm[1][0], default=None)
if rss and lowest:
    peer, theirs = lowest
    print(f"| W2 peak RSS, MiB (lower is better) | 1 | {rss[0]:.0f} | | lowest: {peer} {theirs[0]:.0f} | {theirs[0] / rss[0]:.2f}x "
          f"| no higher {'met' if rss[0] <= theirs[0] else 'not met'} |")
print()
print("What each configuration ran, as its processes reported it:")
print()
print("| configuration | precision | kernels |")
print("|---|---|---|")
for name in dict.fromkeys(r["name"] for r in runs):
    mine = [r for r in runs if r["name"] == name]
    print(f"| {name} | {' / '.join(sorted({precision(r) for r in mine}))} | {' / '.join(sorted({ran_kernels(r) for r in mine}))} |")
EOF
