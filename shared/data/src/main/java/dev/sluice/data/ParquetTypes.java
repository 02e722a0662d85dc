package dev.sluice.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Arrow ↔ Parquet type mapping. Parquet → Arrow follows arrow-rs (what kamu uses to read slices and compute the
 * logical hash) for files without an embedded {@code ARROW:schema}; Arrow → Parquet covers what
 * {@link SliceWriter} writes, chosen so that the mapping back yields the same Arrow types (hence the same logical
 * hash).
 */
final class ParquetTypes {
    private ParquetTypes() {}

    /** Arrow types the slice writer can store as-is (after {@link SliceWriter}'s normalisation). */
    static MessageType toParquet(Schema schema) {
        List<Type> fields = new ArrayList<>();
        for (Field f : schema.getFields()) fields.add(toParquet(f, f.getName()));
        return new MessageType("arrow_schema", fields);
    }

    private static Type toParquet(Field f, String name) {
        Repetition rep = f.isNullable() ? Repetition.OPTIONAL : Repetition.REQUIRED;
        ArrowType t = f.getType();
        switch (t.getTypeID()) {
            case Int -> {
                ArrowType.Int i = (ArrowType.Int) t;
                PrimitiveTypeName p = i.getBitWidth() == 64 ? PrimitiveTypeName.INT64 : PrimitiveTypeName.INT32;
                // Plain INT32/INT64 for signed 32/64 (what kamu writes); annotated otherwise so readers get the width back.
                boolean plain = i.getIsSigned() && i.getBitWidth() >= 32;
                return plain ? Types.primitive(p, rep).named(name)
                        : Types.primitive(p, rep).as(LogicalTypeAnnotation.intType(i.getBitWidth(), i.getIsSigned())).named(name);
            }
            case FloatingPoint -> {
                FloatingPointPrecision prec = ((ArrowType.FloatingPoint) t).getPrecision();
                if (prec == FloatingPointPrecision.SINGLE) return Types.primitive(PrimitiveTypeName.FLOAT, rep).named(name);
                if (prec == FloatingPointPrecision.DOUBLE) return Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(name);
            }
            case Bool -> {
                return Types.primitive(PrimitiveTypeName.BOOLEAN, rep).named(name);
            }
            case Utf8, LargeUtf8 -> {
                return Types.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType()).named(name);
            }
            case Binary, LargeBinary -> {
                return Types.primitive(PrimitiveTypeName.BINARY, rep).named(name);
            }
            case FixedSizeBinary -> {
                return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep)
                        .length(((ArrowType.FixedSizeBinary) t).getByteWidth()).named(name);
            }
            case Date -> {
                if (((ArrowType.Date) t).getUnit() == DateUnit.DAY) {
                    return Types.primitive(PrimitiveTypeName.INT32, rep).as(LogicalTypeAnnotation.dateType()).named(name);
                }
            }
            case Timestamp -> {
                ArrowType.Timestamp ts = (ArrowType.Timestamp) t;
                if (ts.getUnit() == TimeUnit.MILLISECOND && "UTC".equals(ts.getTimezone())) {
                    return Types.primitive(PrimitiveTypeName.INT64, rep)
                            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS)).named(name);
                }
            }
            case Decimal -> {
                ArrowType.Decimal d = (ArrowType.Decimal) t;
                if (d.getBitWidth() == 128) {
                    // 16-byte big-endian two's complement holds any precision up to 38.
                    return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep).length(16)
                            .as(LogicalTypeAnnotation.decimalType(d.getScale(), d.getPrecision())).named(name);
                }
            }
            case List -> {
                Field item = f.getChildren().get(0);
                if (!(item.getType() instanceof ArrowType.List) && !(item.getType() instanceof ArrowType.Struct)) {
                    // Standard 3-level LIST: <name> (LIST) { repeated group list { <element> } }
                    return Types.buildGroup(rep).as(LogicalTypeAnnotation.listType())
                            .addField(new GroupType(Repetition.REPEATED, "list", toParquet(item, "element")))
                            .named(name);
                }
            }
            default -> { }
        }
        throw new UnsupportedOperationException("slice writer does not support column '" + f.getName() + "' of type " + t);
    }

    /** Arrow schema as arrow-rs derives it from a Parquet schema (no {@code ARROW:schema} hint). */
    static Schema toArrow(MessageType schema) {
        List<Field> fields = new ArrayList<>();
        for (Type t : schema.getFields()) fields.add(toArrow(t));
        return new Schema(fields);
    }

    static Field toArrow(Type t) {
        boolean nullable = t.getRepetition() == Repetition.OPTIONAL;
        if (!t.isPrimitive()) {
            GroupType g = t.asGroupType();
            if (g.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
                    && g.getFieldCount() == 1 && !g.getType(0).isPrimitive()
                    && g.getType(0).isRepetition(Repetition.REPEATED) && g.getType(0).asGroupType().getFieldCount() == 1) {
                Field item = toArrow(g.getType(0).asGroupType().getType(0));
                return new Field(t.getName(), new FieldType(nullable, ArrowType.List.INSTANCE, null), List.of(item));
            }
            throw new UnsupportedOperationException("slice reader does not support group column '" + t.getName() + "'");
        }
        return new Field(t.getName(), new FieldType(nullable, arrowType(t.asPrimitiveType()), null), null);
    }

    private static ArrowType arrowType(PrimitiveType p) {
        LogicalTypeAnnotation lt = p.getLogicalTypeAnnotation();
        if (lt instanceof DecimalLogicalTypeAnnotation d) return new ArrowType.Decimal(d.getPrecision(), d.getScale(), 128);
        switch (p.getPrimitiveTypeName()) {
            case BOOLEAN:
                return ArrowType.Bool.INSTANCE;
            case INT32:
                if (lt == null) return new ArrowType.Int(32, true);
                if (lt instanceof IntLogicalTypeAnnotation i) return new ArrowType.Int(i.getBitWidth(), i.isSigned());
                if (lt instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) return new ArrowType.Date(DateUnit.DAY);
                if (lt instanceof TimeLogicalTypeAnnotation tt && tt.getUnit() == LogicalTypeAnnotation.TimeUnit.MILLIS) {
                    return new ArrowType.Time(TimeUnit.MILLISECOND, 32);
                }
                break;
            case INT64:
                if (lt == null) return new ArrowType.Int(64, true);
                if (lt instanceof IntLogicalTypeAnnotation i) return new ArrowType.Int(64, i.isSigned());
                if (lt instanceof TimestampLogicalTypeAnnotation ts) {
                    return new ArrowType.Timestamp(unit(ts.getUnit()), ts.isAdjustedToUTC() ? "UTC" : null);
                }
                if (lt instanceof TimeLogicalTypeAnnotation tt) return new ArrowType.Time(unit(tt.getUnit()), 64);
                break;
            case FLOAT:
                return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case DOUBLE:
                return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case BINARY:
                if (lt instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || lt instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || lt instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    return ArrowType.Utf8.INSTANCE;
                }
                if (lt == null || lt instanceof LogicalTypeAnnotation.BsonLogicalTypeAnnotation) return ArrowType.Binary.INSTANCE;
                break;
            case FIXED_LEN_BYTE_ARRAY:
                if (lt == null || lt instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
                    return new ArrowType.FixedSizeBinary(p.getTypeLength());
                }
                break;
            default:
                break;
        }
        throw new UnsupportedOperationException("slice reader does not support column '" + p.getName() + "' of type " + p);
    }

    private static TimeUnit unit(LogicalTypeAnnotation.TimeUnit u) {
        return switch (u) {
            case MILLIS -> TimeUnit.MILLISECOND;
            case MICROS -> TimeUnit.MICROSECOND;
            case NANOS -> TimeUnit.NANOSECOND;
        };
    }
}
