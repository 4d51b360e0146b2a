/** The simulation kernel's public contracts: virtual time, interrupt lines, the system bus, device registers, fault points and trace events. */
package brassboard.bus.api;
