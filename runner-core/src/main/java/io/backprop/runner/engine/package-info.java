/**
 * The network, backpropagation and the training loop. Imports only the plugin SPI, its own kernels and the JDK
 * ({@code EngineDependenciesTest}); resolving plugins and loading data belongs to the setup package. Internal:
 * not part of the plugin API, may change in any release.
 */
package io.backprop.runner.engine;
