package dev.sluice.odf;

/** ODF CompressionFormat (FlatBuffers enum order). */
public enum CompressionFormat {
    Gzip,
    Zip
}
