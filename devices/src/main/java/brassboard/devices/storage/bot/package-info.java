/**
 * USB Mass Storage Class Bulk-Only Transport 1.0: the CBW / data / CSW state machine between a USB
 * device's bulk endpoints and a SCSI target, without any USB framework class.
 */
package brassboard.devices.storage.bot;
