/** Reading and checking experiment files (YAML to immutable records). Internal: not part of the plugin API, may change in any release. */
package io.backprop.runner.spec;
