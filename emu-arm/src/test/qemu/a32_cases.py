#!/usr/bin/env python3
"""Runs A32 instructions under qemu-arm (Cortex-A15) and prints JUnit @CsvSource rows.

Each case sets r0-r3 and the APSR (NZCVQ, GE), executes one instruction, and records r0, r1 and
the APSR after it. The rows (word, asm, r0, r1, r2, r3, apsr in; r0, r1, apsr out) are pasted into
the tests that cite this script, so the expected values are QEMU's, not ours.

    python3 a32_cases.py CASES_FILE    # CASES_FILE: lines "asm | r0 r1 r2 r3 apsr" (hex)

An encoding the assembler refuses (an UNPREDICTABLE register choice) is written
".inst 0x<word> ; <asm>": the word is executed, the text after ';' labels the row.

Needs arm-none-eabi-gcc, arm-none-eabi-objdump and qemu-arm on the PATH.
"""
import os
import subprocess
import sys
import tempfile


def words_of(asm_lines, tmp):
    src = os.path.join(tmp, "w.s")
    with open(src, "w") as f:
        f.write(".syntax unified\n.arm\n" + "\n".join(asm_lines) + "\n")
    obj = os.path.join(tmp, "w.o")
    subprocess.run(["arm-none-eabi-as", "-march=armv7ve", "-o", obj, src], check=True)
    dump = subprocess.run(["arm-none-eabi-objdump", "-d", obj], check=True, capture_output=True, text=True).stdout
    words = []
    for line in dump.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[0].strip().endswith(":"):
            words.append(parts[1].strip())
    assert len(words) == len(asm_lines), dump
    return words


def run(cases, tmp):
    body = ["ldr r8, =buf"]
    for asm, (r0, r1, r2, r3, apsr) in cases:
        body += [f"ldr r0, =0x{r0:08x}", f"ldr r1, =0x{r1:08x}", f"ldr r2, =0x{r2:08x}",
                 f"ldr r3, =0x{r3:08x}", f"ldr r4, =0x{apsr:08x}", "msr APSR_nzcvqg, r4",
                 asm.split(";")[0], "mrs r4, APSR", "stmia r8!, {r0, r1, r4}", "b 1f", ".ltorg", "1:"]
    body += ["mov r0, #1", "ldr r1, =buf", f"ldr r2, ={12 * len(cases)}", "mov r7, #4", "svc 0",
             "mov r0, #0", "mov r7, #1", "svc 0", ".ltorg"]
    src = os.path.join(tmp, "p.s")
    with open(src, "w") as f:
        f.write(".syntax unified\n.arm\n.global _start\n_start:\n" + "\n".join(body)
                + f"\n.bss\n.align 2\nbuf: .space {12 * len(cases)}\n")
    exe = os.path.join(tmp, "p")
    subprocess.run(["arm-none-eabi-gcc", "-nostdlib", "-static", "-marm", "-mcpu=cortex-a15", "-o", exe, src],
                   check=True)
    out = subprocess.run(["qemu-arm", "-cpu", "cortex-a15", exe], check=True, capture_output=True).stdout
    return [int.from_bytes(out[i:i + 4], "little") for i in range(0, len(out), 4)]


def main():
    cases = []
    for line in open(sys.argv[1]):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        asm, values = line.split("|")
        cases.append((asm.strip(), [int(v, 16) for v in values.split()]))
    with tempfile.TemporaryDirectory() as tmp:
        words = words_of([c[0].split(";")[0] for c in cases], tmp)
        results = run(cases, tmp)
    for i, (asm, (r0, r1, r2, r3, apsr)) in enumerate(cases):
        o0, o1, oapsr = results[3 * i:3 * i + 3]
        label = asm.split(";")[-1].strip()
        print(f'        "{words[i].upper()}, \'{label}\', {r0:08X}, {r1:08X}, {r2:08X}, {r3:08X}, {apsr:08X}, '
              f'{o0:08X}, {o1:08X}, {oapsr & 0xF80F0000:08X}",')


if __name__ == "__main__":
    main()
