/**
 * An ATA disk (ATA8-ACS) over a block backend: the command set as a table, IDENTIFY DEVICE, sector
 * reads and writes in LBA28 and LBA48, SMART, power modes, and the medium layer through which a
 * later fault model can fail sectors.
 */
package brassboard.devices.storage.ata;
