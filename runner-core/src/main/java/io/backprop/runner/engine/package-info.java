/** The network, backpropagation and the training loop. Internal: not part of the plugin API, may change in any release. */
package io.backprop.runner.engine;
