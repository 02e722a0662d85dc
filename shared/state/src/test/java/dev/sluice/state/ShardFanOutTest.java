package dev.sluice.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShardFanOutTest {
    @Test
    void everyShardRunsConcurrentlyAndResultsComeInShardOrder() {
        // All eight must be waiting at once for the barrier to open: run one after the other, the first would time out.
        CyclicBarrier all = new CyclicBarrier(8);
        List<Integer> out = ShardFanOut.each(8, shard -> {
            try {
                all.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("shard " + shard + " ran alone", e);
            }
            return List.of(shard * 10, shard * 10 + 1);
        });
        assertEquals(List.of(0, 1, 10, 11, 20, 21, 30, 31, 40, 41, 50, 51, 60, 61, 70, 71), out);
        assertEquals(List.of(5), ShardFanOut.each(1, shard -> List.of(5)));
    }

    @Test
    void aFailedShardFailsTheWholeReadWithTheOthersSuppressed() {
        IllegalStateException first = new IllegalStateException("shard 2 down");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> ShardFanOut.each(4, shard -> {
            if (shard == 2) throw first;
            if (shard == 3) throw new IllegalArgumentException("shard 3 down");
            return List.of(shard);
        }));
        assertSame(first, thrown);
        assertEquals(1, thrown.getSuppressed().length);
        assertEquals("shard 3 down", thrown.getSuppressed()[0].getMessage());
    }
}
