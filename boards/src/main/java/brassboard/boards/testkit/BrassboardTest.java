package brassboard.boards.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hands JUnit 5 tests Brassboard machines: a test method (or {@code @BeforeEach} method) that takes a
 * {@link TestMachine} parameter gets one built as these attributes say; one that takes a
 * {@link TestMachineBuilder} gets a builder set up the same way, to finish and {@code build()} itself.
 * Put it on the test class, or on a method to override the class's.
 *
 * <p>When a test fails, the console transcript of every machine it built, and the trace file, are
 * kept under {@code target/brassboard-tests/<class>/<method>/} ({@code console.txt}, {@code trace.txt};
 * {@code console-2.txt} and so on for a second machine), named in the test's report entries
 * ({@code brassboard.console}, {@code brassboard.trace}) and in a note added to the failure with the
 * console's last lines. A passing test's trace file is deleted. Machines are closed after the test.
 * The configuration parameters (or system properties) {@code brassboard.test.output} (another directory
 * than {@code target/brassboard-tests}) and {@code brassboard.test.keep=true} (keep passing tests' traces
 * and transcripts too) change that.
 *
 * <pre>{@code
 * @BrassboardTest(image = "../firmware/images/echo.elf")
 * class EchoTest {
 *     @Test
 *     void echoesALine(TestMachine m) {
 *         m.console().expect("echo> $", Duration.ofSeconds(1));
 *         m.console().sendLine("hello");
 *         m.console().expect("hello\r\n", Duration.ofSeconds(1));
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(BrassboardExtension.class)
public @interface BrassboardTest {
    /** {@link #loadAddress()}'s "none": an ELF at its own addresses. */
    long NO_ADDRESS = -1;

    /** The board name or board file ({@link TestMachineBuilder#board}). */
    String board() default TestMachineBuilder.VIRT;

    /** The firmware image, a path relative to the working directory (a module's directory under Maven); empty: none. */
    String image() default "";

    /** Where a raw image loads and starts ({@link TestMachineBuilder#image(java.nio.file.Path, long)}); {@code 0} with a U-Boot {@code u-boot.bin} is {@code -bios}. */
    long loadAddress() default NO_ADDRESS;

    /** How many cores. */
    int cpus() default 1;

    /** RAM in MiB. */
    long ramMiB() default 128;

    /** The run's seed. */
    long seed() default 0;

    /** A fault plan file to arm when the machine is built; empty: none. */
    String faults() default "";

    /** Whether to write a trace file ({@code trace.txt}, kept when the test fails). */
    boolean trace() default true;

    /** Whether the console takes input ({@link TestMachineBuilder#consoleInput}). */
    boolean consoleInput() default true;
}
