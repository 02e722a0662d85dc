package dev.sluice.engine.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.engine.Engine;
import dev.sluice.engine.TransformResponse;
import dev.sluice.odf.OffsetInterval;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@link TransformResponse} as JSON, plus the engine that produced it ({@code engine.name}, {@code engine.build}):
 * the coordinator records that build in the block, so it must be the build that actually ran.
 *
 * @param outcome {@code Success}, {@code InvalidQuery} or {@code InternalError}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WireResponse(
        int formatVersion,
        String outcome,
        WireRequest.Interval newOffsetInterval,
        String newWatermark,
        String message,
        String backtrace,
        EngineInfo engine) {

    public static final String SUCCESS = "Success";
    public static final String INVALID_QUERY = "InvalidQuery";
    public static final String INTERNAL_ERROR = "InternalError";

    public record EngineInfo(String name, String build) {
        public static EngineInfo of(Engine engine) {
            return new EngineInfo(engine.name(), engine.build());
        }
    }

    public static WireResponse from(TransformResponse response, EngineInfo engine) {
        if (response instanceof TransformResponse.Success s) {
            return new WireResponse(WireRequest.FORMAT_VERSION, SUCCESS,
                    s.newOffsetInterval() == null ? null
                            : new WireRequest.Interval(s.newOffsetInterval().start(), s.newOffsetInterval().end()),
                    s.newWatermark() == null ? null : s.newWatermark().toString(), null, null, engine);
        }
        if (response instanceof TransformResponse.InvalidQuery q) {
            return new WireResponse(WireRequest.FORMAT_VERSION, INVALID_QUERY, null, null, q.message(), null, engine);
        }
        TransformResponse.InternalError e = (TransformResponse.InternalError) response;
        return new WireResponse(WireRequest.FORMAT_VERSION, INTERNAL_ERROR, null, null, e.message(), e.backtrace(), engine);
    }

    public static WireResponse internalError(String message, String backtrace, EngineInfo engine) {
        return new WireResponse(WireRequest.FORMAT_VERSION, INTERNAL_ERROR, null, null, message, backtrace, engine);
    }

    /** The response this describes; a malformed one (a broken or foreign engine) is an {@link TransformResponse.InternalError}. */
    public TransformResponse toTransformResponse() {
        if (formatVersion != WireRequest.FORMAT_VERSION) {
            return new TransformResponse.InternalError("engine answered in unsupported formatVersion " + formatVersion, null);
        }
        if (outcome == null) return new TransformResponse.InternalError("engine response has no outcome", null);
        return switch (outcome) {
            case SUCCESS -> {
                if (newOffsetInterval != null && !newOffsetInterval.valid()) {
                    yield new TransformResponse.InternalError("engine reported an invalid offset interval " + newOffsetInterval, null);
                }
                Instant watermark;
                try {
                    watermark = newWatermark == null ? null : Instant.parse(newWatermark);
                } catch (DateTimeParseException e) {
                    yield new TransformResponse.InternalError("engine reported a malformed watermark '" + newWatermark + "'", null);
                }
                yield new TransformResponse.Success(
                        newOffsetInterval == null ? null : new OffsetInterval(newOffsetInterval.start(), newOffsetInterval.end()),
                        watermark);
            }
            case INVALID_QUERY -> new TransformResponse.InvalidQuery(message == null ? "invalid query" : message);
            case INTERNAL_ERROR -> new TransformResponse.InternalError(message == null ? "engine failed" : message, backtrace);
            default -> new TransformResponse.InternalError("engine response has unknown outcome '" + outcome + "'", null);
        };
    }
}
