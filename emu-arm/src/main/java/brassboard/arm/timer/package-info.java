/** Timers of the ARM core and its system: the per-core Generic Timer reached through CP15 c14 ({@link brassboard.arm.timer.GenericTimer}) and the SP804 dual-timer PrimeCell ({@link brassboard.arm.timer.Sp804}). */
package brassboard.arm.timer;
