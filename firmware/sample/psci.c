/* Brassboard sample firmware: PSCI power-state calls. */
#include "arch.h"
#include "psci.h"

void psci_system_off(void)
{
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		;	/* SYSTEM_OFF does not return; if it does, park. */
}

void psci_system_reset(void)
{
	psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	for (;;)
		;
}
