package dev.sluice.data.read;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Generated CSV rows (timestamp, bigint, varchar, double, bigint, varchar), produced on the fly as an InputStream. */
class CsvGen extends InputStream {
    private final long rows;
    private long row;
    private byte[] cur = new byte[0];
    private int at;
    private final StringBuilder sb = new StringBuilder(128);

    CsvGen(long rows) {
        this.rows = rows;
    }

    static String line(long i) {
        StringBuilder sb = new StringBuilder();
        append(sb, i);
        return sb.toString();
    }

    static void append(StringBuilder sb, long i) {
        long ms = 1_700_000_000_000L + i * 1000 + (i % 1000);
        java.time.Instant t = java.time.Instant.ofEpochMilli(ms);
        sb.append(t).append(',').append(i).append(",player_").append(i % 9973).append(',')
                .append((i % 100_000) / 8.0).append(',').append(i * 31 % 1_000_003).append(",team ")
                .append((char) ('a' + i % 26)).append(i % 97).append('\n');
    }

    /** The whole generated body in memory. */
    static byte[] bytes(long rows) {
        try {
            return new CsvGen(rows).readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (at == cur.length) {
            if (row >= rows) return -1;
            sb.setLength(0);
            for (int k = 0; k < 1000 && row < rows; k++) append(sb, row++);
            cur = sb.toString().getBytes(StandardCharsets.UTF_8);
            at = 0;
        }
        int n = Math.min(len, cur.length - at);
        System.arraycopy(cur, at, b, off, n);
        at += n;
        return n;
    }
}
