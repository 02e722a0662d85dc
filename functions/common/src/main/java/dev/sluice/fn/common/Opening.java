package dev.sluice.fn.common;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A resource opened on first use, once, by whichever thread asks first (the others wait for it). A failed opening is
 * not remembered: the next use tries again, so a store that was unreachable for a moment is not lost for good.
 */
final class Opening<T> implements Supplier<T> {
    private final Supplier<T> open;
    private volatile T value;

    Opening(Supplier<T> open) {
        this.open = Objects.requireNonNull(open);
    }

    @Override
    public T get() {
        T v = value;
        if (v != null) return v;
        synchronized (this) {
            if (value == null) value = Objects.requireNonNull(open.get(), "opened to null");
            return value;
        }
    }

    /** Runs {@code action} on the value if it was opened; never opens it. */
    void ifOpened(Consumer<T> action) {
        T v = value;
        if (v != null) action.accept(v);
    }
}
