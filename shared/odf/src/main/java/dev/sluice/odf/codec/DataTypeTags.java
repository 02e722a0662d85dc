package dev.sluice.odf.codec;

import dev.sluice.odf.DataType;

/** FlatBuffers {@code DataType} union tags (schema member index + 1). */
final class DataTypeTags {
    private DataTypeTags() {}

    static int tagOf(DataType t) {
        if (t instanceof DataType.Binary) return 1;
        if (t instanceof DataType.Bool) return 2;
        if (t instanceof DataType.Date) return 3;
        if (t instanceof DataType.Decimal) return 4;
        if (t instanceof DataType.Duration) return 5;
        if (t instanceof DataType.Float16) return 6;
        if (t instanceof DataType.Float32) return 7;
        if (t instanceof DataType.Float64) return 8;
        if (t instanceof DataType.Int8) return 9;
        if (t instanceof DataType.Int16) return 10;
        if (t instanceof DataType.Int32) return 11;
        if (t instanceof DataType.Int64) return 12;
        if (t instanceof DataType.UInt8) return 13;
        if (t instanceof DataType.UInt16) return 14;
        if (t instanceof DataType.UInt32) return 15;
        if (t instanceof DataType.UInt64) return 16;
        if (t instanceof DataType.List) return 17;
        if (t instanceof DataType.Map) return 18;
        if (t instanceof DataType.Null) return 19;
        if (t instanceof DataType.Option) return 20;
        if (t instanceof DataType.Struct) return 21;
        if (t instanceof DataType.Time) return 22;
        if (t instanceof DataType.Timestamp) return 23;
        if (t instanceof DataType.String) return 24;
        throw new IllegalArgumentException("unknown data type " + t);
    }

    /** The field-less data types by tag, or null for tags that carry fields (or are unknown). */
    static DataType simple(int tag) {
        return switch (tag) {
            case 2 -> new DataType.Bool();
            case 3 -> new DataType.Date();
            case 6 -> new DataType.Float16();
            case 7 -> new DataType.Float32();
            case 8 -> new DataType.Float64();
            case 9 -> new DataType.Int8();
            case 10 -> new DataType.Int16();
            case 11 -> new DataType.Int32();
            case 12 -> new DataType.Int64();
            case 13 -> new DataType.UInt8();
            case 14 -> new DataType.UInt16();
            case 15 -> new DataType.UInt32();
            case 16 -> new DataType.UInt64();
            case 19 -> new DataType.Null();
            case 24 -> new DataType.String();
            default -> null;
        };
    }
}
