/**
 * Public contracts of USB mass storage: a block backend (what a disk stores its sectors in), the
 * one-line error for a bad disk image, and the replies the bulk-only transport gives the USB
 * device that wraps it (one per bulk transaction or control request).
 */
package brassboard.devices.storage.api;
