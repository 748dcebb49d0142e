package io.backprop.runner.plugin;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One declared parameter of a provider. The core checks every value against it before {@code create}.
 *
 * <p>Stability: stable; it changes only in ways that keep compiled plugins working.
 *
 * @param name         snake_case
 * @param type         what values it takes
 * @param defaultValue a Double, Long, Boolean or String matching {@code type} (a List of strings for LIST, a Map of
 *                     strings to strings for MAP); null when the parameter is required
 * @param min          smallest allowed number (numbers only); {@code minExclusive} makes it a strict bound
 * @param max          largest allowed number (numbers only)
 * @param choices      the allowed strings (of a string, a list's items, a map's values); empty means any string
 * @param doc          one line
 * @since 0.1
 */
public record ParamSpec(
        String name,
        Type type,
        Object defaultValue,
        double min,
        boolean minExclusive,
        double max,
        List<String> choices,
        String doc) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    /**
     * PATH is a string naming a file, relative to the experiment file; {@link Params#path} resolves it. LIST is a
     * list of strings ({@code [a, b]}); MAP maps names to strings ({@code {a: x, b: y}}), in the order written.
     */
    public enum Type {
        NUMBER,
        INTEGER,
        BOOLEAN,
        STRING,
        PATH,
        LIST,
        MAP
    }

    public ParamSpec {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(doc, "doc is null");
        if (!NAME.matcher(name).matches())
            throw new IllegalArgumentException("parameter name is not snake_case: " + name);
        choices = List.copyOf(choices);
        if (defaultValue != null) {
            Class<?> expected = switch (type) {
                case NUMBER -> Double.class;
                case INTEGER -> Long.class;
                case BOOLEAN -> Boolean.class;
                case STRING, PATH -> String.class;
                case LIST -> List.class;
                case MAP -> java.util.Map.class;
            };
            if (!expected.isInstance(defaultValue)) {
                throw new IllegalArgumentException(
                        name + ": default " + defaultValue + " is not a " + expected.getSimpleName());
            }
        }
    }

    /** A number in [min, max]; {@code defaultValue} null makes it required. */
    public static ParamSpec number(String name, Double defaultValue, double min, double max, String doc) {
        return new ParamSpec(name, Type.NUMBER, defaultValue, min, false, max, List.of(), doc);
    }

    /** A number > 0 (and <= max). */
    public static ParamSpec positive(String name, Double defaultValue, double max, String doc) {
        return new ParamSpec(name, Type.NUMBER, defaultValue, 0, true, max, List.of(), doc);
    }

    /** An integer in [min, max]. */
    public static ParamSpec integer(String name, Long defaultValue, long min, long max, String doc) {
        return new ParamSpec(name, Type.INTEGER, defaultValue, min, false, max, List.of(), doc);
    }

    public static ParamSpec bool(String name, boolean defaultValue, String doc) {
        return new ParamSpec(name, Type.BOOLEAN, defaultValue, 0, false, 0, List.of(), doc);
    }

    /** One of {@code choices}; the first is the default. */
    public static ParamSpec choice(String name, List<String> choices, String doc) {
        return new ParamSpec(name, Type.STRING, choices.get(0), 0, false, 0, choices, doc);
    }

    /** Whether {@code value} fits: of this type (Double, Long, Boolean or String), in range, among the choices. */
    public boolean accepts(Object value) {
        return switch (type) {
            case BOOLEAN -> value instanceof Boolean;
            case STRING -> value instanceof String v && (choices.isEmpty() || choices.contains(v));
            case PATH -> value instanceof String v && !v.isBlank();
            case INTEGER -> value instanceof Long v && inRange(v);
            case NUMBER -> value instanceof Double v && Double.isFinite(v) && inRange(v);
            case LIST -> value instanceof List<?> v && v.stream().allMatch(this::isChoice);
            case MAP ->
                value instanceof java.util.Map<?, ?> v
                        && v.keySet().stream().allMatch(String.class::isInstance)
                        && v.values().stream().allMatch(this::isChoice);
        };
    }

    private boolean isChoice(Object item) {
        return item instanceof String v && (choices.isEmpty() || choices.contains(v));
    }

    private boolean inRange(double v) {
        return (minExclusive ? v > min : v >= min) && v <= max;
    }

    /** Any string; {@code defaultValue} null makes it required. */
    public static ParamSpec string(String name, String defaultValue, String doc) {
        return new ParamSpec(name, Type.STRING, defaultValue, 0, false, 0, List.of(), doc);
    }

    /** A list of strings, each one of {@code choices} unless that is empty; empty by default. */
    public static ParamSpec list(String name, List<String> choices, String doc) {
        return new ParamSpec(name, Type.LIST, List.of(), 0, false, 0, choices, doc);
    }

    /** A map of names to strings, each value one of {@code choices} unless that is empty; empty by default. */
    public static ParamSpec map(String name, List<String> choices, String doc) {
        return new ParamSpec(name, Type.MAP, java.util.Map.of(), 0, false, 0, choices, doc);
    }

    /** A file path, relative to the experiment file; {@code defaultValue} null makes it required. */
    public static ParamSpec path(String name, String defaultValue, String doc) {
        return new ParamSpec(name, Type.PATH, defaultValue, 0, false, 0, List.of(), doc);
    }

    public boolean required() {
        return defaultValue == null;
    }

    /** What values fit, as a message says it: {@code a number > 0}, {@code an integer from 1 to 10}. */
    public String expected() {
        return switch (type) {
            case BOOLEAN -> "true or false";
            case STRING -> choices.isEmpty() ? "a string" : "one of " + String.join(", ", choices);
            case PATH -> "a file path, relative to the experiment file";
            case LIST -> "a list of " + (choices.isEmpty() ? "strings" : String.join(", ", choices)) + " ([a, b])";
            case MAP ->
                "a mapping of names to " + (choices.isEmpty() ? "strings" : String.join(", ", choices)) + " ({a: x})";
            case NUMBER, INTEGER -> (type == Type.NUMBER ? "a number" : "an integer") + bounds();
        };
    }

    /** Whether numbers have a lower bound. */
    public boolean hasMin() {
        return min > -Double.MAX_VALUE && min != Long.MIN_VALUE;
    }

    /** Whether numbers have an upper bound. */
    public boolean hasMax() {
        return max < Double.MAX_VALUE && max != Long.MAX_VALUE;
    }

    private String bounds() {
        boolean hasMin = hasMin();
        boolean hasMax = hasMax();
        String lo = (minExclusive ? " > " : " >= ") + format(min);
        if (hasMin && hasMax)
            return minExclusive ? lo + " and <= " + format(max) : " from " + format(min) + " to " + format(max);
        if (hasMin) return lo;
        if (hasMax) return " <= " + format(max);
        return "";
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
