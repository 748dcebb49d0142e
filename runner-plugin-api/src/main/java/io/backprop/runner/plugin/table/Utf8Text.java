package io.backprop.runner.plugin.table;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text of a data file read as strict UTF-8, as every reader of rows takes it: the csv source and predict.
 *
 * <p>Stability: experimental; it may change in any release.
 *
 * @since 0.1
 */
public final class Utf8Text {
    private Utf8Text() {}

    /** Bytes that are not UTF-8, at {@code line:column} of the text before them. */
    public static final class NotUtf8 extends RuntimeException {
        private final int line;
        private final int column;

        NotUtf8(int line, int column, String message) {
            super(message);
            this.line = line;
            this.column = column;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }
    }

    /**
     * {@code bytes} as text, without its byte order mark; bytes that are not UTF-8 throw {@link NotUtf8}, placed as
     * a CSV reader counts lines (CRLF, LF or CR ends one).
     */
    public static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never takes fewer bytes than UTF-16 chars
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        out.flip();
        int start = out.length() > 0 && out.charAt(0) == '\uFEFF' ? 1 : 0;
        if (result.isError()) {
            var bad = new StringBuilder();
            for (int i = 0; i < result.length(); i++)
                bad.append(String.format(" 0x%02x", bytes[in.position() + i] & 0xff));
            String what = result.length() == 1 ? "the byte" + bad + " is" : "the bytes" + bad + " are";
            int line = 1;
            int lineStart = start;
            for (int i = start; i < out.length(); i++) {
                char c = out.charAt(i);
                if (c == '\n' || c == '\r' && (i + 1 >= out.length() || out.charAt(i + 1) != '\n')) {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new NotUtf8(line, out.length() - lineStart + 1, what + " not UTF-8; save the file as UTF-8");
        }
        return out.subSequence(start, out.length()).toString();
    }
}
