/*
 * wifi-rx-flood: frames arrive faster than the NET_RX softirq can take them.
 * Run with --wifi channel=6,rx-rate=500000,rx-count=2000,rx-start=2ms: a
 * burst of 2000 frames 2 us apart, while the stack needs 2 us per frame plus
 * the driver's own work. Every NAPI poll then finds its whole weight (64)
 * in the ring, net_rx_action spends its budget (300) and raises NET_RX again,
 * and __do_softirq, restarting, gives up and hands NET_RX to ksoftirqd/0.
 * The ring (512 descriptors) holds the backlog: the counters show that every
 * frame the device put in the ring was received, and none was missed.
 */
#include "wifi.h"

const char demo_name[] = "wifi-rx-flood";

#define FLOOD_FRAMES 2000u
#define FLOOD_DEADLINE_US 200000u

void demo_main(void *arg)
{
	struct wifi_config cfg = { .channel = 6, .rx_cost_us = 2, .itr = 0, .work_cpu = 1, .verbose_rx = 1 };
	u32 waited = 0, i;
	struct wifi_stats *s = &wifi_stats;

	(void)arg;
	if (nr_cpus_online < 2)
		cfg.work_cpu = 0;
	printk("wifi-rx-flood: %u CPUs; expects --wifi channel=6,rx-rate=500000,rx-count=%u,rx-start=2ms "
	       "(a frame every 2 us; the stack needs 2 us per frame)\n", nr_cpus_online, FLOOD_FRAMES);
	softirq_verbose = 1;
	if (wifi_probe(&cfg) < 0) {
		printk("wifi-rx-flood: no WiFi device, powering off\n");
		system_off();
	}
	for (i = 0; i < 4; i++)
		wifi_xmit(128);
	wifi_tx_flush();

	while (wifi_frames_accounted() < FLOOD_FRAMES && waited < FLOOD_DEADLINE_US) {
		schedule_timeout_us(1000);
		waited += 1000;
		wifi_update_stats();
	}
	printk("wifi-rx-flood: flood over: %u NAPI polls (%u used the whole weight of %u), "
	       "net_rx_action out of budget %u times, %u hand-off(s) to ksoftirqd/0\n",
	       s->napi_polls, s->napi_full_polls, NAPI_POLL_WEIGHT, softnet_data[0].time_squeeze,
	       softirq_stats[0].handoffs);
	wifi_print_stats("wifi-rx-flood");
	if (s->rx_frames == s->rx_ring_delivered && s->rx_ring_full == 0 && wifi_frames_accounted() == FLOOD_FRAMES)
		printk("wifi-rx-flood: nothing lost: all %u frames on the air went through the ring and were received\n",
		       FLOOD_FRAMES);
	else
		printk("wifi-rx-flood: LOST FRAMES: %u on the air, the device put %u in the ring, the driver received %u\n",
		       FLOOD_FRAMES, s->rx_ring_delivered, s->rx_frames);
	wifi_shutdown();
	printk("wifi-rx-flood: powering off\n");
	system_off();
}
