/** Building, writing and reading flattened device-tree blobs (Devicetree Specification v0.4, chapter 5). */
package brassboard.firmware.fdt;
