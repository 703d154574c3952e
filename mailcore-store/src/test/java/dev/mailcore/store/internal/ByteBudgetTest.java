package dev.mailcore.store.internal;

import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteBudgetTest {

    @Test
    void concurrentAllocationsNeverExceedTheLimit() throws Exception {
        ByteBudget budget = new ByteBudget(5000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < 200; i++) {
                        try {
                            budget.allocate(new byte[10], 1);
                            ok++;
                        } catch (StoreException e) {
                            assertThat(e.error()).isEqualTo(StoreError.STORAGE_FULL);
                        }
                    }
                    return ok;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(30, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(500);
            assertThat(budget.used()).isEqualTo(5000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theLastReleaseOfASharedBlobFreesItsBytesOnce() {
        ByteBudget budget = new ByteBudget(100);
        Blob blob = budget.allocate(new byte[40], 2);
        blob.retain();
        assertThat(budget.used()).isEqualTo(40);
        blob.release();
        blob.release();
        assertThat(budget.used()).isEqualTo(40);
        blob.release();
        assertThat(budget.used()).isZero();
        assertThatThrownBy(blob::release).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void precheckFailsWithTheUsageInTheMessage() {
        ByteBudget budget = new ByteBudget(10);
        budget.allocate(new byte[7], 1);
        budget.precheck(3);
        assertThatThrownBy(() -> budget.precheck(4)).isInstanceOf(StoreException.class)
                .hasMessage("memory store full: 7 of 10 bytes used");
    }
}
