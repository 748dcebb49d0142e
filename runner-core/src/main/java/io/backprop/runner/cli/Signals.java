package io.backprop.runner.cli;

import io.backprop.runner.engine.StopRequest;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM while a run trains: the first asks it to stop at the end of the epoch, recording everything as at
 * a normal stop; a second ends the process at once. The JVM's own handlers (which run the shutdown hooks and exit)
 * are put back on {@link #close}.
 */
final class Signals implements AutoCloseable {
    private static final Map<String, Integer> NUMBERS = Map.of("INT", 2, "TERM", 15);

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile int received;

    private Signals(StopRequest stop, PrintStream err) {
        for (String name : new String[] {"INT", "TERM"}) {
            Signal signal = new Signal(name);
            try {
                previous.put(signal, Signal.handle(signal, s -> {
                    int number = NUMBERS.get(s.getName());
                    if (received != 0) {
                        err.println("runner: SIG" + s.getName() + " again: stopping at once");
                        Runtime.getRuntime().halt(128 + number);
                    }
                    received = number;
                    stop.request("signal SIG" + s.getName());
                    err.println(
                            "runner: SIG" + s.getName() + ": stopping at the end of this epoch, everything recorded;"
                                    + " send it again to stop at once");
                }));
            } catch (IllegalArgumentException e) {
                // The JVM runs with -Xrs, or the platform lacks the signal: it keeps its default action.
            }
        }
    }

    /** Handles SIGINT and SIGTERM by requesting {@code stop}, until closed. */
    static Signals stopOn(StopRequest stop, PrintStream err) {
        return new Signals(stop, err);
    }

    /** The exit code of the signal received, as a shell reports it (130 for SIGINT, 143 for SIGTERM); 0 for none. */
    int exitCode() {
        return received == 0 ? 0 : 128 + received;
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
