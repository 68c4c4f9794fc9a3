package dev.ems.core.server;

/**
 * How many platform threads carry the virtual threads that serve requests: {@value #PER_CPU} per CPU unless the
 * operator set {@code -Djdk.virtualThreadScheduler.parallelism}. The JDK's default, one per CPU, leaves every virtual
 * thread queued on a carrier waiting whenever the OS preempts that carrier for another process on the same cores (the
 * database, the load balancer, a neighbour), for as long as a scheduling slice: that, not garbage collection (1 ms
 * pauses), was GET user's tail. Measured with {@code bench/run} on 2 CPUs at 16 clients: p99 26 ms with 2 carriers,
 * 6 ms with 4, 5 ms with 8, at the same throughput; 16 switched so often that it cost throughput (README, "Tail
 * latency").
 * <p>
 * The scheduler reads the setting once, when the first virtual thread starts, so this runs before anything else.
 */
final class VirtualThreadCarriers {
    static final String PARALLELISM = "jdk.virtualThreadScheduler.parallelism";
    static final int PER_CPU = 4;

    private VirtualThreadCarriers() {}

    /** Sets the carriers' number unless the operator did. */
    static void configure() {
        if (System.getProperty(PARALLELISM) == null) {
            System.setProperty(
                    PARALLELISM, Integer.toString(PER_CPU * Runtime.getRuntime().availableProcessors()));
        }
    }
}
