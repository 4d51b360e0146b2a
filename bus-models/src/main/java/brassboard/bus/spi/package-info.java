/** SPI: the slave contract every SPI device implements, clock modes, and the bus that connects a controller's chip selects to its slaves in virtual time. */
package brassboard.bus.spi;
