package dev.sluice.odf.codec;

import dev.sluice.odf.OdfFormatException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON text exactly as Rust {@code serde_json::to_string} writes kamu's ExtraAttributes (a BTreeMap of
 * {@code serde_json::Value}): compact, object keys sorted by UTF-8 byte order at every level, serde_json's
 * string escapes, ryu-style shortest floats. The text is hashed as part of a block, so every byte matters.
 *
 * <p>Values: {@link Map} (String keys), {@link List}, {@link String}, integral {@link Number}s (Long, Integer,
 * BigInteger, ...), {@link Double} (Float/BigDecimal are widened to double), {@link Boolean}, {@code null}.
 * The parser returns Map (insertion-ordered), List, String, Long (BigInteger when out of range), Double,
 * Boolean, null. Integral numbers must be Long (not Integer) for decoded attributes to equal the originals.
 */
public final class CanonicalJson {
    /** serde_json's default recursion limit; also protects the parser against stack exhaustion. */
    private static final int MAX_DEPTH = 128;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Byte-wise UTF-8 order equals code point order (String.compareTo differs for surrogate pairs). */
    public static final Comparator<String> UTF8_ORDER = (a, b) -> {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private CanonicalJson() {}

    /** Serializes a JSON value (see class comment for accepted types). */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("JSON value nested too deeply");
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            writeString(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            sb.append(v);
        } else if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            sb.append(formatDouble(((Number) v).doubleValue()));
        } else if (v instanceof Map<?, ?> m) {
            // Sort a copy by UTF-8 order, as serde_json's BTreeMap-backed Map does.
            TreeMap<String, Object> sorted = new TreeMap<>(UTF8_ORDER);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) throw new IllegalArgumentException("JSON object key must be a String: " + e.getKey());
                sorted.put(k, e.getValue());
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                writeString(sb, e.getKey());
                sb.append(':');
                write(sb, e.getValue(), depth + 1);
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(',');
                write(sb, l.get(i), depth + 1);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    /** serde_json escapes only '"', '\\' and U+0000..U+001F; '/', U+007F and non-ASCII are written raw. */
    static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /**
     * Formats a double like serde_json (ryu): shortest round-trip digits; plain notation when the decimal
     * exponent is in ryu's range ({@code 1.0}, {@code 0.001}, {@code 1000000000000000.0}), otherwise
     * {@code 1e-7} / {@code 1.5e300}. Non-finite values become {@code null}, as serde_json writes them.
     */
    public static String formatDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) return "null";
        boolean neg = (Double.doubleToRawLongBits(d) & Long.MIN_VALUE) != 0;
        if (d == 0) return neg ? "-0.0" : "0.0";
        BigDecimal exact = new BigDecimal(Math.abs(d));
        BigDecimal shortest = null;
        // Fewest significant digits that still parse back to the same double (the closest such decimal).
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == Math.abs(d)) {
                shortest = r;
                break;
            }
        }
        if (shortest == null) shortest = exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int length = digits.length();
        int k = -shortest.scale(); // value = digits * 10^k
        int kk = length + k; // 10^(kk-1) <= value < 10^kk
        StringBuilder sb = new StringBuilder();
        if (neg) sb.append('-');
        if (k >= 0 && kk <= 16) {
            sb.append(digits).append("0".repeat(k)).append(".0");
        } else if (kk > 0 && kk <= 16) {
            sb.append(digits, 0, kk).append('.').append(digits, kk, length);
        } else if (kk > -5 && kk <= 0) {
            sb.append("0.").append("0".repeat(-kk)).append(digits);
        } else if (length == 1) {
            sb.append(digits).append('e').append(kk - 1);
        } else {
            sb.append(digits.charAt(0)).append('.').append(digits, 1, length).append('e').append(kk - 1);
        }
        return sb.toString();
    }

    /** Parses JSON text; throws {@link OdfFormatException} on malformed input. */
    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.pos != text.length()) throw p.error("trailing characters");
        return v;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        OdfFormatException error(String msg) {
            return new OdfFormatException("invalid JSON: " + msg + " at position " + pos);
        }

        void ws() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
                else break;
            }
        }

        char peek() {
            if (pos >= s.length()) throw error("unexpected end");
            return s.charAt(pos);
        }

        void expect(String word) {
            if (!s.startsWith(word, pos)) throw error("expected '" + word + "'");
            pos += word.length();
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) throw error("nested too deeply");
            char c = peek();
            switch (c) {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                    return string();
                case 't':
                    expect("true");
                    return Boolean.TRUE;
                case 'f':
                    expect("false");
                    return Boolean.FALSE;
                case 'n':
                    expect("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return number();
                    throw error("unexpected character '" + c + "'");
            }
        }

        Map<String, Object> object(int depth) {
            pos++; // '{'
            Map<String, Object> m = new LinkedHashMap<>();
            ws();
            if (peek() == '}') {
                pos++;
                return m;
            }
            while (true) {
                ws();
                if (peek() != '"') throw error("expected object key");
                String k = string();
                ws();
                if (peek() != ':') throw error("expected ':'");
                pos++;
                ws();
                m.put(k, value(depth + 1));
                ws();
                char c = peek();
                pos++;
                if (c == '}') return m;
                if (c != ',') throw error("expected ',' or '}'");
            }
        }

        List<Object> array(int depth) {
            pos++; // '['
            List<Object> l = new ArrayList<>();
            ws();
            if (peek() == ']') {
                pos++;
                return l;
            }
            while (true) {
                ws();
                l.add(value(depth + 1));
                ws();
                char c = peek();
                pos++;
                if (c == ']') return l;
                if (c != ',') throw error("expected ',' or ']'");
            }
        }

        String string() {
            pos++; // opening quote
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = peek();
                pos++;
                if (c == '"') return sb.toString();
                if (c < 0x20) throw error("control character in string");
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = peek();
                pos++;
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) throw error("truncated \\u escape");
                        int cp = 0;
                        for (int i = 0; i < 4; i++) {
                            int h = Character.digit(s.charAt(pos + i), 16);
                            if (h < 0) throw error("bad \\u escape");
                            cp = cp * 16 + h;
                        }
                        pos += 4;
                        sb.append((char) cp);
                    }
                    default -> throw error("bad escape '\\" + e + "'");
                }
            }
        }

        Object number() {
            int start = pos;
            if (s.charAt(pos) == '-') pos++;
            boolean integral = true;
            int intStart = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) pos++;
            if (pos == intStart) throw error("bad number");
            if (s.charAt(intStart) == '0' && pos - intStart > 1) throw error("leading zero in number");
            if (pos < s.length() && s.charAt(pos) == '.') {
                integral = false;
                pos++;
                int fs = pos;
                while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') pos++;
                if (pos == fs) throw error("bad fraction");
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
                int es = pos;
                while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') pos++;
                if (pos == es) throw error("bad exponent");
            }
            String t = s.substring(start, pos);
            if (integral) {
                BigInteger bi = new BigInteger(t);
                return bi.bitLength() < 64 ? (Object) bi.longValue() : bi;
            }
            return Double.parseDouble(t);
        }
    }
}
