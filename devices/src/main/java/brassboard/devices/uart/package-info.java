/** The ARM PrimeCell PL011 UART (DDI 0183) and its host backends: console sinks, scripted and forwarded input. */
package brassboard.devices.uart;
