package io.backprop.runner.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON for run files: maps keep their order, non-finite numbers become null, files are replaced atomically. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private Json() {}

    /** One line of JSON, no trailing newline. */
    public static String line(Object value) {
        try {
            return COMPACT.writeValueAsString(finite(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code value} pretty-printed to {@code file} through a temporary file and a rename ({@link AtomicFile}). */
    public static void write(Path file, Object value) throws IOException {
        Object finite = finite(value);
        AtomicFile.write(file, out -> MAPPER.writeValue(out, finite));
    }

    /** NaN and infinities have no JSON form: they are written as null. */
    private static Object finite(Object value) {
        if (value instanceof Double d && !Double.isFinite(d)) return null;
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, finite(v)));
            return copy;
        }
        if (value instanceof List<?> l) return l.stream().map(Json::finite).toList();
        if (value instanceof double[] a) {
            boolean allFinite = true;
            for (double v : a) allFinite &= Double.isFinite(v);
            if (allFinite) return a;
            Double[] boxed = new Double[a.length];
            for (int i = 0; i < a.length; i++) boxed[i] = Double.isFinite(a[i]) ? a[i] : null;
            return boxed;
        }
        return value;
    }
}
