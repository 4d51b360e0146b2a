/** The USB device framework (USB 2.0 chapter 9): descriptors as records, standard requests, device states, data toggles and transaction results. */
package brassboard.bus.usb;
