/** The host's own USB devices: listing them and capturing their descriptors through usb4java (libusb), and the descriptor YAML the bridge models load. */
package brassboard.boards.hostusb;
