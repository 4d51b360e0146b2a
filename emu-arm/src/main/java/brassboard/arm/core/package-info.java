/** Architectural state of an ARMv7-A core: banked registers, PSRs, modes, the exception model, memory access with aborts, and CP15. */
package brassboard.arm.core;
