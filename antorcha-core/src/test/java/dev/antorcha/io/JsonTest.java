package dev.antorcha.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link Json}. */
class JsonTest {

    @Test
    void objectsKeepInsertionOrder() {
        Object v = Json.parse(" { \"z\" : 1 , \"a\":\"x\", \"m\": true, \"n\": null, \"f\": false }\n");
        assertThat(v).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        var m = (Map<String, Object>) v;
        assertThat(m.keySet()).containsExactly("z", "a", "m", "n", "f");
        assertThat(m.get("z")).isEqualTo(1L);
        assertThat(m.get("a")).isEqualTo("x");
        assertThat(m.get("m")).isEqualTo(Boolean.TRUE);
        assertThat(m).containsEntry("n", null);
        assertThat(m.get("f")).isEqualTo(Boolean.FALSE);
    }

    @Test
    void arraysAndNesting() {
        assertThat(Json.parse("[]")).isEqualTo(List.of());
        assertThat(Json.parse("{}")).isEqualTo(Map.of());
        assertThat(Json.parse("[1, [2, [3, {\"k\": [4]}]], \"s\"]"))
                .isEqualTo(List.of(1L, List.of(2L, List.of(3L, Map.of("k", List.of(4L)))), "s"));
        assertThat(Json.parse("\t[\r\n1\r\n]\n")).isEqualTo(List.of(1L));
    }

    @Test
    void topLevelScalars() {
        assertThat(Json.parse("42")).isEqualTo(42L);
        assertThat(Json.parse("\"hi\"")).isEqualTo("hi");
        assertThat(Json.parse("null")).isNull();
        assertThat(Json.parse(" true ")).isEqualTo(true);
    }

    @Test
    void stringEscapes() {
        assertThat(Json.parse("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"")).isEqualTo("a\"b\\c/d\be\ff\ng\rh\ti");
        assertThat(Json.parse("\"caf\\u00e9 \\u00E9\"")).isEqualTo("café é");
        assertThat(Json.parse("\"\\uD83D\\uDE00\"")).isEqualTo("\uD83D\uDE00");
        assertThat(Json.parse("\"\\u0000x\"")).isEqualTo("\u0000x");
        assertThat(Json.parse("\"plain ü €\"")).isEqualTo("plain ü €");
        assertThat(Json.parse("\"\"")).isEqualTo("");
    }

    @Test
    void integers() {
        assertThat(Json.parse("0")).isEqualTo(0L);
        assertThat(Json.parse("-0")).isEqualTo(0L);
        assertThat(Json.parse("-17")).isEqualTo(-17L);
        assertThat(Json.parse("123456789012345678")).isEqualTo(123456789012345678L);
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.parse("9223372036854775808")).isEqualTo(9223372036854775808.0);
        assertThat(Json.parse("-99999999999999999999")).isEqualTo(-1e20);
    }

    @Test
    void fractionsAndExponents() {
        assertThat(Json.parse("1.5")).isEqualTo(1.5);
        assertThat(Json.parse("-0.0")).isEqualTo(-0.0);
        assertThat(Json.parse("-2.5e-3")).isEqualTo(-0.0025);
        assertThat(Json.parse("1E+2")).isEqualTo(100.0);
        assertThat(Json.parse("1e2")).isInstanceOf(Double.class);
        assertThat(Json.parse("9.999999717180685e-10")).isEqualTo(9.999999717180685e-10);
    }

    @Test
    void float32ReprRoundTripsExactly() {
        Object v = Json.parse("0.10000000149011612");
        assertThat(v).isEqualTo((double) 0.1f);
        assertThat((float) (double) (Double) v).isEqualTo(0.1f);
        Object w = Json.parse("[-1.1258398294448853, 100.27336883544922]");
        assertThat(w).isEqualTo(List.of((double) -1.1258398f, (double) 100.27337f));
    }

    @Test
    void errorsNameOffsetExpectationAndFinding() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1 x}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("JSON: expected ',' or '}' at offset 7, found 'x'");
        assertThatThrownBy(() -> Json.parse("[1,]")).hasMessageContaining("expected a value at offset 3, found ']'");
        assertThatThrownBy(() -> Json.parse("[1 2]")).hasMessageContaining("expected ',' or ']' at offset 3, found '2'");
        assertThatThrownBy(() -> Json.parse("")).hasMessageContaining("expected a value at offset 0, found end of input");
        assertThatThrownBy(() -> Json.parse("[1")).hasMessageContaining("at offset 2, found end of input");
        assertThatThrownBy(() -> Json.parse("{\"a\" 1}")).hasMessageContaining("expected ':' at offset 5");
        assertThatThrownBy(() -> Json.parse("{a:1}")).hasMessageContaining("start of an object key")
                .hasMessageContaining("offset 1");
        assertThatThrownBy(() -> Json.parse("{\"a\":1,}")).hasMessageContaining("offset 7, found '}'");
        assertThatThrownBy(() -> Json.parse("1 2")).hasMessageContaining("expected end of input at offset 2");
        assertThatThrownBy(() -> Json.parse("\n\n  @")).hasMessageContaining("offset 4").hasMessageContaining("line 3, column 3");
    }

    @Test
    void rejectsNonStandardNumbersAndLiterals() {
        assertThatThrownBy(() -> Json.parse("01")).hasMessageContaining("expected end of input at offset 1");
        assertThatThrownBy(() -> Json.parse("1.")).hasMessageContaining("a digit after '.' at offset 2");
        assertThatThrownBy(() -> Json.parse(".5")).hasMessageContaining("expected a value at offset 0");
        assertThatThrownBy(() -> Json.parse("1e")).hasMessageContaining("a digit in the exponent at offset 2");
        assertThatThrownBy(() -> Json.parse("-")).hasMessageContaining("expected a digit at offset 1");
        assertThatThrownBy(() -> Json.parse("+1")).hasMessageContaining("expected a value at offset 0, found '+'");
        assertThatThrownBy(() -> Json.parse("NaN")).hasMessageContaining("expected a value at offset 0");
        assertThatThrownBy(() -> Json.parse("[Infinity]")).hasMessageContaining("expected a value at offset 1");
        assertThatThrownBy(() -> Json.parse("tru")).hasMessageContaining("expected 'true' at offset 0");
        assertThatThrownBy(() -> Json.parse("nul")).hasMessageContaining("expected 'null'");
    }

    @Test
    void rejectsBadStrings() {
        assertThatThrownBy(() -> Json.parse("\"a\nb\"")).hasMessageContaining("control characters must be escaped")
                .hasMessageContaining("offset 2").hasMessageContaining("U+000A");
        assertThatThrownBy(() -> Json.parse("\"abc")).hasMessageContaining("end of string").hasMessageContaining("end of input");
        assertThatThrownBy(() -> Json.parse("\"a\\qb\"")).hasMessageContaining("escape character").hasMessageContaining("at offset 3, found 'q'");
        assertThatThrownBy(() -> Json.parse("\"\\u12G4\"")).hasMessageContaining("hex digit").hasMessageContaining("offset 5");
        assertThatThrownBy(() -> Json.parse("\"\\u12")).hasMessageContaining("hex digit");
        assertThatThrownBy(() -> Json.parse("\"\\u００41\"")).hasMessageContaining("hex digit");
        assertThatThrownBy(() -> Json.parse("'a'")).hasMessageContaining("expected a value at offset 0, found '''");
    }

    @Test
    void rejectsDuplicateKeys() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate key \"a\" at offset 7");
    }

    @Test
    void depthLimit() {
        int max = Json.MAX_DEPTH;
        assertThat(max).isEqualTo(512);
        Object deep = Json.parse("[".repeat(max) + "]".repeat(max));
        int d = 0;
        for (Object o = deep; o instanceof List<?> l; o = l.isEmpty() ? null : l.get(0)) d++;
        assertThat(d).isEqualTo(max);
        assertThatThrownBy(() -> Json.parse("[".repeat(max + 1) + "]".repeat(max + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nesting deeper than 512").hasMessageContaining("offset 512");
        assertThatThrownBy(() -> Json.parse("{\"a\":".repeat(max + 1) + "1" + "}".repeat(max + 1)))
                .hasMessageContaining("nesting deeper than 512");
    }

    @Test
    void largeArrayKeepsEveryElement() {
        var sb = new StringBuilder("[");
        for (int i = 0; i < 200_000; i++) sb.append(i == 0 ? "" : ",").append(i * 0.001f).append(',').append(i);
        var l = (List<?>) Json.parse(sb.append(']').toString());
        assertThat(l).hasSize(400_000);
        for (int i = 0; i < 200_000; i++) {
            // Float.toString's shortest repr read back as a double rounds to the same float
            assertThat((float) (double) (Double) l.get(2 * i)).as("element %d", 2 * i).isEqualTo(i * 0.001f);
            assertThat(l.get(2 * i + 1)).as("element %d", 2 * i + 1).isEqualTo((long) i);
        }
    }

    @Test
    void parsesFileAndPrefixesErrorsWithItsName(@TempDir Path dir) throws Exception {
        Path ok = dir.resolve("ok.json");
        Files.writeString(ok, "\uFEFF{\"name\": \"é\"}", StandardCharsets.UTF_8);
        assertThat(Json.parse(ok)).isEqualTo(Map.of("name", "é"));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "[1, 2", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Json.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(bad + ": JSON: expected ',' or ']' at offset 5, found end of input");
        assertThatThrownBy(() -> Json.parse(dir.resolve("missing.json")))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("missing.json");
    }
}
