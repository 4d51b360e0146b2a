/*
 * wifi-rx-flood: frames arrive faster than the NET_RX softirq can take them.
 * Run with --wifi channel=6,rx-rate=400000,rx-count=2000,rx-start=2ms: a
 * burst of 2000 frames 2.5 us apart, while the stack needs 3 us per frame plus
 * the driver's own work. Every NAPI poll then finds its whole weight (64)
 * in the ring, net_rx_action spends its budget (300) and raises NET_RX again,
 * and __do_softirq, restarting, gives up and hands NET_RX to ksoftirqd/0.
 * The ring (512 descriptors) holds the backlog: the counters show that every
 * frame the device put in the ring was received, and none was missed.
 */
#include "wifi.h"

const char demo_name[] = "wifi-rx-flood";

#define FLOOD_FRAMES 2000u	/* what the command line above sends */
#define FLOOD_DEADLINE_US 200000u

void demo_main(void *arg)
{
	struct wifi_config cfg = { .channel = 6, .rx_cost_us = 3, .itr = 0, .work_cpu = 1, .verbose_rx = 1 };
	u32 waited = 0, last = 0, i;
	struct wifi_stats *s = &wifi_stats;

	(void)arg;
	if (nr_cpus_online < 2)
		cfg.work_cpu = 0;
	printk("wifi-rx-flood: %u CPUs; expects --wifi channel=6,rx-rate=400000,rx-count=%u,rx-start=2ms "
	       "(a frame every 2.5 us; the stack needs 3 us per frame)\n", nr_cpus_online, FLOOD_FRAMES);
	softirq_verbose = 1;
	if (wifi_probe(&cfg) < 0) {
		printk("wifi-rx-flood: no WiFi device, powering off\n");
		system_off();
	}
	for (i = 0; i < 4; i++)
		wifi_xmit(128);
	wifi_tx_flush();

	/* 10 ms naps (no wake-up, so no need_resched, on cpu0 during the flood),
	 * until the air has been quiet for one */
	while (waited < FLOOD_DEADLINE_US) {
		schedule_timeout_us(10000);
		waited += 10000;
		wifi_update_stats();
		if (wifi_frames_accounted() && wifi_frames_accounted() == last)
			break;
		last = wifi_frames_accounted();
	}
	printk("wifi-rx-flood: flood over: %u NAPI polls, %u of them used their whole weight (%u) "
	       "and were polled again; %u hand-off(s) to ksoftirqd/0\n",
	       s->napi_polls, s->napi_full_polls, NAPI_POLL_WEIGHT, softirq_stats[0].handoffs);
	printk("wifi-rx-flood: a poll found at most %u frames waiting in the RX ring (the device may own %u)\n",
	       s->rx_peak_backlog, WIFI_RX_RING_SIZE - 1);
	wifi_print_stats("wifi-rx-flood");
	if (s->rx_frames + s->rx_dropped == s->rx_ring_delivered && s->rx_seq_gaps == s->rx_ring_full)
		printk("wifi-rx-flood: nothing lost that the ring could hold: %u frames on the air, "
		       "the device put %u in the ring and the driver took all of them; %u found the ring full\n",
		       wifi_frames_accounted(), s->rx_ring_delivered, s->rx_ring_full);
	else
		printk("wifi-rx-flood: LOST FRAMES: the device put %u in the ring, the driver took %u; "
		       "%u sequence gaps, %u ring-full misses\n", s->rx_ring_delivered,
		       s->rx_frames + s->rx_dropped, s->rx_seq_gaps, s->rx_ring_full);
	wifi_shutdown();
	printk("wifi-rx-flood: powering off\n");
	system_off();
}
