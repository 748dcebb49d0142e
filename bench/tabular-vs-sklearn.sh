#!/usr/bin/env bash
# Test accuracy of the runner on a CSV experiment against scikit-learn's pipeline (impute: mean / most frequent,
# one-hot, standardize, MLPClassifier) on the very same rows: for each seed the runner trains, the split it drew is
# written out (its training, validation and test rows by file line, through jshell on runner.jar), and scikit-learn
# fits its training rows and scores its test rows. The column types are the runner's own inference (validate --json).
# The MLP is penguins.yaml's network: 16 tanh units, Adam at 0.01, batches of 16; scikit-learn runs without early
# stopping, on the training rows alone and on training + validation, five initialisations each.
# Needs runner.jar built, jshell (a JDK), and apt-get install python3-sklearn.
# Usage: bench/tabular-vs-sklearn.sh [EXPERIMENT]      (env: SEEDS="1 2 3 4 5" PY=/usr/bin/python3)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EXPERIMENT=$(realpath "${1:-$ROOT/experiments/penguins.yaml}")
SEEDS=${SEEDS:-1 2 3 4 5}
PY=${PY:-/usr/bin/python3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

java -jar "$ROOT/runner.jar" validate --json "$EXPERIMENT" > "$WORK/schema.json"
cat > "$WORK/split.jsh" <<JSH
import io.backprop.runner.engine.Setup;
import io.backprop.runner.registry.Registry;
import io.backprop.runner.spec.ExperimentReader;
import java.nio.file.*;
for (String seed : "$SEEDS".trim().split("\\\\s+")) {
    var experiment = ExperimentReader.read(Path.of("$EXPERIMENT"), "$EXPERIMENT", java.util.List.of("seed=" + seed));
    var setup = Setup.unpreprocessed(experiment, Registry.builtIn());
    var out = new StringBuilder();
    var parts = new java.util.LinkedHashMap<String, io.backprop.runner.plugin.Dataset>();
    parts.put("train", setup.train());
    if (setup.validation() != null && setup.validation() != setup.train()) parts.put("validation", setup.validation());
    parts.put("test", setup.test());
    parts.forEach((part, data) -> { for (int line : data.table().lines()) out.append(part).append(',').append(line).append('\n'); });
    Files.writeString(Path.of("$WORK/split-" + seed + ".csv"), out.toString());
}
/exit
JSH
jshell -R-Djava.util.prefs.userRoot="$WORK" --class-path "$ROOT/runner.jar" "$WORK/split.jsh"

echo "| seed | test rows | runner | scikit-learn, training rows | scikit-learn, training + validation rows |"
echo "| --- | --- | --- | --- | --- |"
for seed in $SEEDS; do
  runner=$(java -jar "$ROOT/runner.jar" "$EXPERIMENT" --set seed="$seed" --out "$WORK/runs" --json 2>/dev/null \
    | "$PY" -c 'import json, sys; print("%.4f" % json.load(sys.stdin)["test"]["accuracy"])')
  "$PY" "$ROOT/bench/tabular_sklearn.py" "$EXPERIMENT" "$WORK/schema.json" "$WORK/split-$seed.csv" "$seed" "$runner"
done
