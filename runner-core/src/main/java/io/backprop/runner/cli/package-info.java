/** The command line. Internal: not part of the plugin API, may change in any release. */
package io.backprop.runner.cli;
