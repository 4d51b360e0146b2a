/** A bounds-checked reader for 32-bit little-endian ARM ELF executables: loadable segments, entry point and symbols. */
package brassboard.firmware.elf;
