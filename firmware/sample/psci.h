/* Brassboard sample firmware: PSCI (HVC conduit on the virt board). */
#ifndef BRASSBOARD_PSCI_H
#define BRASSBOARD_PSCI_H

#define PSCI_SYSTEM_OFF   0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

void psci_system_off(void) __attribute__((noreturn));
void psci_system_reset(void) __attribute__((noreturn));

#endif
