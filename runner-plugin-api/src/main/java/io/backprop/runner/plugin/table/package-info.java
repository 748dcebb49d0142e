/**
 * Table columns for data sources: typed columns (numeric, categorical), missing cells and how to fill them. A source
 * that reads rows of text declares {@link io.backprop.runner.plugin.table.TableSettings#parameters()} among its own
 * and hands its cells to {@link io.backprop.runner.plugin.table.Tables#dataset}; the
 * {@link io.backprop.runner.plugin.Dataset} it returns carries a {@link io.backprop.runner.plugin.table.Table}, and
 * the runner fits its column encoder on the training split alone, saves it with the model and applies it, unchanged,
 * to every other split and to whatever a saved model is given. How the runner encodes columns is its own business, not
 * part of this API.
 *
 * @since 0.1
 */
package io.backprop.runner.plugin.table;
