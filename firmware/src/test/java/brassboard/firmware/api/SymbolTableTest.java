package brassboard.firmware.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.firmware.elf.ElfBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Symbols from the sample images' ELF symbol tables and from a Linux System.map. */
class SymbolTableTest {
    @TempDir
    Path tmp;

    private static Path image(String name) {
        return Path.of("images", name);
    }

    private static Path fixture() throws Exception {
        return Path.of(SymbolTableTest.class.getResource("System.map").toURI());
    }

    @Test
    void readsFunctionsWithTheirSizesFromAnElf() throws Exception {
        SymbolTable t = SymbolTable.load(image("abort.elf"));
        assertThat(t.lookup("uart_puts")).contains(new Symbol("uart_puts", 0x4001018cL, 80, Symbol.Kind.FUNCTION));
        assertThat(t.lookup("digits.0").orElseThrow().kind()).isEqualTo(Symbol.Kind.OBJECT);
        assertThat(t.lookup("_start").orElseThrow().address()).isEqualTo(0x40010000L);
        assertThat(t.lookup("no_such_function")).isEmpty();
        assertThat(t.describe(0x4001018cL)).isEqualTo("uart_puts+0x0");
        assertThat(t.describe(0x40010190L)).isEqualTo("uart_puts+0x4");
        assertThat(t.describe(0x1000L)).isEqualTo("0x00001000");
    }

    @Test
    void everySampleImageHasItsMainFunction() throws Exception {
        for (String name : new String[] {"hello.elf", "echo.elf", "ticker.elf", "abort.elf", "semihost.elf"}) {
            SymbolTable t = SymbolTable.load(image(name));
            assertThat(t.lookup("main")).as(name).hasValueSatisfying(s -> assertThat(s.kind()).isEqualTo(Symbol.Kind.FUNCTION));
        }
    }

    @Test
    void readsASystemMap() throws Exception {
        SymbolTable t = SymbolTable.load(fixture());
        assertThat(t.lookup("gic_handle_irq")).contains(new Symbol("gic_handle_irq", 0xc0100000L, 0, Symbol.Kind.FUNCTION));
        assertThat(t.lookup("handle_irq_event").orElseThrow().kind()).isEqualTo(Symbol.Kind.FUNCTION);
        assertThat(t.lookup("jiffies").orElseThrow().kind()).isEqualTo(Symbol.Kind.OBJECT);
        assertThat(t.lookup("__vectors_lma")).as("absolute symbols name no place").isEmpty();
        assertThat(t.lookup("some_undefined")).isEmpty();
        assertThat(t.describe(0xc0100044L)).isEqualTo("handle_irq_event+0x4");
        assertThat(t.describe(0xc0008010L)).as("the first of two names at one address").isEqualTo("_text+0x10");
    }

    @Test
    void aBadSystemMapLineIsNamedWithWhatWasExpected() throws Exception {
        Path bad = tmp.resolve("System.map");
        Files.writeString(bad, "c0008000 T _text\nc0008004 T\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SymbolTable.load(bad))
                .isInstanceOf(ImageException.class)
                .hasMessage(bad + ": line 2: 'c0008004 T' is not a System.map line; expected 'ADDRESS TYPE NAME'"
                        + " (hex address, a type letter, a name), as in 'c0008000 T _text'");
    }

    @Test
    void otherBadInputGetsOneLineNamingTheFile() throws Exception {
        Path empty = tmp.resolve("empty.map");
        Files.writeString(empty, "\n\n");
        assertThatThrownBy(() -> SymbolTable.load(empty)).hasMessageStartingWith(empty + ": no symbols; expected");
        Path missing = tmp.resolve("missing.map");
        assertThatThrownBy(() -> SymbolTable.load(missing)).hasMessage(missing + ": no such file, expected an ELF executable or a System.map");
        Path stripped = tmp.resolve("stripped.elf");
        Files.write(stripped, ElfBuilder.minimal().stripped().build());
        assertThatThrownBy(() -> SymbolTable.load(stripped)).hasMessageStartingWith(stripped + ": an ELF without a symbol table");
        Path binary = tmp.resolve("blob.bin");
        Files.write(binary, new byte[] {0, 1, 2, (byte) 0xff});
        assertThatThrownBy(() -> SymbolTable.load(binary)).hasMessageStartingWith(binary + ": line 1: ");
    }
}
