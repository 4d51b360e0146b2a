/** VFPv4-D32 and Advanced SIMD state of an ARMv7-A core (the extension register file, FPSCR, FPEXC, the ID registers, CPACR access control) and the ARM ARM floating-point pseudocode (A2.7), bit-exact in every rounding mode. */
package brassboard.arm.vfp;
