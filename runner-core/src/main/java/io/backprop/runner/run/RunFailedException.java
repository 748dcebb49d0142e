package io.backprop.runner.run;

/** The run started but did not finish well (diverged, or a plugin failed mid-run); what it recorded is kept. */
public class RunFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
