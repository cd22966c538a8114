package dev.antorcha.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict RFC 8259 JSON parser (plain JDK, no dependencies).
 *
 * <p>Values map to Java as: object → {@link LinkedHashMap}{@code <String,Object>} (insertion order),
 * array → {@link ArrayList}{@code <Object>}, string → {@link String}, {@code true/false} → {@link Boolean},
 * {@code null} → {@code null}, number → {@link Long} for integer literals (no fraction or exponent) that
 * fit in a long, otherwise {@link Double} ({@code Double.parseDouble} of the literal text, so the exact
 * float32 reprs of the parity files round-trip exactly through {@code (float)}).
 *
 * <p>Strictness: no comments, no trailing commas, no leading zeros, no NaN/Infinity, no unescaped control
 * characters in strings, no duplicate object keys, nothing but whitespace after the top-level value, and
 * nesting at most {@value #MAX_DEPTH} arrays/objects deep. Errors are {@link IllegalArgumentException}s
 * naming the character offset, what was expected and what was found.
 */
public final class Json {

    /** Deepest allowed nesting of arrays and objects. */
    public static final int MAX_DEPTH = 512;

    private final String s;
    private final int n;
    private int pos;
    private int depth;

    private Json(String text) {
        this.s = text;
        this.n = text.length();
    }

    /** Parses a complete JSON text; see the class comment for the Java types returned. */
    public static Object parse(String text) {
        var p = new Json(text);
        p.skipWs();
        Object v = p.value();
        p.skipWs();
        if (p.pos < p.n) throw p.error("end of input");
        return v;
    }

    /**
     * Reads {@code file} as UTF-8 (a leading byte-order mark is skipped) and parses it; parse errors are
     * rethrown with the file name as prefix, I/O errors as {@link UncheckedIOException}.
     */
    public static Object parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read JSON file: " + e, e);
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') text = text.substring(1);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- grammar

    private Object value() {
        if (pos >= n) throw error("a value");
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("a value");
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        pos++; // '{'
        var map = new LinkedHashMap<String, Object>();
        skipWs();
        if (pos < n && s.charAt(pos) == '}') {
            pos++;
            depth--;
            return map;
        }
        while (true) {
            if (pos >= n || s.charAt(pos) != '"') throw error("'\"' (start of an object key)");
            int keyAt = pos;
            String key = string();
            skipWs();
            expect(':', "':'");
            skipWs();
            Object v = value();
            if (map.containsKey(key)) {
                throw new IllegalArgumentException("JSON: duplicate key \"" + key + "\" at offset " + keyAt
                        + lineCol(keyAt));
            }
            map.put(key, v);
            skipWs();
            if (pos < n && s.charAt(pos) == ',') {
                pos++;
                skipWs();
            } else if (pos < n && s.charAt(pos) == '}') {
                pos++;
                depth--;
                return map;
            } else {
                throw error("',' or '}'");
            }
        }
    }

    private List<Object> array() {
        enter();
        pos++; // '['
        var list = new ArrayList<Object>();
        skipWs();
        if (pos < n && s.charAt(pos) == ']') {
            pos++;
            depth--;
            return list;
        }
        while (true) {
            list.add(value());
            skipWs();
            if (pos < n && s.charAt(pos) == ',') {
                pos++;
                skipWs();
            } else if (pos < n && s.charAt(pos) == ']') {
                pos++;
                depth--;
                return list;
            } else {
                throw error("',' or ']'");
            }
        }
    }

    private String string() {
        pos++; // opening quote
        int start = pos;
        // Fast path: no escapes -> one substring.
        while (pos < n) {
            char c = s.charAt(pos);
            if (c == '"') return s.substring(start, pos++);
            if (c == '\\') break;
            if (c < 0x20) throw error("a string character (control characters must be escaped)");
            pos++;
        }
        if (pos >= n) throw error("'\"' (end of string)");
        var sb = new StringBuilder(pos - start + 16).append(s, start, pos);
        while (pos < n) {
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) throw error("a string character (control characters must be escaped)");
            if (c != '\\') {
                sb.append(c);
                pos++;
                continue;
            }
            pos++;
            if (pos >= n) throw error("an escape character");
            char e = s.charAt(pos);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    int code = 0;
                    for (int k = 0; k < 4; k++) {
                        pos++;
                        int d = pos < n ? hexValue(s.charAt(pos)) : -1;
                        if (d < 0) throw error("a hex digit of a \\u escape");
                        code = code * 16 + d;
                    }
                    sb.append((char) code);
                }
                default -> throw error("an escape character (one of \" \\ / b f n r t u)");
            }
            pos++;
        }
        throw error("'\"' (end of string)");
    }

    private Object number() {
        int start = pos;
        boolean neg = false;
        if (s.charAt(pos) == '-') {
            neg = true;
            pos++;
        }
        if (pos >= n) throw error("a digit");
        char c = s.charAt(pos);
        if (c == '0') {
            pos++;
        } else if (c >= '1' && c <= '9') {
            while (pos < n && isDigit(s.charAt(pos))) pos++;
        } else {
            throw error("a digit");
        }
        int intEnd = pos;
        boolean integral = true;
        if (pos < n && s.charAt(pos) == '.') {
            integral = false;
            pos++;
            if (pos >= n || !isDigit(s.charAt(pos))) throw error("a digit after '.'");
            while (pos < n && isDigit(s.charAt(pos))) pos++;
        }
        if (pos < n && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            integral = false;
            pos++;
            if (pos < n && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
            if (pos >= n || !isDigit(s.charAt(pos))) throw error("a digit in the exponent");
            while (pos < n && isDigit(s.charAt(pos))) pos++;
        }
        if (integral) {
            int digitsStart = neg ? start + 1 : start;
            if (intEnd - digitsStart <= 18) { // cannot overflow: accumulate without allocating
                long v = 0;
                for (int i = digitsStart; i < intEnd; i++) v = v * 10 + (s.charAt(i) - '0');
                return neg ? -v : v;
            }
            String lit = s.substring(start, pos);
            try {
                return Long.parseLong(lit);
            } catch (NumberFormatException tooBig) {
                return Double.parseDouble(lit);
            }
        }
        return Double.parseDouble(s.substring(start, pos));
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) throw error("'" + word + "'");
        pos += word.length();
        return v;
    }

    // ---------------------------------------------------------------- helpers

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON: nesting deeper than " + MAX_DEPTH
                    + " arrays/objects at offset " + pos + lineCol(pos));
        }
    }

    private void expect(char c, String what) {
        if (pos >= n || s.charAt(pos) != c) throw error(what);
        pos++;
    }

    private void skipWs() {
        while (pos < n) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            pos++;
        }
    }

    private IllegalArgumentException error(String expected) {
        String found;
        if (pos >= n) {
            found = "end of input";
        } else {
            char c = s.charAt(pos);
            found = c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
        }
        return new IllegalArgumentException(
                "JSON: expected " + expected + " at offset " + pos + ", found " + found + lineCol(pos));
    }

    /** " (line L, column C)", both 1-based; computed only when an error is reported. */
    private String lineCol(int at) {
        int line = 1, lineStart = 0;
        for (int i = 0; i < at && i < n; i++) {
            if (s.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return " (line " + line + ", column " + (at - lineStart + 1) + ")";
    }
}
