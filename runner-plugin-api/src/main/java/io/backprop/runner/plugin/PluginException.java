package io.backprop.runner.plugin;

/**
 * Thrown by plugin code when the user's input does not work (parameters that contradict each other, a data file
 * that is missing or malformed). The runner shows the message as it is, at the plugin reference's place in the
 * experiment, so it should say what is wrong and what would be right.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @since 0.1
 */
public class PluginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
