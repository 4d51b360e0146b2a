package brassboard.boards.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link BrassboardTest}: resolves {@link TestMachine} and
 * {@link TestMachineBuilder} parameters, and after each test keeps (on failure) and publishes the
 * console transcripts and trace files of the machines it built, then closes them.
 */
public final class BrassboardExtension implements ParameterResolver, AfterTestExecutionCallback {
    /** Configuration parameter (or system property): the directory the attachments go under. */
    public static final String OUTPUT = "brassboard.test.output";
    /** Configuration parameter (or system property): {@code true} keeps passing tests' traces and transcripts too. */
    public static final String KEEP = "brassboard.test.keep";
    /** The report entry naming a kept console transcript. */
    public static final String CONSOLE_ENTRY = "brassboard.console";
    /** The report entry naming a kept trace file. */
    public static final String TRACE_ENTRY = "brassboard.trace";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BrassboardExtension.class);
    private static final Pattern INVOCATION = Pattern.compile("\\[test-template-invocation:#(\\d+)]$");

    /** The machines built in one extension context, closed with it at the latest. */
    private static final class Built implements AutoCloseable {
        final List<TestMachine> machines = new ArrayList<>();
        /** Builders handed out, to number their trace files. */
        int builders;

        @Override
        public void close() {
            machines.forEach(TestMachine::close);
        }
    }

    /** Creates the extension (JUnit does, for {@link BrassboardTest}). */
    public BrassboardExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestMachine.class || type == TestMachineBuilder.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestMachineBuilder builder = builderFor(context);
        if (parameter.getParameter().getType() == TestMachineBuilder.class) {
            return builder;
        }
        BrassboardTest settings = settings(context);
        if (settings == null || settings.image().isEmpty()) {
            throw new ParameterResolutionException("a TestMachine parameter needs @BrassboardTest(image = ...) on the test or its class; "
                    + "or take a TestMachineBuilder parameter and build the machine yourself");
        }
        return builder.build();
    }

    /** A builder as the nearest {@link BrassboardTest} says, whose machines this extension looks after. */
    private TestMachineBuilder builderFor(ExtensionContext context) {
        TestMachineBuilder b = TestMachine.builder();
        BrassboardTest s = settings(context);
        // Keyed by the context's own id: a store lookup also sees the parents' (a class's machines are not a test's).
        Built built = context.getStore(NAMESPACE).getOrComputeIfAbsent(context.getUniqueId(), k -> new Built(), Built.class);
        if (s != null) {
            b.board(s.board()).cpus(s.cpus()).ram(s.ramMiB() << 20).seed(s.seed()).consoleInput(s.consoleInput());
            if (!s.image().isEmpty()) {
                if (s.loadAddress() == BrassboardTest.NO_ADDRESS) {
                    b.image(Path.of(s.image()));
                } else {
                    b.image(Path.of(s.image()), s.loadAddress());
                }
            }
            if (!s.faults().isEmpty()) {
                b.faults(Path.of(s.faults()));
            }
        }
        if (s == null || s.trace()) {
            b.trace(directory(context).resolve(numbered("trace", ++built.builders)));
        }
        return b.onBuilt(built.machines::add);
    }

    private static BrassboardTest settings(ExtensionContext context) {
        Optional<BrassboardTest> onMethod = context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, BrassboardTest.class));
        if (onMethod.isPresent()) {
            return onMethod.get();
        }
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<AnnotatedElement> element = c.get().getElement();
            Optional<BrassboardTest> found = element.flatMap(e -> AnnotationSupport.findAnnotation(e, BrassboardTest.class));
            if (found.isPresent()) {
                return found.get();
            }
        }
        return null;
    }

    /** {@code <output>/<class>/<method>[<invocation>]} for this test. */
    private static Path directory(ExtensionContext context) {
        Path base = Path.of(context.getConfigurationParameter(OUTPUT).orElse(Path.of("target", "brassboard-tests").toString()));
        String cls = context.getTestClass().map(Class::getName).orElse("unknown-class");
        Path dir = base.resolve(cls);
        Optional<String> method = context.getTestMethod().map(java.lang.reflect.Method::getName);
        if (method.isPresent()) {
            Matcher m = INVOCATION.matcher(context.getUniqueId());
            dir = dir.resolve(method.get() + (m.find() ? "[" + m.group(1) + "]" : ""));
        } else {
            dir = dir.resolve("class");
        }
        return dir;
    }

    private static String numbered(String stem, int n) {
        return n == 1 ? stem + ".txt" : stem + "-" + n + ".txt";
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        Built built = context.getStore(NAMESPACE).get(context.getUniqueId(), Built.class);
        if (built == null || built.machines.isEmpty()) {
            return;
        }
        Optional<Throwable> failure = context.getExecutionException();
        boolean keep = failure.isPresent() || context.getConfigurationParameter(KEEP).map(Boolean::parseBoolean).orElse(false);
        Path dir = directory(context);
        StringBuilder note = new StringBuilder();
        try {
            for (int i = 0; i < built.machines.size(); i++) {
                TestMachine m = built.machines.get(i);
                m.close(); // finishes the trace file
                Optional<Path> trace = m.traceFile();
                if (!keep) {
                    if (trace.isPresent()) {
                        Files.deleteIfExists(trace.get());
                        Path parent = trace.get().toAbsolutePath().getParent();
                        deleteIfEmpty(parent);
                        deleteIfEmpty(parent == null ? null : parent.getParent());
                    }
                    continue;
                }
                Files.createDirectories(dir);
                Path console = dir.resolve(numbered("console", i + 1));
                Files.write(console, m.console().transcriptBytes());
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put(CONSOLE_ENTRY, console.toAbsolutePath().toString());
                trace.ifPresent(t -> entry.put(TRACE_ENTRY, t.toAbsolutePath().toString()));
                context.publishReportEntry(entry);
                note.append(built.machines.size() == 1 ? "machine" : "machine " + (i + 1)).append(": console transcript ")
                        .append(console.toAbsolutePath());
                trace.ifPresent(t -> note.append(", trace ").append(t.toAbsolutePath()));
                m.result().ifPresent(r -> note.append("; the run ended: ").append(r.message()));
                note.append("; console output").append(TestConsole.quoteTail(m.console().transcript())).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("brassboard: cannot keep the console transcript under " + dir + ": " + e.getMessage(), e);
        } finally {
            built.close();
            built.machines.clear();
        }
        failure.ifPresent(f -> f.addSuppressed(new BrassboardAttachments(note.toString().strip())));
    }

    private static void deleteIfEmpty(Path dir) throws IOException {
        if (dir != null && Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isEmpty()) {
                    Files.delete(dir);
                }
            }
        }
    }

    /** Added to a failed test's exception: where its machines' transcripts and traces are, and the console's last lines. */
    static final class BrassboardAttachments extends Exception {
        private static final long serialVersionUID = 1L;

        BrassboardAttachments(String message) {
            super(message, null, false, false);
        }
    }
}
