/** Loading firmware images (ELF executables and raw binaries) into segments a board places in its memory. */
package brassboard.firmware.api;
