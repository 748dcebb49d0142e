#!/usr/bin/env bash
# Runs the runner's benchmarks and the peers' (../shared/bench/peers: numpy, PyTorch) side by side, once each, and
# prints the ratios. Needs runner.jar built and, for the peers: apt-get install python3-numpy python3-torch
# python3-sklearn libopenblas0-pthread. Usage: bench/compare.sh [PEERS_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERS=${1:-$ROOT/../shared/bench/peers}
PY=${PY:-/usr/bin/python3}
JAR="java -jar $ROOT/runner.jar"
W2="--workload W2 --layers 784,128,10 --batch 32 --epochs 10 --lr 0.1 --l2 1e-4 --activation relu"
W3="--workload W3 --layers 784,512,512,10 --batch 128 --epochs 3 --lr 0.1 --l2 1e-4 --activation relu"
field() { "$PY" -c "import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])['$1'])"; }
peer() { (cd "$PEERS" && env OPENBLAS_NUM_THREADS="$1" OMP_NUM_THREADS="$1" OMP_WAIT_POLICY=PASSIVE "$PY" "${@:2}"); }
ratio() { "$PY" -c "print(f'{$1 / $2:.2f}x')"; }

echo "date $(date -Is), $(nproc) cores; $($PY -c 'import numpy, torch; print("numpy", numpy.__version__, "torch", torch.__version__)')"
echo "| work item | threads | runner | fastest peer | ratio |"
echo "|---|---|---|---|---|"
r=$($JAR bench "$ROOT/experiments/bench/w1.yaml" --threads 1 --set training.max_epochs=5000 --set 'training.stopping=[]' --json | field epochs_per_second)
p=$(peer 1 xor_numpy.py --hidden 2 --batch 4 | field epochs_per_second)
echo "| W1 XOR 2-2-1 batch 4, epochs/s | 1 | $(printf %.0f "$r") | numpy $(printf %.0f "$p") | $(ratio "$r" "$p") |"
for t in 1 2; do
  r=$($JAR bench "$ROOT/experiments/bench/w2.yaml" --threads $t --json | field examples_per_second)
  n=$(peer $t mlp_numpy.py $W2 --threads $t | field examples_per_second)
  o=$(peer $t mlp_torch.py $W2 --threads $t | field examples_per_second)
  best=$("$PY" -c "print(max($n, $o))")
  echo "| W2 MNIST 784-128-10, examples/s | $t | $(printf %.0f "$r") | $("$PY" -c "print('numpy' if $n >= $o else 'torch')") $(printf %.0f "$best") | $(ratio "$r" "$best") |"
done
r=$($JAR bench "$ROOT/experiments/bench/w3.yaml" --threads 2 --json | field examples_per_second)
n=$(peer 2 mlp_numpy.py $W3 --threads 2 | field examples_per_second)
o=$(peer 2 mlp_torch.py $W3 --threads 2 | field examples_per_second)
best=$("$PY" -c "print(max($n, $o))")
echo "| W3 MNIST 784-512-512-10, examples/s | 2 | $(printf %.0f "$r") | $("$PY" -c "print('numpy' if $n >= $o else 'torch')") $(printf %.0f "$best") | $(ratio "$r" "$best") |"
