#!/usr/bin/env python3
"""Runs one A32 word under qemu-arm (Cortex-A15) and prints what it changed (see UNPREDICTABLE.md).

    python3 probe_word.py WORD ["pre-asm; pre-asm"] [REGS]

REGS (default "5") is a comma list: a bare register number points that register at the middle of a
16-word buffer (word i = 0x11110000 + i * 0x101), "n=value" sets it; every other r0-r12 is 0xA0 + n
and lr is 0xAE. The optional assembly runs first (e.g. "ldrex r12, [r5]" to arm the monitor).
Prints the registers and buffer words that changed, or the signal (4 = SIGILL: UNDEFINED).

Needs arm-none-eabi-gcc, arm-none-eabi-nm and qemu-arm on the PATH.
"""
import subprocess
import sys
import tempfile


def run(word, pre="", regs="5"):
    extra = {int(k): v for k, v in (x.split("=") for x in regs.split(",") if "=" in x)}
    bases = [int(b) for b in regs.split(",") if b and "=" not in b]
    lines = [".syntax unified", ".arm", ".global _start", "_start:"]
    for i in range(13):
        if i in bases:
            lines.append(f"ldr r{i}, =buf+32")
        elif i in extra:
            lines.append(f"ldr r{i}, ={extra[i]}")
        else:
            lines.append(f"ldr r{i}, =0x{0xA0 + i:08x}")
    lines.append("ldr lr, =0xAE")
    lines += [p for p in pre.split(";") if p.strip()]
    lines.append(f".inst 0x{word}")
    lines += ["ldr sp, =save", "stmia sp, {r0-r12, lr}", "mov r0, #1", "ldr r1, =save", "mov r2, #(14*4+64)",
              "mov r7, #4", "svc 0", "mov r0, #0", "mov r7, #1", "svc 0", ".ltorg",
              ".data", ".align 3", "save: .space 56", "buf:"]
    lines += [f".word 0x{0x11110000 + i * 0x101:08x}" for i in range(16)]
    with tempfile.TemporaryDirectory() as t:
        with open(t + "/p.s", "w") as f:
            f.write("\n".join(lines) + "\n")
        subprocess.run(["arm-none-eabi-gcc", "-nostdlib", "-static", "-marm", "-mcpu=cortex-a15",
                        "-Wl,-Ttext=0x10000", "-o", t + "/p", t + "/p.s"], check=True)
        nm = subprocess.run(["arm-none-eabi-nm", t + "/p"], capture_output=True, text=True).stdout
        buf = int([l for l in nm.splitlines() if l.endswith(" buf")][0].split()[0], 16)
        p = subprocess.run(["qemu-arm", "-cpu", "cortex-a15", t + "/p"], capture_output=True)
    if p.returncode != 0:
        return f"{word}: rc={p.returncode} {p.stderr.decode().strip()[:80]}"
    v = [int.from_bytes(p.stdout[i:i + 4], "little") for i in range(0, len(p.stdout), 4)]

    def show(x):
        return f"buf+{x - buf}" if buf <= x < buf + 64 else f"{x:x}"
    changed = " ".join(f"r{i if i < 13 else 14}={show(x)}" for i, x in enumerate(v[:14])
                       if x != (0xA0 + i if i < 13 else 0xAE))
    memory = " ".join(f"[{4 * i}]={x:08x}" for i, x in enumerate(v[14:]) if x != 0x11110000 + i * 0x101)
    return f"{word}: {changed} | {memory}"


if __name__ == "__main__":
    print(run(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "", sys.argv[3] if len(sys.argv) > 3 else "5"))
