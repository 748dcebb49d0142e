package io.backprop.runner.run;

import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.plugin.Metric;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress for a person. On a terminal one line is rewritten in place (epoch, losses, examples/s, ETA) a few times a
 * second; into a pipe or file, the first epoch, about twenty lines over the run, and the last; or nothing.
 */
public final class Progress {
    /** How progress is shown. */
    public enum Mode {
        LIVE,
        LINES,
        QUIET
    }

    private final PrintStream out;
    private final Mode mode;
    private final int maxEpochs;
    private final int every;
    private final String second;
    private final boolean showValidation;
    private final long started = System.nanoTime();
    private long lastLive;
    private boolean liveShown;

    /** {@code showValidation}: false when there is none, or it is the training set itself. */
    Progress(PrintStream out, Mode mode, int maxEpochs, boolean classification, boolean showValidation) {
        this.out = out;
        this.mode = mode;
        this.maxEpochs = maxEpochs;
        this.every = Math.max(1, maxEpochs / 20);
        this.second = classification ? "accuracy" : "rmse";
        this.showValidation = showValidation;
    }

    void epochEnded(EpochMetrics m, double examplesPerSecond) {
        int e = m.epoch();
        if (mode == Mode.LINES && (e == 1 || e % every == 0 || e == maxEpochs)) out.println(line(m));
        if (mode == Mode.LIVE) {
            long now = System.nanoTime();
            if (now - lastLive < 200_000_000L && e != maxEpochs) return;
            lastLive = now;
            double elapsed = (now - started) / 1e9;
            long eta = Math.round(elapsed / e * (maxEpochs - e));
            out.print(String.format(
                    Locale.ROOT,
                    "\r%s  %,.0f examples/s  ETA %d:%02d ",
                    line(m),
                    examplesPerSecond,
                    eta / 60,
                    eta % 60));
            out.flush();
            liveShown = true;
        }
    }

    /** Called with the final epoch, so that the last progress shown is where training ended. */
    void finished(EpochMetrics m) {
        if (mode == Mode.LIVE && liveShown) out.println();
        int e = m.epoch();
        if (mode == Mode.LINES && !(e == 1 || e % every == 0 || e == maxEpochs)) out.println(line(m));
    }

    String line(EpochMetrics m) {
        int width = Integer.toString(maxEpochs).length();
        var s = new StringBuilder(String.format(
                Locale.ROOT,
                "epoch %" + width + "d/%d  train loss %.6g %s %.4f",
                m.epoch(),
                maxEpochs,
                m.get(Metric.TRAIN_LOSS),
                second,
                m.get(Metric.score(false, second.equals("accuracy")))));
        if (showValidation) {
            s.append(String.format(
                    Locale.ROOT,
                    "  validation loss %.6g %s %.4f",
                    m.get(Metric.VALIDATION_LOSS),
                    second,
                    m.get(Metric.score(true, second.equals("accuracy")))));
        }
        return s.toString();
    }
}
