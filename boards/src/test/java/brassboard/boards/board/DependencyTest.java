package brassboard.boards.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages' dependencies point one way: the API knows no board (Machine finds the builder
 * through BoardFactory), virt knows the API and the generic wiring (board.wiring) but not the
 * generic builder, and the builder and its wiring import nothing from virt and name no board.
 */
class DependencyTest {
    private static final Path MAIN = Path.of("src", "main", "java", "brassboard", "boards");

    private static List<String> sources(String pkg) throws IOException {
        try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
            return files.filter(f -> f.toString().endsWith(".java")).map(f -> {
                try {
                    // code only: comments may name other packages
                    return f.getFileName() + "\n" + String.join("\n", Files.readAllLines(f).stream()
                            .filter(l -> !l.strip().startsWith("*") && !l.strip().startsWith("/*") && !l.strip().startsWith("//")).toList());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void theApiImportsNoBoard() throws IOException {
        for (String src : sources("api")) {
            assertThat(src).as(src.lines().findFirst().orElseThrow()).doesNotContain("brassboard.boards.virt").doesNotContain("brassboard.boards.board");
        }
    }

    @Test
    void virtDoesNotImportTheBuilder() throws IOException {
        for (String src : sources("virt")) {
            assertThat(src).as(src.lines().findFirst().orElseThrow()).doesNotContainPattern("brassboard\\.boards\\.board\\.(?!wiring\\.)");
        }
    }

    @Test
    void theBuilderAndItsWiringImportNothingFromVirt() throws IOException {
        for (String pkg : List.of("board", "board/wiring")) {
            for (String src : sources(pkg)) {
                assertThat(src).as(pkg + "/" + src.lines().findFirst().orElseThrow()).doesNotContain("brassboard.boards.virt");
            }
        }
    }

    @Test
    void theBuilderNamesNoBoard() throws IOException {
        for (String pkg : List.of("board", "board/wiring")) {
            for (String src : sources(pkg)) {
                assertThat(src).as(pkg + "/" + src.lines().findFirst().orElseThrow()).doesNotContain("VirtMap").doesNotContain("VirtBoard")
                        .doesNotContainPattern("equals\\(\"virt\"\\)");
            }
        }
    }
}
