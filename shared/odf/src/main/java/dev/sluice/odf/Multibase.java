package dev.sluice.odf;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;

/** Multibase text encodings used by ODF: base16 ('f', 'F' accepted) and base58btc ('z'). */
public final class Multibase {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private Multibase() {}

    public static String encodeBase16(byte[] bytes) {
        return "f" + hex(bytes);
    }

    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    public static String encodeBase58Btc(byte[] bytes) {
        int zeros = 0;
        while (zeros < bytes.length && bytes[zeros] == 0) zeros++;
        StringBuilder sb = new StringBuilder();
        BigInteger n = new BigInteger(1, bytes);
        BigInteger base = BigInteger.valueOf(58);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(base);
            sb.append(B58.charAt(qr[1].intValue()));
            n = qr[0];
        }
        for (int i = 0; i < zeros; i++) sb.append('1');
        return "z" + sb.reverse();
    }

    /** Decodes any supported multibase string; throws {@link OdfFormatException} naming the problem. */
    public static byte[] decode(String text) {
        if (text == null || text.isEmpty()) throw new OdfFormatException("empty multibase string");
        char prefix = text.charAt(0);
        String body = text.substring(1);
        switch (prefix) {
            case 'f':
            case 'F':
                return decodeHex(body, text);
            case 'z':
                return decodeBase58(body, text);
            default:
                throw new OdfFormatException("unsupported multibase prefix '" + printable(prefix) + "' in " + shorten(text));
        }
    }

    static byte[] decodeHex(String body, String whole) {
        if (body.length() % 2 != 0) throw new OdfFormatException("odd number of hex digits in " + shorten(whole));
        byte[] out = new byte[body.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(body.charAt(2 * i), 16);
            int lo = Character.digit(body.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) throw new OdfFormatException("invalid hex digit in " + shorten(whole));
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    private static byte[] decodeBase58(String body, String whole) {
        BigInteger n = BigInteger.ZERO;
        BigInteger base = BigInteger.valueOf(58);
        int zeros = 0;
        while (zeros < body.length() && body.charAt(zeros) == '1') zeros++;
        for (int i = 0; i < body.length(); i++) {
            int d = B58.indexOf(body.charAt(i));
            if (d < 0) throw new OdfFormatException("invalid base58 character in " + shorten(whole));
            n = n.multiply(base).add(BigInteger.valueOf(d));
        }
        byte[] raw = n.signum() == 0 ? new byte[0] : n.toByteArray();
        if (raw.length > 1 && raw[0] == 0) raw = Arrays.copyOfRange(raw, 1, raw.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < zeros; i++) out.write(0);
        out.writeBytes(raw);
        return out.toByteArray();
    }

    static String shorten(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 80 ? "'" + clean.substring(0, 77) + "...'" : "'" + clean + "'";
    }

    private static String printable(char c) {
        return Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
