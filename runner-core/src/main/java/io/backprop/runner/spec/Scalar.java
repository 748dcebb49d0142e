package io.backprop.runner.spec;

import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * One scalar from the experiment, as YAML resolved it, with where it stands. Typed reads check the value and
 * throw a {@link SpecException} that says what was expected and what was found. A plugin parameter may also be a
 * flat list or mapping of scalars (LIST, MAP): then {@code items} are its values, each with its own place, and
 * {@code keys} a mapping's keys; {@code text} is how it reads in a message.
 */
public record Scalar(String text, Type type, Where where, List<String> keys, List<Scalar> items) {
    /** The YAML 1.1 type the plain scalar resolved to; quoted scalars are strings. */
    public enum Type {
        STRING,
        INTEGER,
        FLOAT,
        BOOLEAN,
        NULL,
        LIST,
        MAP
    }

    /** How YAML would resolve a scalar written plainly, to tell a quoted number from a word. */
    private static final Resolver RESOLVER = new Resolver();

    private static final java.util.Map<Tag, Type> PLAIN_TYPES =
            java.util.Map.of(Tag.INT, Type.INTEGER, Tag.FLOAT, Type.FLOAT, Tag.BOOL, Type.BOOLEAN);

    public Scalar {
        Objects.requireNonNull(text, "text is null");
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(where, "where is null");
        keys = List.copyOf(keys);
        items = List.copyOf(items);
    }

    public Scalar(String text, Type type, Where where) {
        this(text, type, where, List.of(), List.of());
    }

    /** A list of scalars, at {@code where}. */
    public static Scalar list(List<Scalar> items, Where where) {
        return new Scalar(
                items.stream().map(Scalar::text).collect(Collectors.joining(", ", "[", "]")),
                Type.LIST,
                where,
                List.of(),
                items);
    }

    /** A mapping of names to scalars, at {@code where}. */
    public static Scalar map(List<String> keys, List<Scalar> values, Where where) {
        var text = new StringJoiner(", ", "{", "}");
        for (int i = 0; i < keys.size(); i++)
            text.add(keys.get(i) + ": " + values.get(i).text());
        return new Scalar(text.toString(), Type.MAP, where, keys, values);
    }

    public double asDouble(String expected) {
        if (type == Type.INTEGER || type == Type.FLOAT) {
            double v = parseNumber();
            if (Double.isFinite(v)) return v;
        }
        throw mismatch(expected, s -> s.asDouble(expected));
    }

    public long asLong(String expected) {
        if (type == Type.INTEGER) {
            try {
                return parseInteger(text.replace("_", ""));
            } catch (NumberFormatException e) {
                throw mismatch(expected);
            }
        }
        if (type == Type.FLOAT) {
            double v = parseNumber();
            if (v == Math.rint(v) && Math.abs(v) < 0x1p53) return (long) v;
        }
        throw mismatch(expected, s -> s.asLong(expected));
    }

    public boolean asBoolean(String expected) {
        if (type == Type.BOOLEAN) {
            return switch (text.toLowerCase()) {
                case "true", "yes", "on", "y" -> true;
                default -> false;
            };
        }
        throw mismatch(expected, s -> s.asBoolean(expected));
    }

    public String asString(String expected) {
        if (type == Type.NULL || type == Type.LIST || type == Type.MAP) throw mismatch(expected);
        return text;
    }

    /** How the value reads in a message: strings quoted, numbers and booleans as written. */
    public String describe() {
        return switch (type) {
            case NULL -> "null";
            case STRING -> "'" + text + "'";
            case LIST -> "a list";
            case MAP -> "a mapping";
            default -> text;
        };
    }

    public SpecException mismatch(String expected) {
        return new SpecException(where.problem("expected " + expected + ", got " + describe()));
    }

    /**
     * As {@link #mismatch(String)}, but a quoted scalar that would be a number or a boolean unquoted is called a
     * string, and when {@code read} takes it unquoted the message says to unquote it.
     */
    private SpecException mismatch(String expected, java.util.function.Consumer<Scalar> read) {
        Type plain = type == Type.STRING ? PLAIN_TYPES.get(RESOLVER.resolve(NodeId.scalar, text, true)) : null;
        if (plain == null) return mismatch(expected);
        String message = "expected " + expected + ", got the string " + describe();
        try {
            read.accept(new Scalar(text, plain, where));
            message += "; write it unquoted: " + text;
        } catch (SpecException e) {
            // unquoted it would be wrong too: saying it is a string is all the help there is
        }
        return new SpecException(where.problem(message));
    }

    private double parseNumber() {
        String t = text.replace("_", "");
        switch (t.toLowerCase()) {
            case ".nan":
                return Double.NaN;
            case ".inf", "+.inf":
                return Double.POSITIVE_INFINITY;
            case "-.inf":
                return Double.NEGATIVE_INFINITY;
            default:
        }
        try {
            return type == Type.INTEGER ? parseInteger(t) : Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static long parseInteger(String t) {
        int sign = 1;
        if (t.startsWith("-") || t.startsWith("+")) {
            sign = t.startsWith("-") ? -1 : 1;
            t = t.substring(1);
        }
        long v;
        if (t.startsWith("0x")) v = Long.parseLong(t.substring(2), 16);
        else if (t.startsWith("0b")) v = Long.parseLong(t.substring(2), 2);
        else if (t.startsWith("0o")) v = Long.parseLong(t.substring(2), 8);
        else v = Long.parseLong(t);
        return sign * v;
    }
}
