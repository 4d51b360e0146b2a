package brassboard.boards.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The complete test in docs/testing.md is {@link FirmwareExampleTest}, which runs with the others. */
class DocsExampleTest {
    @Test
    void theDocumentsExampleIsTheTestThatRuns() throws Exception {
        String source = Files.readString(Path.of("src", "test", "java", "brassboard", "boards", "testkit", "FirmwareExampleTest.java"));
        String shown = source.substring(source.indexOf('\n', source.indexOf("// docs/testing.md shows")) + 1);
        String doc = Files.readString(Path.of("..", "docs", "testing.md"));
        int start = doc.indexOf("```java\n") + "```java\n".length();
        assertThat(doc.substring(start, doc.indexOf("```\n", start))).isEqualTo(shown);
    }
}
