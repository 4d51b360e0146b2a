/** USB mass-storage devices on the USB device framework: QEMU's {@code usb-storage} stick over the bulk-only transport. */
package brassboard.devices.storage.usb;
