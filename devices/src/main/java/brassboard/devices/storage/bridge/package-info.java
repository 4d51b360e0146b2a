/** USB-to-ATA bridges as the field note met them: the Super Top 14cd:6600 and the JMicron JM20337 152d:2338, each a USB mass-storage device translating SCSI to ATA for a disk behind it. */
package brassboard.devices.storage.bridge;
