/**
 * The WiFi pair of docs/devices/wifi.md: a baseband on PCIe (e1000-style descriptor rings, interrupt causes and moderation,
 * a firmware-ready handshake, its own SPI master), the RF transceiver on that SPI master (AD9361-style registers,
 * synthesizers that lock in virtual time, calibration), and the air: pcap files and a seeded generator in, a pcap file out.
 */
package brassboard.devices.wifi;
