/** Block backends: a raw image file (copy-on-write by default, write-through, or read-only) and memory. */
package brassboard.devices.storage.block;
