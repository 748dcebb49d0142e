package io.backprop.runner.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * One self-contained HTML page: its data as JSON in a {@code <script type="application/json">} block, uPlot (from its
 * webjar on the class path) and the pages' own script and style inlined. Nothing is fetched: it opens from file://.
 */
public final class Page {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEBJAR = "META-INF/resources/webjars/uplot/";
    private static final Pattern END_SCRIPT = Pattern.compile("</(script)", Pattern.CASE_INSENSITIVE);
    private static final Pattern END_STYLE = Pattern.compile("</(style)", Pattern.CASE_INSENSITIVE);
    private static volatile String assets;

    private Page() {}

    /** A new JSON object for a page's data. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** A new JSON array for a page's data. */
    public static ArrayNode array() {
        return JSON.createArrayNode();
    }

    /** A number as JSON: null for NaN and the infinities, which JSON cannot hold. */
    public static JsonNode number(double v) {
        return Double.isFinite(v)
                ? JSON.getNodeFactory().numberNode(v)
                : JSON.getNodeFactory().nullNode();
    }

    /** The whole page: {@code body} (HTML, already escaped) then the data and the scripts that draw from it. */
    public static String document(String title, String body, JsonNode data) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + escape(title)
                + "</title>\n"
                + assets() + "</head><body>\n" + body
                + "<noscript><p class=\"note\">The charts are drawn by JavaScript, which is off: the tables above hold the numbers.</p></noscript>\n"
                + "<script type=\"application/json\" id=\"page-data\">" + scriptJson(data) + "</script>\n"
                + "<script>" + inlineScript(resource(Page.class, "pages.js")) + "</script>\n</body></html>\n";
    }

    /**
     * JSON that stays inside its script block whatever its strings hold: {@code <}, {@code >} and {@code &} as
     * unicode escapes (no {@code </script>}, no {@code <!--}), and U+2028 and U+2029, which end a line in old
     * JavaScript parsers. JSON.parse reads them back as the same characters.
     */
    static String scriptJson(JsonNode data) {
        String text;
        try {
            text = JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        var s = new StringBuilder(text.length() + 64);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<', '>', '&', '\u2028', '\u2029' -> s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                default -> s.append(c);
            }
        }
        return s.toString();
    }

    /** A script's text made safe to inline: no {@code </script} or {@code <!--} that would end or bend the block. */
    static String inlineScript(String js) {
        return END_SCRIPT.matcher(js).replaceAll("<\\\\/$1").replace("<!--", "<\\!--");
    }

    private static String assets() {
        String a = assets;
        if (a == null) {
            String version = uplotVersion();
            String css = resource(Page.class, "/" + WEBJAR + version + "/dist/uPlot.min.css") + "\n"
                    + resource(Page.class, "page.css");
            a = "<style>" + END_STYLE.matcher(css).replaceAll("<\\\\/$1") + "</style>\n"
                    + "<script>/* uPlot " + version + "\n"
                    + resource(Page.class, "/" + WEBJAR + version + "/LICENSE").replace("*/", "* /") + "*/\n"
                    + inlineScript(resource(Page.class, "/" + WEBJAR + version + "/dist/uPlot.iife.min.js"))
                    + "</script>\n";
            assets = a;
        }
        return a;
    }

    private static String uplotVersion() {
        try (InputStream in = Page.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) throw new IllegalStateException("uPlot's webjar is not on the class path");
            var p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resource(Class<?> near, String name) {
        try (InputStream in = near.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Text as HTML: every character that could open markup or end an attribute value escaped. */
    public static String escape(String s) {
        return Objects.toString(s, "")
                .replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** A number for a table: 4 significant digits, as the charts' readouts show it; "–" for none. */
    public static String format(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) return "–";
        if (v.isIntegralNumber()) return v.asText();
        if (v.isNumber()) return format(v.doubleValue());
        return v.asText();
    }

    public static String format(double v) {
        if (!Double.isFinite(v)) return "–";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        if (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e7) return String.format(Locale.ROOT, "%.3e", v);
        return new java.math.BigDecimal(v)
                .round(new java.math.MathContext(4))
                .stripTrailingZeros()
                .toPlainString();
    }
}
