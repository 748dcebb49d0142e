package io.backprop.runner.cli;

import io.backprop.runner.engine.Profile;
import io.backprop.runner.engine.Profile.Phase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code bench --profile}'s table and JSON: each phase's share of an epoch's wall time. */
final class ProfileTable {
    /** Up to this many epochs, every one has a row; beyond, the first, the last and nine evenly spaced between. */
    static final int ALL_UP_TO = 12;

    private static final int BETWEEN = 10;

    private ProfileTable() {}

    /** The table's lines: a heading, a row per shown epoch, the total, and what the shares are of. */
    static List<String> lines(Profile profile, int threads) {
        List<String> lines = new ArrayList<>();
        lines.add("profile: each epoch's wall time by phase, and in all");
        var header = new StringBuilder(String.format(Locale.ROOT, "%5s", "epoch"));
        for (Phase phase : Phase.values())
            header.append(String.format(Locale.ROOT, "  %" + width(phase) + "s", phase.label()));
        lines.add(
                header.append(String.format(Locale.ROOT, "  %10s", "total ms")).toString());
        var epochs = profile.epochs();
        for (int i : shown(epochs.size()))
            lines.add(row(String.valueOf(epochs.get(i).epoch()), epochs.get(i)));
        lines.add(row("total", profile.total()));
        if (threads > 1)
            lines.add("on " + threads + " threads, the shares are of the calling thread's wall time; the other threads"
                    + " run their parts of the products beside it");
        if (profile.fusedUpdate())
            lines.add("update is the optimizer's step, which runs inside backward, each block of rows as soon as its"
                    + " gradient is computed; plain sgd on the native kernels steps inside the weight-gradient products,"
                    + " and that time counts as backward");
        return lines;
    }

    /** The profile as JSON: every epoch's and the total's milliseconds and shares (0 to 1) by phase key. */
    static Map<String, Object> json(Profile profile) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("measured_on", "calling thread");
        json.put("fused_update", profile.fusedUpdate());
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (var epoch : profile.epochs()) epochs.add(json(epoch));
        json.put("epochs", epochs);
        json.put("total", json(profile.total()));
        return json;
    }

    private static Map<String, Object> json(Profile.Times times) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (times.epoch() > 0) json.put("epoch", times.epoch());
        json.put("ms", times.nanos() / 1e6);
        for (Phase phase : Phase.values()) json.put(phase.key(), times.share(phase));
        return json;
    }

    /** The indices of the epochs shown: all of up to {@link #ALL_UP_TO}, else the first, last and some between. */
    static List<Integer> shown(int epochs) {
        List<Integer> shown = new ArrayList<>();
        if (epochs <= ALL_UP_TO) {
            for (int i = 0; i < epochs; i++) shown.add(i);
            return shown;
        }
        shown.add(0);
        for (int k = 1; k <= BETWEEN; k++) shown.add((int) Math.round((double) k * (epochs - 1) / BETWEEN));
        return shown;
    }

    private static String row(String label, Profile.Times times) {
        var row = new StringBuilder(String.format(Locale.ROOT, "%5s", label));
        for (Phase phase : Phase.values())
            row.append(String.format(Locale.ROOT, "  %" + (width(phase) - 1) + ".1f%%", 100 * times.share(phase)));
        return row.append(String.format(Locale.ROOT, "  %10.3f", times.nanos() / 1e6))
                .toString();
    }

    /** A column as wide as its label, and as "100.0%". */
    private static int width(Phase phase) {
        return Math.max(phase.label().length(), 6);
    }
}
