/** Sweeps: the trials of an experiment's sweep block, run here or by a cluster scheduler, and their tables. Internal. */
package io.backprop.runner.sweep;
