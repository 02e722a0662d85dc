package dev.sluice.data.read;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@code EsriShapefile}: a zip archive holding a shapefile ({@code .shp} geometry + {@code .dbf} attributes, optional
 * {@code .cpg} encoding), as kamu reads it: one row per record, the dBase fields as columns and the shape as the
 * String column {@value GeoJsonReader#GEOMETRY} holding GeoJSON geometry text (Point / MultiPoint, lines as
 * MultiLineString and polygons as MultiPolygon like kamu's shapefile → geo-types conversion; holes go to the outer
 * ring that contains them; Z kept, M dropped; a Null shape is a null geometry). The archive is spooled to a temporary
 * file (a zip's directory is at its end); the two members are then streamed side by side.
 *
 * <p>The {@code .shp} is the only one in the archive or the one {@code subPath} names (exact member path, else a glob
 * such as {@code data/*.shp}). Field types without a schema: C → String, N → Int64 (no decimals, at most 18 digits)
 * or Float64, F → Float64, L → Bool, D → Date, I → Int64; other dBase types are refused. Text is decoded with the
 * {@code .cpg} charset, else as UTF-8 when valid and ISO-8859-1 otherwise. Records flagged deleted are skipped.
 * Errors name the record (1-based, as in the file) and field, e.g. {@code record 4, field "POP": cannot parse 'x' as
 * Int64}.
 */
final class ShapefileReader extends BaseReader {
    private final String subPath;
    private final Schema target;
    private final int maxRecordBytes;
    private Path tmp;
    private ZipFile zip;
    private InputStream shp, dbf;
    private String shpName, dbfName;
    private Charset charset; // null: UTF-8 if valid, else ISO-8859-1

    private DbfField[] fields;
    private long dbfRecords, dbfRead;
    private int dbfRecordLength;
    private long shpRemaining; // bytes of records left according to the .shp header
    private long record;       // 1-based number of the last record read

    private Sink[] sinkOfField; // by dbf field; null = not in the schema
    private Sink geometry;
    private byte[] dbfBuf;
    private byte[] shpBuf = new byte[256];
    private final StringBuilder geoText = new StringBuilder(256);

    ShapefileReader(String subPath, InputStream in, Schema target, ReadOptions o) {
        super(in, o);
        this.subPath = subPath == null || subPath.isBlank() ? null : subPath;
        this.target = target;
        this.maxRecordBytes = o.maxRecordBytes;
    }

    private record DbfField(String name, char type, int offset, int length, int decimals) {}

    // ---- opening -----------------------------------------------------------------------------------------------

    @Override
    protected void start() throws IOException {
        tmp = Files.createTempFile("sluice-ingest-", ".zip");
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        long size = Files.size(tmp);
        if (size == 0) throw new BadInputException("empty input: no EsriShapefile archive");
        try {
            zip = new ZipFile(tmp.toFile());
        } catch (ZipException e) {
            throw new BadInputException("EsriShapefile: not a readable zip archive (" + size + " bytes): " + e.getMessage(), e);
        }
        ZipEntry shpEntry = locateShp();
        shpName = shpEntry.getName();
        String stem = shpName.substring(0, shpName.length() - 4);
        ZipEntry dbfEntry = sibling(stem, ".dbf");
        if (dbfEntry == null) throw new BadInputException("EsriShapefile: " + quoteName(shpName) + " has no " + quoteName(stem + ".dbf") + " beside it");
        dbfName = dbfEntry.getName();
        ZipEntry cpg = sibling(stem, ".cpg");
        if (cpg != null) charset = cpgCharset(cpg);
        try {
            shp = new BufferedInputStream(zip.getInputStream(shpEntry), 1 << 16);
            dbf = new BufferedInputStream(zip.getInputStream(dbfEntry), 1 << 16);
            readShpHeader();
            readDbfHeader();
        } catch (ZipException e) {
            throw new BadInputException("EsriShapefile: corrupt zip member: " + e.getMessage(), e);
        }
        Schema schema = target != null ? target : inferredSchema();
        init(schema);
        bind();
    }

    private ZipEntry locateShp() {
        List<String> all = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            String n = e.getName();
            if (!e.isDirectory() && n.toLowerCase(Locale.ROOT).endsWith(".shp") && !n.startsWith("__MACOSX/")) all.add(n);
        }
        Collections.sort(all);
        if (subPath == null) {
            if (all.size() == 1) return zip.getEntry(all.get(0));
            if (all.isEmpty()) throw new BadInputException("EsriShapefile: the archive has no .shp file");
            throw new BadInputException("EsriShapefile: the archive has several .shp files " + names(all) + "; choose one with subPath");
        }
        ZipEntry exact = zip.getEntry(subPath);
        if (exact != null && !exact.isDirectory()) {
            if (!subPath.toLowerCase(Locale.ROOT).endsWith(".shp")) {
                throw new BadInputException("EsriShapefile: subPath " + quoteName(subPath) + " is not a .shp file");
            }
            return exact;
        }
        PathMatcher m;
        try {
            m = FileSystems.getDefault().getPathMatcher("glob:" + subPath);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("EsriShapefile: subPath " + quoteName(subPath) + " is not a valid glob: " + e.getMessage());
        }
        List<String> hits = all.stream().filter(n -> m.matches(Path.of(n))).toList();
        if (hits.size() == 1) return zip.getEntry(hits.get(0));
        if (hits.isEmpty()) {
            throw new BadInputException("EsriShapefile: no .shp file matches subPath " + quoteName(subPath)
                    + (all.isEmpty() ? " (the archive has none)" : " (the archive has " + names(all) + ")"));
        }
        throw new BadInputException("EsriShapefile: several .shp files match subPath " + quoteName(subPath) + ": " + names(hits));
    }

    private ZipEntry sibling(String stem, String ext) {
        ZipEntry e = zip.getEntry(stem + ext);
        if (e == null) e = zip.getEntry(stem + ext.toUpperCase(Locale.ROOT));
        if (e != null) return e;
        for (ZipEntry x : Collections.list(zip.entries())) {
            if (x.getName().equalsIgnoreCase(stem + ext)) return x;
        }
        return null;
    }

    private Charset cpgCharset(ZipEntry cpg) throws IOException {
        String name;
        try (InputStream s = zip.getInputStream(cpg)) {
            name = new String(s.readNBytes(64), StandardCharsets.US_ASCII).trim();
        }
        if (name.isEmpty()) return null;
        String n = name.toUpperCase(Locale.ROOT);
        if (n.equals("UTF8") || n.equals("UTF-8") || n.equals("65001")) return StandardCharsets.UTF_8;
        if (n.chars().allMatch(Character::isDigit)) n = (n.equals("88591") ? "ISO-8859-1" : "windows-" + n);
        try {
            return Charset.forName(n);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("EsriShapefile: unsupported encoding " + BadInputException.quote(name) + " in " + quoteName(cpg.getName()));
        }
    }

    private void readShpHeader() throws IOException {
        byte[] h = readFully(shp, 100, "the .shp header");
        ByteBuffer b = ByteBuffer.wrap(h);
        if (b.getInt(0) != 9994) throw new BadInputException("EsriShapefile: " + quoteName(shpName) + " is not a shapefile (bad file code)");
        shpRemaining = (b.getInt(24) & 0xFFFF_FFFFL) * 2 - 100;
        if (shpRemaining < 0) throw new BadInputException("EsriShapefile: " + quoteName(shpName) + " has an invalid length in its header");
    }

    private void readDbfHeader() throws IOException {
        byte[] h = readFully(dbf, 32, "the .dbf header");
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        dbfRecords = b.getInt(4) & 0xFFFF_FFFFL;
        int headerLength = b.getShort(8) & 0xFFFF;
        dbfRecordLength = b.getShort(10) & 0xFFFF;
        if (headerLength < 33 || dbfRecordLength < 1) throw new BadInputException("EsriShapefile: " + quoteName(dbfName) + " is not a dBase file (bad header)");
        byte[] desc = readFully(dbf, headerLength - 32, "the .dbf field descriptors");
        List<DbfField> fs = new ArrayList<>();
        int offset = 1; // after the deletion flag
        for (int at = 0; at + 32 <= desc.length && desc[at] != 0x0D; at += 32) {
            int end = at;
            while (end < at + 11 && desc[end] != 0) end++;
            String name = new String(desc, at, end - at, StandardCharsets.ISO_8859_1).trim();
            char type = (char) (desc[at + 11] & 0xFF);
            int len = desc[at + 16] & 0xFF;
            int dec = desc[at + 17] & 0xFF;
            if (type == 'C') len |= dec << 8; // long character fields keep the high byte in the decimal count
            fs.add(new DbfField(name, type, offset, len, type == 'C' ? 0 : dec));
            offset += len;
        }
        if (offset > dbfRecordLength) {
            throw new BadInputException("EsriShapefile: " + quoteName(dbfName) + " fields are longer than its records (" + offset + " > " + dbfRecordLength + " bytes)");
        }
        fields = fs.toArray(new DbfField[0]);
        dbfBuf = new byte[dbfRecordLength];
    }

    private Schema inferredSchema() {
        List<Field> out = new ArrayList<>();
        for (DbfField f : fields) {
            ArrowType t = switch (f.type) {
                case 'C' -> ArrowType.Utf8.INSTANCE;
                case 'N' -> f.decimals == 0 && f.length <= 18 ? new ArrowType.Int(64, true) : new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
                case 'F' -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
                case 'L' -> ArrowType.Bool.INSTANCE;
                case 'D' -> new ArrowType.Date(DateUnit.DAY);
                case 'I' -> new ArrowType.Int(64, true);
                default -> throw new BadInputException("EsriShapefile: field \"" + f.name + "\" of " + quoteName(dbfName) + " has dBase type '" + f.type
                        + "', which is not supported (C, N, F, L, D, I are)");
            };
            if (f.name.equals(GeoJsonReader.GEOMETRY)) continue; // the shape wins, as for GeoJSON properties
            out.add(new Field(f.name, FieldType.nullable(t), null));
        }
        out.add(new Field(GeoJsonReader.GEOMETRY, FieldType.nullable(ArrowType.Utf8.INSTANCE), null));
        return new Schema(out);
    }

    /** Connects dbf fields and the shape to the batch's columns. */
    private void bind() {
        sinkOfField = new Sink[fields.length];
        for (FieldVector v : root.getFieldVectors()) {
            String name = v.getName();
            Sink s = Sink.of(v, Sink.Formats.RFC3339);
            if (s == null) throw new BadInputException("column \"" + name + "\": EsriShapefile cannot hold values of type " + v.getField().getType());
            if (name.equals(GeoJsonReader.GEOMETRY)) {
                if (!s.isText() || !(v.getField().getType() instanceof ArrowType.Utf8 || v.getField().getType() instanceof ArrowType.LargeUtf8)) {
                    throw new BadInputException("column \"" + GeoJsonReader.GEOMETRY + "\" must be a String to hold the GeoJSON geometry, but the schema has " + s.kind);
                }
                geometry = s;
                continue;
            }
            int at = -1;
            for (int i = 0; i < fields.length && at < 0; i++) if (fields[i].name.equals(name)) at = i;
            for (int i = 0; i < fields.length && at < 0; i++) if (fields[i].name.equalsIgnoreCase(name)) at = i;
            if (at < 0 || sinkOfField[at] != null) {
                if (!s.nullable) throw new BadInputException("EsriShapefile: " + quoteName(dbfName) + " has no field \"" + name + "\" (column is not nullable)");
                continue; // stays null: vectors start with every row null
            }
            DbfField f = fields[at];
            if ("CNFLDI".indexOf(f.type) < 0) {
                throw new BadInputException("EsriShapefile: field \"" + f.name + "\" of " + quoteName(dbfName) + " has dBase type '" + f.type
                        + "', which is not supported (C, N, F, L, D, I are)");
            }
            sinkOfField[at] = s;
        }
    }

    // ---- records -----------------------------------------------------------------------------------------------

    @Override
    protected int fill(int max) throws IOException {
        int n = 0;
        while (n < max) {
            boolean moreShapes = shpRemaining >= 8;
            boolean moreRecords = dbfRead < dbfRecords;
            if (!moreShapes && !moreRecords) break;
            if (moreShapes != moreRecords) {
                throw new BadInputException("EsriShapefile: " + quoteName(shpName) + " and " + quoteName(dbfName) + " disagree: "
                        + (moreShapes ? "more shapes than the " + dbfRecords + " attribute records" : "only " + record + " shapes for " + dbfRecords + " attribute records"));
            }
            record++;
            int shapeLen = readShape();
            readFully(dbf, dbfBuf, dbfRecordLength, "record " + record + " of " + quoteName(dbfName));
            dbfRead++;
            if (dbfBuf[0] == '*') continue; // deleted
            if (dbfBuf[0] != ' ') throw new BadInputException("record " + record + ": bad deletion flag in " + quoteName(dbfName) + " (corrupt file?)");
            if (geometry != null) {
                if (shapeLen < 0) {
                    if (!geometry.nullable) throw new BadInputException("record " + record + ", geometry: null shape (column is not nullable)");
                    geometry.setNull(n);
                } else {
                    byte[] g = geoText.toString().getBytes(StandardCharsets.UTF_8);
                    try {
                        geometry.set(n, g, 0, g.length);
                    } catch (Fail f) {
                        throw new BadInputException("record " + record + ", geometry: " + f.message("'...'"));
                    }
                }
            }
            for (int i = 0; i < fields.length; i++) {
                Sink s = sinkOfField[i];
                if (s != null) value(fields[i], s, n);
            }
            n++;
        }
        return n;
    }

    private final long[] tmpDate = new long[2];

    private void value(DbfField f, Sink s, int row) {
        byte[] b = dbfBuf;
        int st = f.offset, en = f.offset + f.length;
        // dBase pads with spaces (numbers on the left, text on the right) and sometimes NULs
        while (st < en && (b[st] == ' ' || b[st] == 0)) st++;
        while (en > st && (b[en - 1] == ' ' || b[en - 1] == 0)) en--;
        byte[] v = b;
        int off = st, len = en - st;
        try {
            switch (f.type) {
                case 'N', 'F' -> {
                    if (len == 0 || allStars(b, st, en)) {
                        setNull(f, s, row);
                        return;
                    }
                }
                case 'L' -> {
                    byte c = len == 1 ? b[st] : (byte) '?';
                    if (c == 'T' || c == 't' || c == 'Y' || c == 'y') v = TRUE;
                    else if (c == 'F' || c == 'f' || c == 'N' || c == 'n') v = FALSE;
                    else {
                        setNull(f, s, row);
                        return;
                    }
                    off = 0;
                    len = v.length;
                }
                case 'D' -> {
                    if (len == 0 || allZeros(b, st, en)) {
                        setNull(f, s, row);
                        return;
                    }
                    if (len != 8) throw Fail.as("as a dBase date (YYYYMMDD)");
                    v = new byte[] {b[st], b[st + 1], b[st + 2], b[st + 3], '-', b[st + 4], b[st + 5], '-', b[st + 6], b[st + 7]};
                    Parse.date(v, 0, 10, tmpDate, Fail.as("as a dBase date (YYYYMMDD)"));
                    off = 0;
                    len = 10;
                }
                case 'I' -> {
                    if (f.length != 4) throw Fail.as("as a dBase integer (4 bytes)");
                    s.setLong(row, ByteBuffer.wrap(b, f.offset, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
                    return;
                }
                default -> { // 'C'
                    if (charset != null && charset != StandardCharsets.UTF_8) {
                        v = new String(b, st, len, charset).getBytes(StandardCharsets.UTF_8);
                        off = 0;
                        len = v.length;
                    } else if (charset == null && Parse.invalidUtf8(b, st, len) >= 0) {
                        v = new String(b, st, len, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8);
                        off = 0;
                        len = v.length;
                    }
                    if (len == 0) { // dBase has no null: a blank field is one
                        setNull(f, s, row);
                        return;
                    }
                }
            }
            s.set(row, v, off, len);
        } catch (Fail x) {
            String shown = BadInputException.quote(new String(b, f.offset, f.length, StandardCharsets.ISO_8859_1).strip());
            throw new BadInputException("record " + record + ", field \"" + f.name + "\": " + x.message(shown));
        }
    }

    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII), FALSE = "false".getBytes(StandardCharsets.US_ASCII);

    private void setNull(DbfField f, Sink s, int row) {
        if (!s.nullable) throw new BadInputException("record " + record + ", field \"" + f.name + "\": missing value (column is not nullable)");
        s.setNull(row);
    }

    private static boolean allStars(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) if (b[i] != '*') return false;
        return true;
    }

    private static boolean allZeros(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) if (b[i] != '0') return false;
        return true;
    }

    // ---- shapes ------------------------------------------------------------------------------------------------

    /** Reads the next .shp record into {@link #geoText}; returns its length, or -1 for a Null shape. */
    private int readShape() throws IOException {
        byte[] h = readFully(shp, 8, "the header of shape " + record);
        int words = ByteBuffer.wrap(h).getInt(4);
        long len = (words & 0xFFFF_FFFFL) * 2;
        if (len < 4 || len > maxRecordBytes || len + 8 > shpRemaining) {
            throw new BadInputException("record " + record + ": invalid shape length " + len + " in " + quoteName(shpName));
        }
        shpRemaining -= 8 + len;
        if (shpBuf.length < len) shpBuf = new byte[(int) Math.max(len, shpBuf.length * 2L)];
        readFully(shp, shpBuf, (int) len, "shape " + record);
        ByteBuffer b = ByteBuffer.wrap(shpBuf, 0, (int) len).order(ByteOrder.LITTLE_ENDIAN);
        try {
            return shape(b);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new BadInputException("record " + record + ": shape data shorter than its type needs (corrupt .shp?)");
        }
    }

    private int shape(ByteBuffer b) {
        int type = b.getInt();
        geoText.setLength(0);
        boolean z = type == 11 || type == 13 || type == 15 || type == 18;
        switch (type) {
            case 0 -> {
                return -1;
            }
            case 1, 11, 21 -> {
                double x = b.getDouble(), y = b.getDouble();
                double zv = z ? b.getDouble() : 0;
                geoText.append("{\"type\":\"Point\",\"coordinates\":");
                position(x, y, z, zv);
                geoText.append('}');
            }
            case 8, 18, 28 -> {
                b.position(b.position() + 32); // bbox
                int np = count(b.getInt(), b, 16);
                double[] xy = points(b, np);
                double[] zs = z ? measures(b, np) : null;
                geoText.append("{\"type\":\"MultiPoint\",\"coordinates\":[");
                for (int i = 0; i < np; i++) {
                    if (i > 0) geoText.append(',');
                    position(xy[2 * i], xy[2 * i + 1], z, z ? zs[i] : 0);
                }
                geoText.append("]}");
            }
            case 3, 13, 23, 5, 15, 25 -> {
                b.position(b.position() + 32); // bbox
                int nparts = count(b.getInt(), b, 4);
                int np = count(b.getInt(), b, 16);
                int[] parts = new int[nparts + 1];
                for (int i = 0; i < nparts; i++) {
                    parts[i] = b.getInt();
                    if (parts[i] < 0 || parts[i] > np || (i > 0 && parts[i] < parts[i - 1])) throw corrupt("part index " + parts[i]);
                }
                parts[nparts] = np;
                double[] xy = points(b, np);
                double[] zs = z ? measures(b, np) : null;
                boolean polygon = type % 10 == 5;
                if (polygon) multiPolygon(parts, nparts, xy, zs);
                else multiLine(parts, nparts, xy, zs);
            }
            default -> throw new BadInputException("record " + record + ": shape type " + type + " is not supported"
                    + (type == 31 ? " (MultiPatch)" : ""));
        }
        return geoText.length();
    }

    private int count(int n, ByteBuffer b, int bytesEach) {
        if (n < 0 || (long) n * bytesEach > b.remaining()) throw corrupt("count " + n);
        return n;
    }

    private BadInputException corrupt(String what) {
        return new BadInputException("record " + record + ": invalid " + what + " in " + quoteName(shpName) + " (corrupt file?)");
    }

    private static double[] points(ByteBuffer b, int n) {
        double[] xy = new double[2 * n];
        for (int i = 0; i < 2 * n; i++) xy[i] = b.getDouble();
        return xy;
    }

    /** Z (or M) values after their range. */
    private static double[] measures(ByteBuffer b, int n) {
        b.position(b.position() + 16);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = b.getDouble();
        return v;
    }

    private void position(double x, double y, boolean z, double zv) {
        geoText.append('[');
        number(x);
        geoText.append(',');
        number(y);
        if (z) {
            geoText.append(',');
            number(zv);
        }
        geoText.append(']');
    }

    private void number(double d) {
        if (!Double.isFinite(d)) throw new BadInputException("record " + record + ": coordinate " + d + " is not a finite number");
        if (d == Math.rint(d) && Math.abs(d) < 1e15) geoText.append((long) d);
        else geoText.append(d);
    }

    private void ring(int from, int to, double[] xy, double[] zs) {
        geoText.append('[');
        for (int i = from; i < to; i++) {
            if (i > from) geoText.append(',');
            position(xy[2 * i], xy[2 * i + 1], zs != null, zs != null ? zs[i] : 0);
        }
        geoText.append(']');
    }

    private void multiLine(int[] parts, int nparts, double[] xy, double[] zs) {
        geoText.append("{\"type\":\"MultiLineString\",\"coordinates\":[");
        for (int p = 0; p < nparts; p++) {
            if (p > 0) geoText.append(',');
            ring(parts[p], parts[p + 1], xy, zs);
        }
        geoText.append("]}");
    }

    /** Outer rings are clockwise in a shapefile, holes counter-clockwise; a hole joins the outer ring containing it. */
    private void multiPolygon(int[] parts, int nparts, double[] xy, double[] zs) {
        List<Integer> outers = new ArrayList<>();
        List<List<Integer>> holes = new ArrayList<>();
        List<Integer> pendingHoles = new ArrayList<>();
        for (int p = 0; p < nparts; p++) {
            if (parts[p + 1] - parts[p] < 3) continue; // degenerate ring
            if (signedArea(parts[p], parts[p + 1], xy) <= 0) {
                outers.add(p);
                holes.add(new ArrayList<>());
            } else {
                pendingHoles.add(p);
            }
        }
        for (int h : pendingHoles) {
            int owner = -1;
            for (int o = 0; o < outers.size() && owner < 0; o++) {
                int op = outers.get(o);
                if (contains(parts[op], parts[op + 1], xy, xy[2 * parts[h]], xy[2 * parts[h] + 1])) owner = o;
            }
            if (owner < 0 && !outers.isEmpty()) owner = precedingOuter(outers, h);
            if (owner < 0) { // a hole without an outer ring: take it as an outer ring
                outers.add(h);
                holes.add(new ArrayList<>());
            } else {
                holes.get(owner).add(h);
            }
        }
        geoText.append("{\"type\":\"MultiPolygon\",\"coordinates\":[");
        for (int o = 0; o < outers.size(); o++) {
            if (o > 0) geoText.append(',');
            geoText.append('[');
            int op = outers.get(o);
            ring(parts[op], parts[op + 1], xy, zs);
            for (int h : holes.get(o)) {
                geoText.append(',');
                ring(parts[h], parts[h + 1], xy, zs);
            }
            geoText.append(']');
        }
        geoText.append("]}");
    }

    private static int precedingOuter(List<Integer> outers, int hole) {
        int owner = 0;
        for (int o = 0; o < outers.size(); o++) if (outers.get(o) < hole) owner = o;
        return owner;
    }

    /** Shoelace formula: positive for counter-clockwise rings. */
    private static double signedArea(int from, int to, double[] xy) {
        double a = 0;
        for (int i = from; i < to; i++) {
            int j = i + 1 < to ? i + 1 : from;
            a += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
        }
        return a / 2;
    }

    /** Even-odd ray casting. */
    private static boolean contains(int from, int to, double[] xy, double x, double y) {
        boolean in = false;
        for (int i = from, j = to - 1; i < to; j = i++) {
            double xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
        }
        return in;
    }

    // ---- io ----------------------------------------------------------------------------------------------------

    private byte[] readFully(InputStream s, int n, String what) throws IOException {
        byte[] b = new byte[n];
        readFully(s, b, n, what);
        return b;
    }

    private void readFully(InputStream s, byte[] b, int n, String what) throws IOException {
        int got = s.readNBytes(b, 0, n);
        if (got < n) throw new BadInputException("EsriShapefile: truncated file: end of data in " + what, new EOFException());
    }

    private static String quoteName(String n) {
        return BadInputException.quote(n);
    }

    private static String names(List<String> ns) {
        StringBuilder b = new StringBuilder();
        for (String n : ns) {
            if (b.length() > 0) b.append(", ");
            if (b.length() > 200) {
                b.append("...");
                break;
            }
            b.append(quoteName(n));
        }
        return b.toString();
    }

    @Override
    protected void closeResources() throws IOException {
        try {
            if (shp != null) shp.close();
            if (dbf != null) dbf.close();
            if (zip != null) zip.close();
        } finally {
            if (tmp != null) Files.deleteIfExists(tmp);
        }
    }
}
