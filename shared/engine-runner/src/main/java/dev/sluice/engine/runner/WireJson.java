package dev.sluice.engine.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Reads and writes the wire format. Unknown fields are ignored so newer coordinators can add optional ones. */
public final class WireJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private WireJson() {}

    public static WireRequest readRequest(InputStream in) {
        return read(in, WireRequest.class, "transform request");
    }

    public static WireRequest readRequest(byte[] bytes) {
        return read(bytes, WireRequest.class, "transform request");
    }

    /** Throws {@link InvalidWireRequestException} (the engine's answer is unusable: the caller turns it into an error). */
    public static WireResponse readResponse(byte[] bytes) {
        return read(bytes, WireResponse.class, "transform response");
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static void write(Object value, OutputStream out) {
        try {
            MAPPER.writeValue(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small JSON object, e.g. an error or health body. */
    public static byte[] object(Object... keysAndValues) {
        var node = MAPPER.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.set((String) keysAndValues[i], MAPPER.valueToTree(keysAndValues[i + 1]));
        }
        return write(node);
    }

    private static <T> T read(InputStream in, Class<T> type, String what) {
        try {
            T value = MAPPER.readValue(in, type);
            if (value == null) throw new InvalidWireRequestException("empty " + what);
            return value;
        } catch (JsonProcessingException e) {
            throw new InvalidWireRequestException("malformed " + what + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] bytes, Class<T> type, String what) {
        try {
            T value = MAPPER.readValue(bytes, type);
            if (value == null) throw new InvalidWireRequestException("empty " + what);
            return value;
        } catch (JsonProcessingException e) {
            throw new InvalidWireRequestException("malformed " + what + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
