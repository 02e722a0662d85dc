package dev.sluice.data.read;

import dev.sluice.odf.ReadStep;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Streaming byte-level CSV reader (RFC 4180 plus the ODF {@code Csv} options). The input is scanned in place in a
 * growable byte buffer (1 MiB to start, at most {@code maxRecordBytes} per record); fields are converted straight from
 * the bytes into the column vectors — only string columns copy bytes, numbers and timestamps are parsed from the
 * buffer.
 *
 * <p>Rules: records end at {@code \n}, {@code \r\n} or {@code \r}; blank lines are skipped; a field starting with the
 * quote character is quoted and may hold separators, newlines, doubled quotes ({@code ""}) and, when an escape
 * character other than the quote is set, escaped characters ({@code \"}, {@code \\}: the escape makes the next
 * character literal); after a closing quote only a separator or the end of the record may follow. An unquoted field
 * equal to {@code nullValue} is null; a quoted one is null only for non-string columns (so {@code ""} is an empty
 * string). With {@code header=true} the first record names the columns, matched to the schema by name
 * (exactly, else case-insensitively); missing or extra columns are an error. Without a schema the columns are named
 * from the header or {@code column_1..n} and are nullable strings, or, with {@code inferSchema}, typed from the first
 * {@value #INFER_ROWS} data rows as kamu does (fewer if they take more than {@value #INFER_BYTES} bytes; the sample is
 * kept in memory and read again; see {@link InferredType.Text}).
 * Input that is empty (no bytes, or only blank lines) is an error; a header with no data rows gives no batches.
 */
final class CsvReader extends BaseReader {
    private static final int INITIAL_BUFFER = 1 << 20;
    static final int INFER_ROWS = 1000;
    static final int INFER_BYTES = 8 << 20;

    private final ReadStep.Csv step;
    private final Schema target; // null: infer
    private final int maxRecordBytes;
    private final InputStream src;

    private byte sep, quote, esc;
    private boolean hasQuote, hasEsc;
    private byte[] nullBytes;
    private boolean header;
    private Sink.Formats formats;

    private byte[] buf;
    private int pos, limit;
    private boolean eof;
    private long base; // input offset of buf[0]

    private int[] fs = new int[64];
    private int[] fe = new int[64];
    private byte[] fl = new byte[64];

    private Sink[] byCol; // sink per CSV column position
    private int ncols;
    private long dataRows; // data rows parsed (1-based row number of the next row = dataRows + 1)

    CsvReader(ReadStep.Csv step, InputStream in, Schema target, ReadOptions o) {
        super(in, o);
        this.step = step;
        this.target = target;
        this.maxRecordBytes = o.maxRecordBytes;
        this.src = in;
        this.buf = new byte[Math.min(INITIAL_BUFFER, maxRecordBytes)];
    }

    private InputStream input;

    @Override
    protected void start() throws IOException {
        sep = singleByte(step.separator(), ",", "separator", false);
        String q = step.quote() == null ? "\"" : step.quote();
        hasQuote = !q.isEmpty();
        quote = hasQuote ? singleByte(q, "\"", "quote", false) : 0;
        String e = step.escape() == null ? "\\" : step.escape();
        hasEsc = !e.isEmpty() && !e.equals(q);
        esc = hasEsc ? singleByte(e, "\\", "escape", false) : 0;
        if (hasQuote && quote == sep) throw new BadInputException("CSV quote and separator must differ");
        if (hasEsc && esc == sep) throw new BadInputException("CSV escape and separator must differ");
        nullBytes = (step.nullValue() == null ? "" : step.nullValue()).getBytes(StandardCharsets.UTF_8);
        header = Boolean.TRUE.equals(step.header());
        formats = Sink.Formats.of(step.dateFormat(), step.timestampFormat());
        input = Encodings.toUtf8(src, step.encoding());
        boolean infer = target == null && Boolean.TRUE.equals(step.inferSchema());
        ReplayInputStream sampled = infer ? new ReplayInputStream(input) : null;
        if (infer) input = sampled;

        int nf = firstRecord();
        InferredType.Text[] types = null;
        if (infer) {
            types = sample(nf, sampled);
            // read again from the first byte, the sample included
            input = sampled.rewind();
            pos = limit = 0;
            base = 0;
            eof = false;
            dataRows = 0;
            nf = firstRecord();
        }
        List<String> names = null;
        if (header) {
            names = new ArrayList<>(nf);
            for (int i = 0; i < nf; i++) {
                int end = (fl[i] & 2) != 0 ? unescape(fs[i], fe[i]) : fe[i];
                int bad = Parse.invalidUtf8(buf, fs[i], end - fs[i]);
                if (bad >= 0) throw new BadInputException("CSV header: invalid UTF-8 at byte " + (base + bad));
                names.add(new String(buf, fs[i], end - fs[i], StandardCharsets.UTF_8));
            }
        }
        Schema schema = target;
        if (schema == null) {
            List<Field> fsl = new ArrayList<>();
            Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < nf; i++) {
                String n = header ? names.get(i) : "column_" + (i + 1);
                if (!seen.add(n)) throw new BadInputException("CSV header: duplicate column \"" + n + "\"");
                fsl.add(types != null ? types[i].toField(n) : new Field(n, FieldType.nullable(ArrowType.Utf8.INSTANCE), null));
            }
            schema = new Schema(fsl);
        }
        init(schema);
        List<FieldVector> vs = root.getFieldVectors();
        Sink[] sinks = new Sink[vs.size()];
        for (int i = 0; i < sinks.length; i++) {
            sinks[i] = Sink.staged(vs.get(i), formats);
            if (sinks[i] == null) {
                throw new BadInputException("column \"" + vs.get(i).getName() + "\": CSV cannot hold values of type " + vs.get(i).getField().getType());
            }
        }
        if (!header) {
            ncols = sinks.length;
            byCol = sinks;
            // the first record is data: rewind to it
            pos = recordStart;
        } else {
            ncols = names.size();
            byCol = new Sink[ncols];
            Map<String, Integer> exact = new HashMap<>();
            Map<String, Integer> folded = new HashMap<>();
            for (int i = 0; i < ncols; i++) {
                if (exact.put(names.get(i), i) != null) throw new BadInputException("CSV header: duplicate column \"" + names.get(i) + "\"");
                folded.putIfAbsent(names.get(i).toLowerCase(java.util.Locale.ROOT), i);
            }
            Set<String> missing = new LinkedHashSet<>();
            for (Sink s : sinks) {
                Integer at = exact.get(s.name);
                if (at == null) at = folded.get(s.name.toLowerCase(java.util.Locale.ROOT));
                if (at == null || byCol[at] != null) missing.add(s.name);
                else byCol[at] = s;
            }
            Set<String> extra = new LinkedHashSet<>();
            for (int i = 0; i < ncols; i++) if (byCol[i] == null) extra.add(names.get(i));
            if (!missing.isEmpty() || !extra.isEmpty()) {
                StringBuilder m = new StringBuilder("CSV header does not match the schema:");
                if (!missing.isEmpty()) m.append(" missing column(s) ").append(list(missing));
                if (!missing.isEmpty() && !extra.isEmpty()) m.append(';');
                if (!extra.isEmpty()) m.append(" unexpected column(s) ").append(list(extra));
                throw new BadInputException(m.toString());
            }
        }
    }

    /** Skips a UTF-8 BOM and scans the first record (header or data); returns its field count. */
    private int firstRecord() throws IOException {
        fillMore();
        if (limit >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF) pos = 3;
        int nf = nextRecord(true);
        if (nf < 0) throw new BadInputException("empty input: no CSV records");
        return nf;
    }

    /** Learns the column types from the data rows that follow the first record (and the first, without a header). */
    private InferredType.Text[] sample(int nf, ReplayInputStream sampled) throws IOException {
        InferredType.Text[] types = new InferredType.Text[nf];
        for (int j = 0; j < nf; j++) types[j] = new InferredType.Text(formats);
        if (!header) pos = recordStart;
        for (int k = 0; k < INFER_ROWS && (k == 0 || sampled.recorded() <= INFER_BYTES); k++) {
            int n = nextRecord(false);
            if (n < 0) break;
            if (n != nf) throw new BadInputException("row " + (dataRows + 1) + ": expected " + nf + " columns, found " + n);
            for (int j = 0; j < n; j++) {
                int st = fs[j];
                int en = (fl[j] & 2) != 0 ? unescape(st, fe[j]) : fe[j];
                int len = en - st;
                // as read: a field equal to nullValue is null (quoted, it would stay a string only in a string column)
                if (len == nullBytes.length && java.util.Arrays.equals(buf, st, en, nullBytes, 0, len)) continue;
                types[j].learn(buf, st, len);
            }
            dataRows++;
        }
        return types;
    }

    private static String list(Set<String> names) {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            if (b.length() > 0) b.append(", ");
            if (b.length() > 200) {
                b.append("...");
                break;
            }
            b.append('"').append(n).append('"');
        }
        return b.toString();
    }

    private static byte singleByte(String v, String dflt, String what, boolean allowEmpty) {
        if (v == null) v = dflt;
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        if (b.length != 1 || b[0] == '\n' || b[0] == '\r') {
            throw new BadInputException("CSV " + what + " must be a single ASCII character other than a newline, got " + BadInputException.quote(v));
        }
        return b[0];
    }

    // ---- buffer ------------------------------------------------------------------------------------------------

    /** Reads more input after compacting; grows the buffer when one record fills it. */
    private void fillMore() throws IOException {
        if (eof) return;
        if (pos > 0 && pos == limit) {
            base += pos;
            pos = limit = 0;
        } else if (pos > 0 && limit == buf.length) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            base += pos;
            recordStart -= pos;
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            if (buf.length >= maxRecordBytes) {
                throw new BadInputException("row " + (dataRows + 1) + ": record longer than " + maxRecordBytes
                        + " bytes (unterminated quoted field?)");
            }
            buf = java.util.Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxRecordBytes));
        }
        int n = input.read(buf, limit, buf.length - limit);
        while (n == 0) n = input.read(buf, limit, buf.length - limit);
        if (n < 0) eof = true;
        else limit += n;
    }

    private int recordStart;

    /**
     * Scans the next record into fs/fe/fl, reading input as needed. Returns the field count, or -1 at the end of the
     * input. On return {@code pos} is after the record and {@code recordStart} at its first byte.
     */
    private int nextRecord(boolean isHeader) throws IOException {
        while (true) {
            int nf = scan(isHeader);
            if (nf >= 0) return nf;
            if (nf == -2) return -1;
            fillMore();
        }
    }

    /** One scan attempt from pos: field count, -1 = need more input, -2 = end of input. */
    private int scan(boolean isHeader) {
        final byte[] b = buf;
        final int lim = limit;
        final byte sep = this.sep;
        int p = pos;
        while (p < lim && (b[p] == '\n' || b[p] == '\r')) p++;
        if (p == lim) {
            pos = p;
            return eof ? -2 : -1;
        }
        recordStart = p;
        int nf = 0;
        while (true) {
            if (nf == fs.length) growFields();
            byte flag = 0;
            int s, e;
            if (hasQuote && p < lim && b[p] == quote) {
                flag = 1;
                s = ++p;
                while (true) {
                    if (p >= lim) {
                        if (eof) throw unterminated(isHeader, nf);
                        return -1;
                    }
                    byte c = b[p];
                    if (c == quote) {
                        if (p + 1 >= lim && !eof) return -1;
                        if (p + 1 < lim && b[p + 1] == quote) {
                            flag |= 2;
                            p += 2;
                            continue;
                        }
                        e = p++;
                        break;
                    }
                    if (hasEsc && c == esc) {
                        if (p + 1 >= lim) {
                            if (eof) throw unterminated(isHeader, nf);
                            return -1;
                        }
                        flag |= 2;
                        p += 2;
                        continue;
                    }
                    p++;
                }
                if (p < lim) {
                    byte c = b[p];
                    if (c != sep && c != '\n' && c != '\r') {
                        throw new BadInputException(where(isHeader) + ", column " + (nf + 1) + ": unexpected "
                                + BadInputException.quote(String.valueOf((char) (c & 0xFF))) + " after a closing quote");
                    }
                } else if (!eof) {
                    return -1;
                }
            } else {
                s = p;
                while (p < lim) {
                    byte c = b[p];
                    if (c == sep || c == '\n' || c == '\r') break;
                    p++;
                }
                e = p;
                if (p == lim && !eof) return -1;
            }
            fs[nf] = s;
            fe[nf] = e;
            fl[nf] = flag;
            nf++;
            if (p == lim) {
                pos = p;
                return nf;
            }
            byte c = b[p];
            if (c == sep) {
                p++;
                continue;
            }
            if (c == '\r') {
                if (p + 1 < lim) {
                    p++;
                    if (b[p] == '\n') p++;
                } else if (!eof) {
                    return -1;
                } else {
                    p++;
                }
            } else {
                p++;
            }
            pos = p;
            return nf;
        }
    }

    private String where(boolean isHeader) {
        return isHeader && header ? "CSV header" : "row " + (dataRows + 1);
    }

    private BadInputException unterminated(boolean isHeader, int field) {
        return new BadInputException(where(isHeader) + ", column " + (field + 1) + ": unterminated quoted field at end of input");
    }

    private void growFields() {
        int n = fs.length * 2;
        if (n > 1 << 20) throw new BadInputException("row " + (dataRows + 1) + ": more than " + (1 << 20) + " columns");
        fs = java.util.Arrays.copyOf(fs, n);
        fe = java.util.Arrays.copyOf(fe, n);
        fl = java.util.Arrays.copyOf(fl, n);
    }

    /** Removes quote doubling / escapes of a quoted field in place; returns the new end. */
    private int unescape(int s, int e) {
        byte[] b = buf;
        int w = s;
        for (int r = s; r < e; r++) {
            byte c = b[r];
            if ((hasEsc && c == esc) || (hasQuote && c == quote)) c = b[++r];
            b[w++] = c;
        }
        return w;
    }

    // ---- rows --------------------------------------------------------------------------------------------------

    @Override
    protected int fill(int max) throws IOException {
        int n = 0;
        final Sink[] sinks = byCol;
        final byte[] nul = nullBytes;
        final int nullLen = nul.length;
        while (n < max) {
            int nf = nextRecord(false);
            if (nf < 0) break;
            if (nf != ncols) {
                throw new BadInputException("row " + (dataRows + 1) + ": expected " + ncols + " columns, found " + nf);
            }
            final byte[] b = buf;
            for (int j = 0; j < nf; j++) {
                Sink s = sinks[j];
                int st = fs[j];
                int en = fe[j];
                byte flag = fl[j];
                if ((flag & 2) != 0) en = unescape(st, en);
                int len = en - st;
                if (len == nullLen && ((flag & 1) == 0 || !s.isText()) && (nullLen == 0 || java.util.Arrays.equals(b, st, en, nul, 0, nullLen))) {
                    if (!s.nullable) throw missing(s);
                    continue;
                }
                try {
                    s.set(n, b, st, len);
                } catch (Fail f) {
                    throw bad(s, f, st, len);
                }
            }
            n++;
            dataRows++;
        }
        for (Sink s : sinks) s.endBatch(n);
        return n;
    }

    private BadInputException missing(Sink s) {
        return new BadInputException("row " + (dataRows + 1) + ", column \"" + s.name + "\": missing value (column is not nullable)");
    }

    private BadInputException bad(Sink s, Fail f, int st, int len) {
        String v = BadInputException.quote(new String(buf, st, Math.min(len, 400), StandardCharsets.UTF_8));
        String msg = "row " + (dataRows + 1) + ", column \"" + s.name + "\": " + f.message(v);
        if (f.full && f.what.startsWith("invalid UTF-8")) msg += " near input byte " + (base + st);
        return new BadInputException(msg);
    }

    @Override
    protected void closeResources() throws IOException {
        if (input != null && input != src) input.close();
    }

    static Charset charset(String enc) {
        return Encodings.charset(enc);
    }
}
