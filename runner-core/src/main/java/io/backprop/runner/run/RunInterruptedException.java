package io.backprop.runner.run;

/** The run stopped early because it was asked to (a signal); everything it recorded is kept, as at a normal stop. */
public final class RunInterruptedException extends RunFailedException {
    private static final long serialVersionUID = 1L;

    public RunInterruptedException(String message, java.nio.file.Path directory) {
        super(message, null, directory);
    }
}
