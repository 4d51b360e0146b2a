/** What every ARM PrimeCell shares: the peripheral and PrimeCell identification registers at 0xFE0-0xFFC. */
package brassboard.devices.primecell;
