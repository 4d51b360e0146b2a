/** The EHCI 1.0 host controller: capability and operational registers, root-hub ports, the periodic and asynchronous schedules walked in virtual time, and its PCI function. */
package brassboard.bus.usb.ehci;
