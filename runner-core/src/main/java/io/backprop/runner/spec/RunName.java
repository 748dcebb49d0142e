package io.backprop.runner.spec;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What an experiment may be called: its name is a directory under the runs root, so it is one plain path element.
 * Letters, digits, '.', '_', '-' and spaces, starting with a letter or a digit and not ending in a space: never
 * {@code ..}, a slash, a line break, a quote or markup, whatever file it came from.
 */
public final class RunName {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._ -]*[A-Za-z0-9._-])?");
    static final String ALLOWED = "letters, digits, '.', '_', '-' and spaces, starting with a letter or a digit";
    private static final String FALLBACK = "experiment";

    private RunName() {}

    public static boolean isValid(String name) {
        return NAME.matcher(name).matches();
    }

    /**
     * The name a file gives an experiment without {@code name:}: the file name less .yaml or .yml, with each run of
     * characters a name cannot hold replaced by '-' and what cannot start it dropped ("experiment" if nothing is left).
     */
    public static String fromFile(Path file) {
        String stem = stem(file);
        if (isValid(stem)) return stem;
        String safe = stem.replaceAll("[^A-Za-z0-9._ -]+", "-")
                .replaceFirst("^[^A-Za-z0-9]+", "")
                .stripTrailing();
        return safe.isEmpty() ? FALLBACK : safe;
    }

    /** A note for standard error when {@code file}'s name had to be changed to name an experiment; else null. */
    public static String note(Path file, String source, String name) {
        String stem = stem(file);
        if (isValid(stem) || !name.equals(fromFile(file))) return null;
        return "note: " + Printable.oneLine(source) + ": '" + Printable.oneLine(stem) + "' is not a name (" + ALLOWED
                + "); its runs go under '" + name + "'; add name: to choose another";
    }

    private static String stem(Path file) {
        Path fileName = file.getFileName();
        return fileName == null ? "" : fileName.toString().replaceFirst("\\.ya?ml$", "");
    }
}
