/** Differential testing of the A32 core against Debian's {@code qemu-arm}: random valid instruction sequences, a generated ARM Linux ELF harness, and minimised mismatch reports. */
package brassboard.boards.conformance;
