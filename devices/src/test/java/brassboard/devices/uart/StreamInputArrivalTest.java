package brassboard.devices.uart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A forwarded host stream tells whoever asked when each byte has been queued, so a UART can take it at once. */
class StreamInputArrivalTest {
    @Test
    void everyByteQueuedIsReportedAfterItCanBePolled() throws Exception {
        StreamInput in = new StreamInput(new ByteArrayInputStream("ok\n".getBytes(StandardCharsets.US_ASCII)), "test-input");
        AtomicInteger reported = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(3);
        StringBuilder pollable = new StringBuilder();
        in.onArrival(() -> {
            reported.incrementAndGet();
            all.countDown();
        });
        int first = in.poll(); // starts the reader thread (which may already have queued a byte)
        if (first >= 0) {
            pollable.append((char) first);
        }
        assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
        int b;
        while ((b = in.poll()) >= 0) {
            pollable.append((char) b);
        }
        assertThat(reported).hasValue(3);
        assertThat(pollable).hasToString("ok\n");
        assertThat(in.live()).isTrue();
        in.close();
    }
}
