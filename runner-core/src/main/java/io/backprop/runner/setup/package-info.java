/**
 * The composition root of a run: resolves an experiment's plugins through the registry, loads and splits its data and
 * builds the engine's network and trainer from them. The engine itself knows only the plugin SPI.
 */
package io.backprop.runner.setup;
