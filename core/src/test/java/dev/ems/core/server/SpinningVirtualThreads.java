package dev.ems.core.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run in a JVM of its own by {@link VirtualThreadCarriersTest}: starts virtual threads that spin (never park) until
 * all of them run at once, which happens only if there are as many carriers; prints how many ran at once.
 */
public final class SpinningVirtualThreads {
    private SpinningVirtualThreads() {}

    public static void main(String[] args) throws InterruptedException {
        if (args[0].equals("configured")) {
            VirtualThreadCarriers.configure();
        }
        int threads = Integer.parseInt(args[1]);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        Thread[] spinners = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            spinners[i] = Thread.ofVirtual().start(() -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                started.incrementAndGet();
                while (started.get() < threads && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                running.decrementAndGet();
            });
        }
        for (Thread spinner : spinners) {
            spinner.join();
        }
        System.out.println("at once: " + most.get());
    }
}
