"""One row of bench/tabular-vs-sklearn.sh's table: scikit-learn's impute + one-hot + standardize + MLPClassifier
pipeline fitted on the rows of a split the runner drew, scored on its test rows.

Arguments: EXPERIMENT SCHEMA_JSON SPLIT_CSV SEED RUNNER_ACCURACY. SCHEMA_JSON is `validate --json`'s report (the
CSV's path, label and the runner's inferred column types); SPLIT_CSV lines are `part,line` (part: train, validation
or test; line: the row's line in the CSV file).
"""
import csv
import json
import os
import sys
import warnings

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

MISSING = {"", "NA", "NaN", "?", "null"}  # the runner's default markers
INITIALISATIONS = 5


def main(experiment, schema_file, split_file, seed, runner):
    schema = json.load(open(schema_file))
    path = os.path.join(os.path.dirname(experiment), schema["source"])
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    label = header.index(schema["label"])
    types = {c["name"]: c["type"] for c in schema["columns"]}
    numeric = [header.index(n) for n, t in types.items() if t == "numeric"]
    categorical = [header.index(n) for n, t in types.items() if t == "categorical"]

    def cell(column, text):
        text = text.strip()
        if text in MISSING:
            return np.nan
        return float(text) if column in numeric else text

    x = np.array([[cell(c, v) for c, v in enumerate(r)] for r in body], dtype=object)
    y = np.array([r[label].strip() for r in body])
    parts = {"train": [], "validation": [], "test": []}
    for part, line in csv.reader(open(split_file)):
        parts[part].append(int(line) - 2)  # line 1 is the header; the file has no blank lines
    scores = []
    for fit_on in (["train"], ["train", "validation"]):
        rows_fit = sum((parts[p] for p in fit_on), [])
        accuracies = []
        for init in range(INITIALISATIONS):
            encode = ColumnTransformer([
                ("numeric", make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()), numeric),
                ("categorical", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                              OneHotEncoder(handle_unknown="ignore")), categorical)])
            mlp = MLPClassifier(hidden_layer_sizes=(16,), activation="tanh", learning_rate_init=0.01, batch_size=16,
                                max_iter=2000, random_state=init)
            model = Pipeline([("encode", encode), ("mlp", mlp)]).fit(x[rows_fit], y[rows_fit])
            accuracies.append(float((model.predict(x[parts["test"]]) == y[parts["test"]]).mean()))
        scores.append("%.4f (%.4f to %.4f)" % (np.mean(accuracies), min(accuracies), max(accuracies)))
    print("| %s | %d | %s | %s | %s |" % (seed, len(parts["test"]), runner, scores[0], scores[1]))


if __name__ == "__main__":
    warnings.simplefilter("ignore", ConvergenceWarning)
    main(*sys.argv[1:])
