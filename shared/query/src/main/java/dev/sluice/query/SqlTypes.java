package dev.sluice.query;

import dev.sluice.odf.DataField;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataType;
import java.util.ArrayList;
import java.util.List;

/** ODF types as DuckDB SQL types (as DuckDB reads kamu's Parquet), for the empty view of a dataset without data. */
public final class SqlTypes {
    private SqlTypes() {}

    /** A quoted SQL identifier. */
    public static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A quoted SQL string literal. */
    public static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** {@code SELECT CAST(NULL AS t) AS "c", … WHERE false}: the columns of the schema and no rows. */
    static String emptySelect(DataSchema schema) {
        List<String> cols = new ArrayList<>();
        for (DataField f : schema.fields()) cols.add("CAST(NULL AS " + type(f.type()) + ") AS " + ident(f.name()));
        return "SELECT " + String.join(", ", cols) + " WHERE false";
    }

    public static String type(DataType t) {
        if (t instanceof DataType.Option o) return type(o.inner());
        if (t instanceof DataType.Bool) return "BOOLEAN";
        if (t instanceof DataType.Int8) return "TINYINT";
        if (t instanceof DataType.Int16) return "SMALLINT";
        if (t instanceof DataType.Int32) return "INTEGER";
        if (t instanceof DataType.Int64) return "BIGINT";
        if (t instanceof DataType.UInt8) return "UTINYINT";
        if (t instanceof DataType.UInt16) return "USMALLINT";
        if (t instanceof DataType.UInt32) return "UINTEGER";
        if (t instanceof DataType.UInt64) return "UBIGINT";
        if (t instanceof DataType.Float16 || t instanceof DataType.Float32) return "FLOAT";
        if (t instanceof DataType.Float64) return "DOUBLE";
        if (t instanceof DataType.Decimal d) return "DECIMAL(" + d.precision() + "," + d.scale() + ")";
        if (t instanceof DataType.String) return "VARCHAR";
        if (t instanceof DataType.Binary) return "BLOB";
        if (t instanceof DataType.Date) return "DATE";
        if (t instanceof DataType.Time) return "TIME";
        if (t instanceof DataType.Duration) return "INTERVAL";
        if (t instanceof DataType.Timestamp ts) return ts.timezone() == null ? "TIMESTAMP" : "TIMESTAMPTZ";
        if (t instanceof DataType.Null) return "INTEGER";
        if (t instanceof DataType.List l) return type(l.itemType()) + "[]";
        if (t instanceof DataType.Map m) return "MAP(" + type(m.keyType()) + ", " + type(m.valueType()) + ")";
        if (t instanceof DataType.Struct s) {
            List<String> fs = new ArrayList<>();
            for (DataField f : s.fields()) fs.add(ident(f.name()) + " " + type(f.type()));
            return "STRUCT(" + String.join(", ", fs) + ")";
        }
        throw new IllegalArgumentException("no DuckDB type for " + t);
    }
}
