package dev.sluice.odf.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.odf.OdfFormatException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
    static final String LINKED = "{\"opendatafabric.org/linkedObjects\":{\"numObjectsNaive\":10,\"sizeNaive\":100}}";

    @Test
    void goldenLinkedObjects() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("sizeNaive", 100L); // deliberately unsorted
        inner.put("numObjectsNaive", 10L);
        assertEquals(LINKED, CanonicalJson.write(Map.of("opendatafabric.org/linkedObjects", inner)));
        assertEquals(LINKED, CanonicalJson.write(CanonicalJson.parse(LINKED)));
    }

    @Test
    void keysSortedByUtf8BytesAtEveryLevel() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("d", 1L);
        inner.put("c", List.of(Map.of("y", 1L, "x", 2L)));
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("b", inner);
        top.put("a", true);
        top.put("B", null);
        assertEquals("{\"B\":null,\"a\":true,\"b\":{\"c\":[{\"x\":2,\"y\":1}],\"d\":1}}", CanonicalJson.write(top));
        // U+FFFF (EF BF BF) sorts before U+1F600 (F0 9F 98 80) in UTF-8, unlike Java's UTF-16 compareTo.
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("\ud83d\ude00", 1L);
        m.put("\uffff", 2L);
        assertEquals("{\"\uffff\":2,\"\ud83d\ude00\":1}", CanonicalJson.write(m));
    }

    @Test
    void stringEscapesLikeSerdeJson() {
        String s = "\"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f é 😀";
        assertEquals("\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f\u007f é 😀\"", CanonicalJson.write(s));
        assertEquals(s, CanonicalJson.parse(CanonicalJson.write(s)));
        assertEquals("\u00e9/", CanonicalJson.parse("\"\\u00E9\\/\""));
    }

    @Test
    void numbers() {
        assertEquals("[0,-1,9223372036854775807,18446744073709551616,7]", CanonicalJson.write(
                List.of(0L, -1L, Long.MAX_VALUE, new BigInteger("18446744073709551616"), 7)));
        assertEquals(Long.valueOf(10), CanonicalJson.parse("10"));
        assertEquals(new BigInteger("18446744073709551616"), CanonicalJson.parse("18446744073709551616"));
        assertEquals(Double.valueOf(1.0), CanonicalJson.parse("1.0"));
        assertEquals(Double.valueOf(100.0), CanonicalJson.parse("1e2"));
        assertEquals(Double.valueOf(-0.5), CanonicalJson.parse("-5E-1"));
    }

    @Test
    void floatsInRyuForm() {
        String[][] cases = {
            {"1.0", "1.0"}, {"1e-7", "1e-7"}, {"0.1", "0.1"}, {"1.5e300", "1.5e300"}, {"-2.5", "-2.5"},
            {"0.0", "0.0"}, {"-0.0", "-0.0"}, {"123.456", "123.456"}, {"0.001", "0.001"}, {"1e-5", "0.00001"},
            {"1e-6", "1e-6"}, {"1e15", "1000000000000000.0"}, {"1e16", "1e16"}, {"1.234e16", "1.234e16"},
            {"9007199254740992", "9007199254740992.0"}, {"1e23", "1e23"}, {"8.41e21", "8.41e21"},
            {"2.82879384806159e17", "2.82879384806159e17"}, {"5e-324", "5e-324"},
            {"1.7976931348623157e308", "1.7976931348623157e308"}, {"0.3", "0.3"}, {"123456.789e-10", "0.0000123456789"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], CanonicalJson.formatDouble(Double.parseDouble(c[0])), c[0]);
            assertEquals(Double.parseDouble(c[0]), (Double) CanonicalJson.parse(c[1]), c[1]);
        }
        assertEquals("null", CanonicalJson.formatDouble(Double.NaN));
        assertEquals("null", CanonicalJson.formatDouble(Double.POSITIVE_INFINITY));
        assertEquals("[1.0,0.5]", CanonicalJson.write(Arrays.asList(1.0, 0.5f)));
    }

    @Test
    void parseRejectsMalformed() {
        for (String bad : new String[] {"", "{", "[1,]", "01", "\"\\x\"", "{\"a\" 1}", "tru", "1.", "1e", "-", "\"a", "[1] 2", "\"\u0001\"", "{1:2}"}) {
            assertThrows(OdfFormatException.class, () -> CanonicalJson.parse(bad), bad);
        }
        assertThrows(OdfFormatException.class, () -> CanonicalJson.parse("[".repeat(500) + "]".repeat(500)));
    }

    @Test
    void compactParseRoundTrip() {
        String text = "{\"a\":[1,2.5,\"x\",true,false,null,{}],\"b\":{\"c\":[]}}";
        assertEquals(text, CanonicalJson.write(CanonicalJson.parse(" { \"b\" : { \"c\" : [ ] } , \"a\" : [1, 2.5, \"x\", true, false, null, {}] } ")));
    }
}
