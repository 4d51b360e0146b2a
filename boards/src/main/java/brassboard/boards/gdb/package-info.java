/** A GDB remote serial protocol stub over TCP: registers, memory, breakpoints, watchpoints and stepping of a machine's cores. */
package brassboard.boards.gdb;
