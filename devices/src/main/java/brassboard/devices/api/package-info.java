/** Public contracts of the device models: what a character device's far end (a host console, a file, a script) looks like to the UART. */
package brassboard.devices.api;
