/** SPI: ARM's PL022 synchronous serial port as a bus master, and the slaves on it: a JEDEC SPI NOR flash and an SPI EEPROM, backed by files. */
package brassboard.devices.spi;
