/**
 * Metrics of a model's outputs against the targets: pure functions over the outputs matrix and the labels, the
 * conventions of scikit-learn's (see {@link io.backprop.runner.evaluation.ClassificationMetrics}). Internal.
 */
package io.backprop.runner.evaluation;
