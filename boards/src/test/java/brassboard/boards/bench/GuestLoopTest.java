package brassboard.boards.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.api.Machine;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.boards.conformance.Harness;
import brassboard.bus.api.Masters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Each benchmark loop computes what its Java model computes, in exactly its instruction count. */
class GuestLoopTest {
    /** Runs {@code loop} on a fresh machine and checks the power-off and the exact count. */
    static Machine runOnMachine(GuestLoop loop, long iterations) {
        Machine m = MachineLoopRunner.machine(loop, iterations);
        RunResult r = m.run(RunLimits.none().withMaxInsns(100_000_000));
        assertThat(r.outcome()).as(r.message()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(m.cpu().instructionsRetired())
                .isEqualTo(loop.instructions(iterations, GuestLoop.Target.BARE_METAL))
                .isEqualTo(loop.fixedInstructions(GuestLoop.Target.BARE_METAL) + iterations * loop.instructionsPerIteration());
        return m;
    }

    @ParameterizedTest
    @EnumSource(GuestLoop.class)
    void everyLoopComputesItsModelsResultInExactlyItsInstructionCount(GuestLoop loop) {
        for (long n : new long[] {1, 2, 37, 1000}) {
            Machine m = runOnMachine(loop, n);
            assertThat(MachineLoopRunner.results(loop, m)).as("%s, %d iterations", loop.id(), n)
                    .containsExactly(Models.expected(loop, n));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 3, 255, 256, 257, 5000})
    void crc32IsZlibsCrc32OfTheBytesItRead(long n) {
        Machine m = runOnMachine(GuestLoop.CRC32, n);
        byte[] data = GuestLoop.CRC32.initialData();
        CRC32 crc = new CRC32();
        for (long i = 0; i < n; i++) {
            crc.update(data[(int) (i % data.length)]);
        }
        assertThat(m.cpu().reg(2)).isEqualTo((int) crc.getValue());
        assertThat(m.cpu().reg(5)).isEqualTo((int) (n % 256));
    }

    @Test
    void memcpyCopiesTheBuffer() {
        Machine m = runOnMachine(GuestLoop.MEMCPY, 3);
        byte[] data = GuestLoop.MEMCPY.initialData();
        int size = GuestLoop.MemcpyBuffer.BYTES;
        long base = GuestLoop.LOAD_ADDRESS + GuestLoop.DATA_OFFSET;
        byte[] src = new byte[size];
        byte[] dst = new byte[size];
        for (int i = 0; i < size; i++) {
            src[i] = (byte) m.bus().read(base + i, 1, Masters.DEBUG);
            dst[i] = (byte) m.bus().read(base + size + i, 1, Masters.DEBUG);
        }
        assertThat(Arrays.copyOf(data, size)).isEqualTo(src).isNotEqualTo(new byte[size]);
        assertThat(Arrays.copyOfRange(data, size, 2 * size)).isEqualTo(new byte[size]);
        assertThat(dst).isEqualTo(src);
    }

    @Test
    void perIterationCountsAreTheDeclaredOnes() {
        assertThat(Arrays.stream(GuestLoop.values()).map(l -> l.id() + "=" + l.instructionsPerIteration()))
                .containsExactly("alu=9", "mem=11", "cond=12", "branch=13", "mul=9", "memcpy=133", "crc32=22");
        assertThat(GuestLoop.names()).containsExactly("alu", "mem", "cond", "branch", "mul", "memcpy", "crc32");
        assertThat(GuestLoop.byName(" CRC32 ")).contains(GuestLoop.CRC32);
        assertThat(GuestLoop.byName("crc")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(GuestLoop.class)
    void theImagesLayOutCodeResultsAndData(GuestLoop loop) {
        long n = 0x1234_5678L;
        byte[] raw = loop.rawImage(n);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(8)).as("movw r1, #0x5678").isEqualTo(0xE3051678);
        assertThat(b.getInt(12)).as("movt r1, #0x1234").isEqualTo(0xE3411234);
        assertThat(loop.code(n, GuestLoop.Target.LINUX).length * 4).isLessThanOrEqualTo(GuestLoop.RESULTS_OFFSET);
        assertThat(Arrays.copyOfRange(raw, GuestLoop.DATA_OFFSET, raw.length)).isEqualTo(loop.initialData());
        byte[] elf = loop.elf(n);
        ByteBuffer e = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(Arrays.copyOf(elf, 4)).isEqualTo(new byte[] {0x7F, 'E', 'L', 'F'});
        assertThat(e.getInt(24)).as("e_entry").isEqualTo(Harness.CODE);
        assertThat(e.getInt(52 + 16)).as("p_filesz").isEqualTo(elf.length);
        byte[] linux = loop.image(n, GuestLoop.Target.LINUX);
        assertThat(Arrays.copyOfRange(elf, Harness.CODE - Harness.BASE, elf.length)).isEqualTo(linux);
        assertThat(loop.instructions(n, GuestLoop.Target.LINUX) - loop.instructions(n, GuestLoop.Target.BARE_METAL))
                .isEqualTo(GuestLoop.LINUX_EPILOGUE.length - GuestLoop.BARE_METAL_EPILOGUE.length);
    }

    @Test
    void iterationCountsOutsideTheRegisterAreRejected() {
        assertThatThrownBy(() -> GuestLoop.ALU.rawImage(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GuestLoop.ALU.rawImage(1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThat(GuestLoop.ALU.instructions(GuestLoop.MAX_ITERATIONS, GuestLoop.Target.BARE_METAL))
                .isEqualTo(4 + 2 + 9 * 0xFFFF_FFFFL + 3);
    }

    @ParameterizedTest
    @EnumSource(GuestLoop.class)
    void anInstructionLimitStopsExactlyWhereTheJmhBenchmarkCountsIt(GuestLoop loop) {
        long ops = 20_011;
        Machine m = MachineLoopRunner.machine(loop, loop.iterationsCovering(ops));
        RunResult r = m.run(RunLimits.none().withMaxInsns(ops));
        assertThat(r.outcome()).isEqualTo(RunResult.Outcome.LIMIT);
        assertThat(r.instructions()).isEqualTo(ops);
        assertThat(loop.instructions(loop.iterationsCovering(ops), GuestLoop.Target.BARE_METAL)).isGreaterThan(ops);
    }

    @Test
    void theMachineRunnerTimesTheRunAndReportsRetiredInstructions() throws BenchFailure {
        AtomicLong now = new AtomicLong();
        LoopRun run = new MachineLoopRunner(() -> now.getAndAdd(250_000_000)).run(GuestLoop.MUL, 100);
        assertThat(run.instructions()).isEqualTo(GuestLoop.MUL.instructions(100, GuestLoop.Target.BARE_METAL)).isEqualTo(4 + 6 + 900 + 3);
        assertThat(run.nanos()).isEqualTo(250_000_000);
        assertThat(run.mips()).isEqualTo(913 / 250_000.0);
        assertThat(run.results()).containsExactly(Models.expected(GuestLoop.MUL, 100));
    }

    /** Java models of the loops: the final values of their result registers after {@code n} iterations. */
    static final class Models {
        private Models() {
        }

        static int[] expected(GuestLoop loop, long n) {
            return switch (loop) {
                case ALU -> alu(n);
                case MEM -> mem(n);
                case COND -> cond(n);
                case BRANCH -> branch(n);
                case MUL -> mul(n);
                case MEMCPY -> memcpy();
                case CRC32 -> crc32(n);
            };
        }

        static int[] alu(long n) {
            int r2 = 0;
            int r3 = 0;
            int r4 = 0;
            int r5 = 0;
            int r6 = 0;
            int r8 = 0;
            for (int c = (int) n; c != 0; c--) {
                r2 += c;
                r3 ^= r2 << 3;
                r4 = r3 | r2 >>> 5;
                r5 = r4 & ~c;
                r6 = Integer.rotateRight(r2, 7) - r5;
                r8 = r6 & r3;
                r3 += r8;
            }
            return new int[] {r2, r3, r4, r5, r6, r8};
        }

        static int[] mem(long n) {
            ByteBuffer buf = ByteBuffer.wrap(GuestLoop.MEM.initialData()).order(ByteOrder.LITTLE_ENDIAN);
            int r2 = 0;
            int r3 = 0;
            int r4 = 0;
            int r5 = 0;
            int r6 = 0;
            for (int c = (int) n; c != 0; c--) {
                r3 = buf.getInt(r5 * 4) + c;
                buf.putInt(r5 * 4, r3);
                r4 = buf.get(r5) & 0xFF;
                r2 += r4;
                buf.putShort(130, (short) r2);
                r6 = buf.getInt(128);
                r5 = (r5 + 1) & 31;
            }
            return new int[] {r2, r3, r4, r5, r6};
        }

        static int[] cond(long n) {
            int r2 = 0;
            int r3 = 0;
            int r4 = 0;
            int r5 = 0;
            int r6 = 0;
            int r8 = 0;
            for (int c = (int) n; c != 0; c--) {
                r8 = c & 3;
                if (r8 == 0) {
                    r2 += 1;
                } else {
                    r3 += c;
                }
                if (r8 > 2) {           // hi after cmp r8, #2
                    r4 ^= c;
                } else {                // ls
                    r5 -= r8;
                }
                if (r8 >= 2) {          // ge
                    r6 = c >>> 1;
                }
                if ((c & 4) != 0) {
                    r6 |= 1;
                } else {
                    r4 = -r4;
                }
            }
            return new int[] {r2, r3, r4, r5, r6, r8};
        }

        static int[] branch(long n) {
            int x = 0xF491_2545;
            int r2 = 0;
            int r3 = 0;
            int r4 = 0;
            int r6 = 0;
            for (long i = 0; i < n; i++) {
                x ^= x << 13;
                x ^= x >>> 17;
                x ^= x << 5;
                if ((x & 1) != 0) {
                    r2++;
                } else {
                    r3++;
                    r4 ^= x;
                }
                if ((x & 0x100) == 0) {
                    r6 += x >>> 24;
                } else {
                    r6 -= 1;
                    r4 ^= Integer.rotateRight(x, 3);
                }
            }
            return new int[] {r2, r3, r4, x, r6};
        }

        static int[] mul(long n) {
            final long u = 0xFFFF_FFFFL;
            int r2 = 1;
            int r3 = 3;
            int r4 = 0;
            int r5 = 0;
            int r8 = 0;
            int r9 = 0;
            long acc = 0;
            for (int c = (int) n; c != 0; c--) {
                r2 *= 1664525;
                r3 = r2 * c + r3;
                long p = (r2 & u) * (r3 & u);
                r4 = (int) p;
                r5 = (int) (p >>> 32);
                r2 += r5;
                long s = (long) r3 * r4;
                r8 = (int) s;
                r9 = (int) (s >>> 32);
                r3 ^= r9;
                acc += (r2 & u) * (r4 & u);
            }
            return new int[] {r2, r3, r4, r5, r8, r9, (int) acc, (int) (acc >>> 32)};
        }

        static int[] memcpy() {
            ByteBuffer src = ByteBuffer.wrap(GuestLoop.MEMCPY.initialData()).order(ByteOrder.LITTLE_ENDIAN);
            int[] last = new int[9];
            last[0] = 0; // r2: the chunk counter, run down
            for (int i = 0; i < 8; i++) {
                last[i + 1] = src.getInt(GuestLoop.MemcpyBuffer.BYTES - 32 + 4 * i);
            }
            return last;
        }

        static int[] crc32(long n) {
            byte[] data = GuestLoop.CRC32.initialData();
            int crc = 0xFFFF_FFFF;
            for (long i = 0; i < n; i++) {
                crc ^= data[(int) (i % 256)] & 0xFF;
                for (int k = 0; k < 8; k++) {
                    crc = (crc & 1) != 0 ? crc >>> 1 ^ 0xEDB8_8320 : crc >>> 1;
                }
            }
            return new int[] {~crc, (int) (n % 256)};
        }
    }
}
