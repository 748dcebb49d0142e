package io.backprop.runner.run;

import io.backprop.runner.plugin.EpochMetrics;
import java.io.PrintStream;
import java.util.Locale;

/** Progress for a person: the first epoch, about twenty lines over the run, and the last. */
final class Progress {
    private final PrintStream out;
    private final int maxEpochs;
    private final int every;
    private final String second;
    private final boolean showValidation;

    /** {@code showValidation}: false when there is none, or it is the training set itself. */
    Progress(PrintStream out, int maxEpochs, boolean classification, boolean showValidation) {
        this.showValidation = showValidation;
        this.out = out;
        this.maxEpochs = maxEpochs;
        this.every = Math.max(1, maxEpochs / 20);
        this.second = classification ? "accuracy" : "rmse";
    }

    void epochEnded(EpochMetrics m) {
        int e = m.epoch();
        if (e == 1 || e % every == 0 || e == maxEpochs) out.println(line(m));
    }

    /** Called with the final epoch, so that the last line printed shows where training ended. */
    void finished(EpochMetrics m) {
        int e = m.epoch();
        if (!(e == 1 || e % every == 0 || e == maxEpochs)) out.println(line(m));
    }

    String line(EpochMetrics m) {
        int width = Integer.toString(maxEpochs).length();
        var s = new StringBuilder(String.format(Locale.ROOT, "epoch %" + width + "d/%d  train loss %.6g %s %.4f",
                m.epoch(), maxEpochs, m.get("train_loss"), second, m.get("train_" + second)));
        if (showValidation) {
            s.append(String.format(Locale.ROOT, "  validation loss %.6g %s %.4f",
                    m.get("validation_loss"), second, m.get("validation_" + second)));
        }
        return s.toString();
    }
}
