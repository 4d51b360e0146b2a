/** The register/field DSL with which devices declare their MMIO registers (spec names, access modes, reset values, callbacks). */
package brassboard.bus.api.regs;
