package dev.sluice.odf;

/** A named column (or struct field) of a DataSchema. */
public record DataField(String name, DataType type, ExtraAttributes extra) {}
