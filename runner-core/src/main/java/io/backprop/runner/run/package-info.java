/** Recording a run: its directory, metrics, model and summary. Internal: not part of the plugin API, may change in any release. */
package io.backprop.runner.run;
