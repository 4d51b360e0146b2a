/*
 * wifi-pll-unlock: the RF loses PLL lock mid-traffic; the driver notices
 * (ICR.RFEV, RFEVT.RXUNLOCK/TXUNLOCK in the top half), re-programs both
 * synthesizers and recalibrates over the baseband's SPI master in a workqueue
 * item on cpu1, and traffic resumes. Run with
 *   --wifi channel=6,rx-rate=20000,rx-count=400,rx-start=2ms
 *   --faults docs/examples/wifi-pll-unlock.yaml   (rf.rf0 pll-unlock at 8 ms)
 * Without the plan it receives all 400 frames and recalibrates 0 times.
 */
#include "wifi.h"

const char demo_name[] = "wifi-pll-unlock";

#define FRAMES 400u
#define DEADLINE_US 100000u

void demo_main(void *arg)
{
	struct wifi_config cfg = { .channel = 6, .rx_cost_us = 0, .itr = 0, .work_cpu = 1, .verbose_rx = 1 };
	struct wifi_stats *s = &wifi_stats;
	u32 waited = 0;

	(void)arg;
	if (nr_cpus_online < 2)
		cfg.work_cpu = 0;
	printk("wifi-pll-unlock: %u CPUs; expects --wifi channel=6,rx-rate=20000,rx-count=%u,rx-start=2ms; "
	       "RF work on cpu%u\n", nr_cpus_online, FRAMES, cfg.work_cpu);
	if (wifi_probe(&cfg) < 0) {
		printk("wifi-pll-unlock: no WiFi device, powering off\n");
		system_off();
	}
	/* one frame out per ms while the traffic comes in */
	while (wifi_frames_accounted() < FRAMES && waited < DEADLINE_US) {
		wifi_xmit(128);
		schedule_timeout_us(1000);
		waited += 1000;
		wifi_update_stats();
	}
	wifi_tx_flush();
	wifi_update_stats();
	printk("wifi-pll-unlock: traffic over: last frame received seq %u, %u RF unlock event(s)\n",
	       wifi_last_seq, s->rf_events);
	wifi_print_stats("wifi-pll-unlock");
	if (wifi_frames_accounted() == FRAMES)
		printk("wifi-pll-unlock: all %u frames accounted for: %u received, %u missed while the RF "
		       "was unlocked or uncalibrated\n", FRAMES, s->rx_frames, s->rx_rfmiss);
	else if (wifi_frames_accounted() < FRAMES)
		printk("wifi-pll-unlock: %u of %u frames unaccounted for\n",
		       FRAMES - wifi_frames_accounted(), FRAMES);
	else
		printk("wifi-pll-unlock: %u frames on the air, more than the %u expected (run with the --wifi above)\n",
		       wifi_frames_accounted(), FRAMES);
	wifi_shutdown();
	printk("wifi-pll-unlock: powering off\n");
	system_off();
}
