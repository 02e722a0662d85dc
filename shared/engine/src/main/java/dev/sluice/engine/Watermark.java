package dev.sluice.engine;

import java.time.Instant;

/** An input block's watermark: by {@code systemTime} the input promised no event older than {@code eventTime}. */
public record Watermark(Instant systemTime, Instant eventTime) {}
