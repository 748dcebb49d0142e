/** Finding plugin providers (built in, and in plugin jars), resolving references, checking parameters. Internal: not part of the plugin API, may change in any release. */
package io.backprop.runner.registry;
