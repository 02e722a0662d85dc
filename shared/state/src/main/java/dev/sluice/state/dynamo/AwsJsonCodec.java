package dev.sluice.state.dynamo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.utils.builder.Buildable;

/**
 * The awsJson1_0 body of a DynamoDB request or response, (un)marshalled generically over the SDK model's own field
 * metadata ({@link SdkPojo#sdkFields()}): member names, types, list and map member shapes. Timestamps are epoch seconds
 * (numbers), blobs base64. Auto-constructed empty lists and maps (the model's "not set") are never written, so a union
 * such as {@code AttributeValue} carries exactly the member that is set; an explicitly empty list or map is written as
 * {@code []} / {@code {}}.
 */
final class AwsJsonCodec {
    private static final JsonFactory JSON = new JsonFactory();
    /** Builder class → its fields by JSON name; the model is fixed, so this fills once per shape. */
    private static final Map<Class<?>, Map<String, SdkField<?>>> FIELDS = new ConcurrentHashMap<>();

    private AwsJsonCodec() {}

    static byte[] write(SdkPojo pojo) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writePojo(g, pojo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writePojo(JsonGenerator g, SdkPojo pojo) throws IOException {
        g.writeStartObject();
        for (SdkField<?> f : pojo.sdkFields()) {
            if (f.location() != MarshallLocation.PAYLOAD) continue; // DynamoDB has no header/URI members
            Object v = f.getValueOrDefault(pojo);
            if (v == null || v instanceof SdkAutoConstructList || v instanceof SdkAutoConstructMap) continue;
            g.writeFieldName(f.locationName());
            writeValue(g, f, v);
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, SdkField<?> f, Object v) throws IOException {
        MarshallingType<?> t = f.marshallingType();
        if (t == MarshallingType.STRING) {
            g.writeString((String) v);
        } else if (t == MarshallingType.SDK_POJO) {
            writePojo(g, (SdkPojo) v);
        } else if (t == MarshallingType.LIST) {
            SdkField<?> member = f.getRequiredTrait(ListTrait.class).memberFieldInfo();
            g.writeStartArray();
            for (Object e : (List<?>) v) {
                if (e == null) g.writeNull();
                else writeValue(g, member, e);
            }
            g.writeEndArray();
        } else if (t == MarshallingType.MAP) {
            SdkField<?> value = f.getRequiredTrait(MapTrait.class).valueFieldInfo();
            g.writeStartObject();
            for (Map.Entry<String, ?> e : ((Map<String, ?>) v).entrySet()) {
                g.writeFieldName(e.getKey());
                if (e.getValue() == null) g.writeNull();
                else writeValue(g, value, e.getValue());
            }
            g.writeEndObject();
        } else if (t == MarshallingType.INTEGER || t == MarshallingType.LONG || t == MarshallingType.SHORT
                || t == MarshallingType.BYTE) {
            g.writeNumber(((Number) v).longValue());
        } else if (t == MarshallingType.BOOLEAN) {
            g.writeBoolean((Boolean) v);
        } else if (t == MarshallingType.SDK_BYTES) {
            g.writeString(Base64.getEncoder().encodeToString(((SdkBytes) v).asByteArrayUnsafe()));
        } else if (t == MarshallingType.INSTANT) {
            Instant i = (Instant) v;
            g.writeNumber(BigDecimal.valueOf(i.getEpochSecond()).add(BigDecimal.valueOf(i.getNano(), 9)).stripTrailingZeros().toPlainString());
        } else if (t == MarshallingType.DOUBLE || t == MarshallingType.FLOAT) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (t == MarshallingType.BIG_DECIMAL) {
            g.writeNumber((BigDecimal) v);
        } else {
            throw new IllegalArgumentException("member " + f.memberName() + " has an unsupported type " + t);
        }
    }

    /** Reads one JSON object into the builder {@code builder} supplies and builds it. */
    static <T> T read(byte[] body, Supplier<? extends SdkPojo> builder) {
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) return build(builder.get()); // empty body: every member unset
            if (first != JsonToken.START_OBJECT) throw new IllegalArgumentException("response is not a JSON object");
            return readPojo(p, builder.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parser on START_OBJECT; fills {@code builder} (unknown members are skipped) and builds it. */
    static <T> T readPojo(JsonParser p, SdkPojo builder) throws IOException {
        fill(p, builder);
        return build(builder);
    }

    /** Sets the members of one JSON object (parser on START_OBJECT) on {@code builder}; unknown members are skipped. */
    static void fill(byte[] body, SdkPojo builder) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() == JsonToken.START_OBJECT) fill(p, builder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The string members at the top level of a JSON object (an error body's {@code __type}, {@code message}). */
    static Map<String, String> topLevelStrings(byte[] body) {
        Map<String, String> out = new HashMap<>();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return out;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() == JsonToken.VALUE_STRING) out.put(name, p.getText());
                else p.skipChildren();
            }
        } catch (IOException notJson) {
            // e.g. an HTML error page from a proxy: no members
        }
        return out;
    }

    private static void fill(JsonParser p, SdkPojo builder) throws IOException {
        Map<String, SdkField<?>> fields = FIELDS.computeIfAbsent(builder.getClass(), c -> byName(builder));
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            SdkField<?> f = fields.get(p.currentName());
            JsonToken t = p.nextToken();
            if (f == null || t == JsonToken.VALUE_NULL) {
                p.skipChildren();
                continue;
            }
            f.set(builder, readValue(p, f));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T build(SdkPojo builder) {
        return (T) ((Buildable) builder).build();
    }

    private static Map<String, SdkField<?>> byName(SdkPojo pojo) {
        Map<String, SdkField<?>> m = new HashMap<>();
        for (SdkField<?> f : pojo.sdkFields()) {
            if (f.location() == MarshallLocation.PAYLOAD) m.put(f.unmarshallLocationName(), f);
        }
        return m;
    }

    private static Object readValue(JsonParser p, SdkField<?> f) throws IOException {
        MarshallingType<?> t = f.marshallingType();
        if (t == MarshallingType.STRING) {
            return p.getValueAsString();
        } else if (t == MarshallingType.SDK_POJO) {
            expect(p, JsonToken.START_OBJECT, f);
            return readPojo(p, f.constructor().get());
        } else if (t == MarshallingType.LIST) {
            expect(p, JsonToken.START_ARRAY, f);
            SdkField<?> member = f.getRequiredTrait(ListTrait.class).memberFieldInfo();
            List<Object> out = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                out.add(p.currentToken() == JsonToken.VALUE_NULL ? null : readValue(p, member));
            }
            return out;
        } else if (t == MarshallingType.MAP) {
            expect(p, JsonToken.START_OBJECT, f);
            SdkField<?> value = f.getRequiredTrait(MapTrait.class).valueFieldInfo();
            Map<String, Object> out = new HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                out.put(key, p.nextToken() == JsonToken.VALUE_NULL ? null : readValue(p, value));
            }
            return out;
        } else if (t == MarshallingType.INTEGER) {
            return p.getValueAsInt();
        } else if (t == MarshallingType.LONG) {
            return p.getValueAsLong();
        } else if (t == MarshallingType.BOOLEAN) {
            return p.getValueAsBoolean();
        } else if (t == MarshallingType.SDK_BYTES) {
            return SdkBytes.fromByteArrayUnsafe(Base64.getDecoder().decode(p.getText()));
        } else if (t == MarshallingType.INSTANT) {
            BigDecimal seconds = p.currentToken() == JsonToken.VALUE_STRING ? new BigDecimal(p.getText()) : p.getDecimalValue();
            long whole = seconds.longValue();
            return Instant.ofEpochSecond(whole, seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue());
        } else if (t == MarshallingType.DOUBLE) {
            return p.getValueAsDouble();
        } else if (t == MarshallingType.FLOAT) {
            return (float) p.getValueAsDouble();
        } else if (t == MarshallingType.BIG_DECIMAL) {
            return p.getDecimalValue();
        } else if (t == MarshallingType.SHORT) {
            return (short) p.getValueAsInt();
        } else if (t == MarshallingType.BYTE) {
            return (byte) p.getValueAsInt();
        }
        p.skipChildren(); // documents: DynamoDB's model has none
        return null;
    }

    private static void expect(JsonParser p, JsonToken token, SdkField<?> f) throws IOException {
        if (p.currentToken() != token) {
            throw new IllegalArgumentException("member " + f.memberName() + ": expected " + token + ", got " + p.currentToken());
        }
    }
}
