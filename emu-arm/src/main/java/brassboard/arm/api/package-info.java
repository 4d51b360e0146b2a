/** The public contract of the ARM core: the {@link brassboard.arm.api.ArmCpu} facade, the callbacks a board implements, and debug observers. */
package brassboard.arm.api;
