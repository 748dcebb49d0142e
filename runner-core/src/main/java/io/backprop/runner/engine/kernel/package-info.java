/** Dense matrix kernels over flat row-major arrays. Internal: not part of the plugin API, may change in any release. */
package io.backprop.runner.engine.kernel;
