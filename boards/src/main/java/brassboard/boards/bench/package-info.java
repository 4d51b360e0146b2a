/**
 * Guest hot-loop benchmarks shared by the JMH module and {@code brassboard bench}: the loops
 * ({@link brassboard.boards.bench.GuestLoop}), a runner on Brassboard's {@code virt} machine and one under
 * Debian's {@code qemu-arm}, and the warm-up and sizing of a measurement. Timing is host wall-clock time
 * ({@code System.nanoTime}, injectable for tests): this is the benchmark tool, nothing in a simulation reads it.
 */
package brassboard.boards.bench;
