package io.backprop.runner.run;

/** The run started but did not finish well (diverged, or a plugin failed mid-run); what it recorded is kept. */
public class RunFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient java.nio.file.Path directory;

    public RunFailedException(String message, Throwable cause, java.nio.file.Path directory) {
        super(message, cause);
        this.directory = directory;
    }

    /** The run directory, with everything the run recorded. */
    public java.nio.file.Path directory() {
        return directory;
    }
}
