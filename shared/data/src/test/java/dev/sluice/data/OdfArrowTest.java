package dev.sluice.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.DataField;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataType;
import dev.sluice.odf.TimeUnit;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class OdfArrowTest {
    static DataField f(String n, DataType t) {
        return new DataField(n, t, null);
    }

    @Test
    void odfToArrowAndBack() {
        DataSchema s = new DataSchema(List.of(
                f("ts", new DataType.Timestamp(null, null)),
                f("tsus", new DataType.Option(new DataType.Timestamp(TimeUnit.Microsecond, "Europe/Berlin"))),
                f("d", new DataType.Date()), f("s", new DataType.Option(new DataType.String())),
                f("b", new DataType.Bool()), f("i8", new DataType.Int8()), f("u64", new DataType.UInt64()),
                f("f32", new DataType.Float32()), f("dec", new DataType.Decimal(12, 4)), f("bin", new DataType.Binary(null)),
                f("fbin", new DataType.Binary(16L)), f("t", new DataType.Time(null)), f("dur", new DataType.Duration(TimeUnit.Second)),
                f("l", new DataType.Option(new DataType.List(new DataType.Option(new DataType.Int64()), null))),
                f("st", new DataType.Struct(List.of(f("x", new DataType.Float64()), f("y", new DataType.Option(new DataType.String()))))),
                f("m", new DataType.Map(new DataType.String(), new DataType.Option(new DataType.Int32()), false))), null);
        Schema a = OdfArrow.toArrow(s);
        assertEquals("Schema<ts: Timestamp(MILLISECOND, UTC) not null, tsus: Timestamp(MICROSECOND, Europe/Berlin), d: Date(DAY) not null, "
                + "s: Utf8, b: Bool not null, i8: Int(8, true) not null, u64: Int(64, false) not null, f32: FloatingPoint(SINGLE) not null, "
                + "dec: Decimal(12, 4, 128) not null, bin: Binary not null, fbin: FixedSizeBinary(16) not null, t: Time(MILLISECOND, 32) not null, "
                + "dur: Duration(SECOND) not null, l: List<item: Int(64, true)>, st: Struct<x: FloatingPoint(DOUBLE) not null, y: Utf8> not null, "
                + "m: Map(false)<entries: Struct<key: Utf8 not null, value: Int(32, true)> not null> not null>", a.toString());
        DataSchema back = OdfArrow.fromArrow(a);
        // defaults become explicit on the way back
        assertEquals(new DataType.Timestamp(TimeUnit.Millisecond, "UTC"), back.fields().get(0).type());
        assertEquals(s.fields().subList(1, s.fields().size()).stream().map(DataField::type).toList().subList(0, 10),
                back.fields().subList(1, 11).stream().map(DataField::type).toList());
        assertEquals(s.fields().get(13), back.fields().get(13));
        assertEquals(s.fields().get(14), back.fields().get(14));
        assertEquals(a, OdfArrow.toArrow(back));
    }

    @Test
    void legacyDdl() {
        DataSchema s = OdfArrow.parseDdl(List.of("match_time TIMESTAMP", "match_id: BIGINT", "`player id` STRING NOT NULL",
                "score DECIMAL(10, 2), n INT", "t TIMESTAMP(6)", "ok BOOLEAN", "f FLOAT", "x DOUBLE", "u UUID", "d DATE", "tm TIME(3)",
                "arr ARRAY<STRING>", "st STRUCT<a: INT, b STRING>"));
        List<DataType> types = s.fields().stream().map(DataField::type).toList();
        assertEquals(new DataType.Option(new DataType.Timestamp(TimeUnit.Millisecond, "UTC")), types.get(0));
        assertEquals(new DataType.Option(new DataType.Int64()), types.get(1));
        assertEquals("player id", s.fields().get(2).name());
        assertEquals(new DataType.String(), types.get(2));
        assertEquals(new DataType.Option(new DataType.Decimal(10, 2)), types.get(3));
        assertEquals(new DataType.Option(new DataType.Int32()), types.get(4));
        assertEquals(new DataType.Option(new DataType.Timestamp(TimeUnit.Microsecond, "UTC")), types.get(5));
        assertEquals(new DataType.Option(new DataType.Bool()), types.get(6));
        assertEquals(new DataType.Option(new DataType.Float32()), types.get(7));
        assertEquals(new DataType.Option(new DataType.Float64()), types.get(8));
        assertEquals(new DataType.Option(new DataType.String()), types.get(9));
        assertEquals(new DataType.Option(new DataType.Date()), types.get(10));
        assertEquals(new DataType.Option(new DataType.Time(TimeUnit.Millisecond)), types.get(11));
        assertEquals(new DataType.Option(new DataType.List(new DataType.Option(new DataType.String()), null)), types.get(12));
        assertTrue(types.get(13) instanceof DataType.Option o && o.inner() instanceof DataType.Struct st && st.fields().size() == 2);
        assertFalse(OdfArrow.toArrow(s).getFields().get(2).isNullable());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OdfArrow.parseDdl(List.of("a FOO")));
        assertTrue(e.getMessage().contains("unknown type FOO"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OdfArrow.parseDdl(List.of("a DECIMAL(3,5)")));
        assertThrows(IllegalArgumentException.class, () -> OdfArrow.parseDdl(List.of("a INT garbage")));
        assertThrows(IllegalArgumentException.class, () -> OdfArrow.parseDdl(List.of("`a INT")));
    }
}
