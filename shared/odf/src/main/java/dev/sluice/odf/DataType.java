package dev.sluice.odf;

/**
 * ODF logical data types. Record names are the ODF kind names (so {@code DataType.String} is the ODF String
 * type); permits order = FlatBuffers union order.
 */
public sealed interface DataType {
    record Binary(Long fixedLength) implements DataType {}
    record Bool() implements DataType {}
    record Date() implements DataType {}
    record Decimal(int precision, int scale) implements DataType {}
    record Duration(TimeUnit unit) implements DataType {}
    record Float16() implements DataType {}
    record Float32() implements DataType {}
    record Float64() implements DataType {}
    record Int8() implements DataType {}
    record Int16() implements DataType {}
    record Int32() implements DataType {}
    record Int64() implements DataType {}
    record UInt8() implements DataType {}
    record UInt16() implements DataType {}
    record UInt32() implements DataType {}
    record UInt64() implements DataType {}
    record List(DataType itemType, Long fixedLength) implements DataType {}
    record Map(DataType keyType, DataType valueType, Boolean keysSorted) implements DataType {}
    record Null() implements DataType {}
    record Option(DataType inner) implements DataType {}
    record Struct(java.util.List<DataField> fields) implements DataType {}
    /** {@code unit} null means the ODF default (Millisecond). */
    record Time(TimeUnit unit) implements DataType {}
    /** {@code unit}/{@code timezone} null mean the ODF defaults (Millisecond, "UTC"). */
    record Timestamp(TimeUnit unit, java.lang.String timezone) implements DataType {}
    record String() implements DataType {}

    /** ODF kind name, e.g. "Int64". */
    default java.lang.String kind() {
        return getClass().getSimpleName();
    }
}
