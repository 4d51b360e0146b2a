/**
 * A SCSI target (SPC-4 / SBC-3) whose logical units are ATA disks reached through a small
 * SCSI-to-ATA translation (after SAT): commands, sense data, unit attention, mode pages, VPD pages.
 */
package brassboard.devices.storage.scsi;
