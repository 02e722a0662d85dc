package dev.sluice.data.read;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Allocation-free parsers over UTF-8/ASCII bytes. Each either returns the value or throws {@link Fail}
 * (which carries only the "as TYPE" part; the caller adds row, column and value). Leading/trailing ASCII spaces and
 * tabs are ignored for every non-string type.
 */
final class Parse {
    private Parse() {}

    static final Fail NOT_INT = Fail.as("as an integer");

    /** A date's bytes read as a long and a short, to compare with the previous one at once. */
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };

    static boolean isSpace(byte c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Signed 64-bit integer: {@code [+-]digits}, also accepting a fraction of zeros ({@code 12.0}) since the value is
     * still integral. {@code what} is the message suffix for failures.
     */
    static long int64(byte[] b, int off, int len, Fail what) throws Fail {
        if (len > 0 && len <= 18) {
            // Common case: only digits, too few to overflow.
            long acc = 0;
            int k = off, end = off + len;
            for (; k < end; k++) {
                int d = b[k] - '0';
                if (d < 0 || d > 9) break;
                acc = acc * 10 + d;
            }
            if (k == end) return acc;
        }
        int i = off, end = off + len;
        while (i < end && isSpace(b[i])) i++;
        while (end > i && isSpace(b[end - 1])) end--;
        if (i == end) throw what;
        boolean neg = false;
        byte c = b[i];
        if (c == '-' || c == '+') {
            neg = c == '-';
            if (++i == end) throw what;
        }
        // accumulate negatively so Long.MIN_VALUE parses
        long acc = 0;
        int start = i;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) break;
            if (acc < -922337203685477580L || (acc == -922337203685477580L && d > (neg ? 8 : 7))) throw what;
            acc = acc * 10 - d;
        }
        if (i == start) throw what;
        if (i < end) {
            if (b[i] != '.') throw what;
            for (i++; i < end; i++) if (b[i] != '0') throw what;
        }
        return neg ? acc : -acc;
    }

    /** Unsigned 64-bit integer, returned as the same bits in a long. */
    static long uint64(byte[] b, int off, int len, Fail what) throws Fail {
        int i = off, end = off + len;
        while (i < end && isSpace(b[i])) i++;
        while (end > i && isSpace(b[end - 1])) end--;
        if (i < end && b[i] == '+') i++;
        if (i == end) throw what;
        long acc = 0;
        int start = i;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) break;
            if (Long.compareUnsigned(acc, Long.divideUnsigned(-1L, 10)) > 0) throw what;
            long next = acc * 10 + d;
            if (Long.compareUnsigned(next, acc * 10) < 0) throw what;
            acc = next;
        }
        if (i == start) throw what;
        if (i < end) {
            if (b[i] != '.') throw what;
            for (i++; i < end; i++) if (b[i] != '0') throw what;
        }
        return acc;
    }

    /** A decimal floating-point number (also NaN, inf, infinity with sign, case-insensitive). */
    static double float64(byte[] b, int off, int len, Fail what) throws Fail {
        {
            // Common case: [-]digits[.digits] with at most 15 digits: exact in a double, and one correctly rounded
            // division by an exact power of ten gives the nearest double (Clinger's fast path).
            int k = off, end = off + len;
            boolean neg = k < end && b[k] == '-';
            if (neg) k++;
            long m = 0;
            int start = k;
            for (; k < end; k++) {
                int d = b[k] - '0';
                if (d < 0 || d > 9) break;
                m = m * 10 + d;
            }
            int digits = k - start;
            int frac = 0;
            if (k < end && b[k] == '.') {
                int fs = ++k;
                for (; k < end; k++) {
                    int d = b[k] - '0';
                    if (d < 0 || d > 9) break;
                    m = m * 10 + d;
                }
                frac = k - fs;
                digits += frac;
            }
            if (k == end && digits > 0 && digits <= 15) {
                double v = frac == 0 ? (double) m : (double) m / POW10[frac];
                return neg ? -v : v;
            }
        }
        int i = off, end = off + len;
        while (i < end && isSpace(b[i])) i++;
        while (end > i && isSpace(b[end - 1])) end--;
        if (i == end) throw what;
        int s0 = i;
        boolean neg = false;
        if (b[i] == '-' || b[i] == '+') {
            neg = b[i] == '-';
            if (++i == end) throw what;
        }
        byte c0 = b[i];
        if (c0 == 'n' || c0 == 'N' || c0 == 'i' || c0 == 'I') {
            String w = new String(b, i, end - i, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            if (w.equals("nan")) return Double.NaN;
            if (w.equals("inf") || w.equals("infinity")) return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            throw what;
        }
        long m = 0;
        int digits = 0; // significant digits in m
        int exp = 0;
        boolean any = false;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) break;
            any = true;
            if (digits < 19) {
                if (m != 0 || d != 0) digits++;
                m = m * 10 + d;
            } else {
                exp++;
                digits++;
            }
        }
        if (i < end && b[i] == '.') {
            for (i++; i < end; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) break;
                any = true;
                if (digits < 19) {
                    if (m != 0 || d != 0) digits++;
                    m = m * 10 + d;
                    exp--;
                } else {
                    digits++;
                }
            }
        }
        if (!any) throw what;
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean eneg = false;
            if (i < end && (b[i] == '-' || b[i] == '+')) {
                eneg = b[i] == '-';
                i++;
            }
            int e = 0;
            int es = i;
            for (; i < end; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) break;
                if (e < 100000) e = e * 10 + d;
            }
            if (es == i) throw what;
            exp += eneg ? -e : e;
        }
        if (i != end) throw what;
        if (digits <= 15 && exp >= -22 && exp <= 22) {
            double v = (double) m;
            v = exp < 0 ? v / POW10[-exp] : v * POW10[exp];
            return neg ? -v : v;
        }
        // rare: long mantissa or large exponent; the grammar is already validated
        return Double.parseDouble(new String(b, s0, end - s0, StandardCharsets.ISO_8859_1));
    }

    static boolean bool(byte[] b, int off, int len, Fail what) throws Fail {
        int i = off, end = off + len;
        while (i < end && isSpace(b[i])) i++;
        while (end > i && isSpace(b[end - 1])) end--;
        int n = end - i;
        if (n == 4 && (b[i] | 0x20) == 't' && (b[i + 1] | 0x20) == 'r' && (b[i + 2] | 0x20) == 'u' && (b[i + 3] | 0x20) == 'e') return true;
        if (n == 5 && (b[i] | 0x20) == 'f' && (b[i + 1] | 0x20) == 'a' && (b[i + 2] | 0x20) == 'l' && (b[i + 3] | 0x20) == 's'
                && (b[i + 4] | 0x20) == 'e') return false;
        throw what;
    }

    // ---- dates and times ---------------------------------------------------------------------------------------

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
    static long epochDay(long y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    private static int daysInMonth(long y, int m) {
        switch (m) {
            case 2:
                return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
            case 4: case 6: case 9: case 11:
                return 30;
            default:
                return 31;
        }
    }

    private static int d2(byte[] b, int i) {
        int a = b[i] - '0', c = b[i + 1] - '0';
        if (a < 0 || a > 9 || c < 0 || c > 9) return -1;
        return a * 10 + c;
    }

    /**
     * RFC 3339 / ISO 8601 instant: {@code YYYY-MM-DD}, optionally followed by {@code T} or a space and
     * {@code HH:MM[:SS[.fraction]]}, optionally followed by {@code Z} or an offset {@code ±HH[:MM]}/{@code ±HHMM}
     * (no offset = UTC). Date-only is midnight UTC. Writes epoch seconds to out[0] and nanoseconds to out[1].
     */
    static void timestamp(byte[] b, int off, int len, long[] out, Fail what) throws Fail {
        timestamp(b, off, len, out, what, null);
    }

    /**
     * The last date part parsed by a column ({@code YYYY-MM-DD} as raw bytes and its epoch seconds): consecutive
     * timestamps mostly share the day, which then needs no parsing.
     */
    static final class LastDate {
        boolean set;
        long first8;
        short last2;
        long secs;
    }

    /** {@link #timestamp(byte[], int, int, long[], Fail)} reusing the date of the previous value when it is the same. */
    static void timestamp(byte[] b, int off, int len, long[] out, Fail what, LastDate last) throws Fail {
        int i = off, end = off + len;
        while (i < end && isSpace(b[i])) i++;
        while (end > i && isSpace(b[end - 1])) end--;
        // date
        if (end - i < 10) throw what;
        long secs;
        long first8 = (long) LONG.get(b, i);
        short last2 = (short) SHORT.get(b, i + 8);
        if (last != null && last.set && first8 == last.first8 && last2 == last.last2) {
            secs = last.secs;
        } else {
            int y0 = d2(b, i), y1 = d2(b, i + 2);
            if (y0 < 0 || y1 < 0 || b[i + 4] != '-' || b[i + 7] != '-') throw what;
            long y = y0 * 100 + y1;
            int mo = d2(b, i + 5), d = d2(b, i + 8);
            if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw what;
            secs = epochDay(y, mo, d) * 86400L;
            if (last != null) {
                last.first8 = first8;
                last.last2 = last2;
                last.secs = secs;
                last.set = true;
            }
        }
        i += 10;
        long nanos = 0;
        if (i < end) {
            byte sep = b[i];
            if (sep != 'T' && sep != 't' && sep != ' ') throw what;
            i++;
            if (end - i < 5) throw what;
            int h = d2(b, i), mi = d2(b, i + 3);
            if (h < 0 || h > 23 || b[i + 2] != ':' || mi < 0 || mi > 59) throw what;
            i += 5;
            int s = 0;
            if (i < end && b[i] == ':') {
                if (end - i < 3) throw what;
                s = d2(b, i + 1);
                if (s < 0 || s > 60) throw what;
                if (s == 60) s = 59; // leap second: clamp
                i += 3;
                if (i < end && (b[i] == '.' || b[i] == ',')) {
                    i++;
                    int nd = 0;
                    int st = i;
                    for (; i < end; i++) {
                        int dg = b[i] - '0';
                        if (dg < 0 || dg > 9) break;
                        if (nd < 9) {
                            nanos = nanos * 10 + dg;
                            nd++;
                        }
                    }
                    if (i == st) throw what;
                    for (; nd < 9; nd++) nanos *= 10;
                }
            }
            secs += h * 3600L + mi * 60L + s;
            if (i < end && b[i] == ' ') i++;
            if (i < end) {
                byte z = b[i];
                if ((z == 'Z' || z == 'z') && i + 1 == end) {
                    i++;
                } else if ((z == 'U') && end - i == 3 && b[i + 1] == 'T' && b[i + 2] == 'C') {
                    i = end;
                } else if (z == '+' || z == '-') {
                    i++;
                    if (end - i < 2) throw what;
                    int oh = d2(b, i);
                    int om = 0;
                    i += 2;
                    if (i < end) {
                        if (b[i] == ':') i++;
                        if (end - i != 2) throw what;
                        om = d2(b, i);
                        i += 2;
                    }
                    if (oh < 0 || oh > 23 || om < 0 || om > 59) throw what;
                    int off0 = oh * 3600 + om * 60;
                    secs -= z == '+' ? off0 : -off0;
                } else {
                    throw what;
                }
            }
        }
        if (i != end) throw what;
        out[0] = secs;
        out[1] = nanos;
    }

    /** {@code YYYY-MM-DD} (a full timestamp is accepted too and truncated to its UTC day). */
    static int date(byte[] b, int off, int len, long[] tmp, Fail what) throws Fail {
        timestamp(b, off, len, tmp, what);
        return Math.toIntExact(Math.floorDiv(tmp[0], 86400L));
    }

    /** {@code HH:MM[:SS[.fraction]]} as nanoseconds of the day. */
    static long timeOfDay(byte[] b, int off, int len, Fail what) throws Fail {
        int i = off, end = off + len;
        while (i < end && isSpace(b[i])) i++;
        while (end > i && isSpace(b[end - 1])) end--;
        if (end - i < 5) throw what;
        int h = d2(b, i), mi = d2(b, i + 3);
        if (h < 0 || h > 23 || b[i + 2] != ':' || mi < 0 || mi > 59) throw what;
        i += 5;
        long s = 0, nanos = 0;
        if (i < end) {
            if (b[i] != ':' || end - i < 3) throw what;
            s = d2(b, i + 1);
            if (s < 0 || s > 59) throw what;
            i += 3;
            if (i < end) {
                if (b[i] != '.') throw what;
                i++;
                int nd = 0, st = i;
                for (; i < end; i++) {
                    int dg = b[i] - '0';
                    if (dg < 0 || dg > 9) throw what;
                    if (nd < 9) {
                        nanos = nanos * 10 + dg;
                        nd++;
                    }
                }
                if (i == st) throw what;
                for (; nd < 9; nd++) nanos *= 10;
            }
        }
        return ((h * 60L + mi) * 60L + s) * 1_000_000_000L + nanos;
    }

    // ---- UTF-8 -------------------------------------------------------------------------------------------------

    /** Index of the first byte of an invalid UTF-8 sequence in b[off, off+len), or -1 when valid. */
    static int invalidUtf8(byte[] b, int off, int len) {
        int i = off, end = off + len;
        // fast ASCII skip
        while (i < end && b[i] >= 0) i++;
        while (i < end) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xFF;
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + n >= end) return i;
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) return i;
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
            i += n + 1;
        }
        return -1;
    }
}
