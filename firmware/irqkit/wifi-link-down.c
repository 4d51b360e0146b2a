/*
 * wifi-link-down: the PCIe link drops while frames are moving both ways.
 * Run with
 *   --wifi channel=6,rx-rate=20000,rx-count=400,rx-start=2ms
 *   --faults docs/examples/wifi-link-down.yaml    (pcie.wifi0.link down 8-11 ms)
 * cpu1's sender thread queues 4 frames every ms and flushes. The driver
 * notices the device gone (BAR0 reads all-ones: in the flush, the watchdog,
 * or ICR.ERR once the link is back), and its reset work retries with
 * exponential backoff until the link is back, then resets the baseband,
 * re-initialises both rings and re-programs the RF; traffic resumes.
 *
 * Built with -DNO_REMEDY (wifi-link-down-noremedy) the driver's flush waits
 * for TDH with the TX lock held and IRQs off: cpu1 spins there forever, cpu0
 * then spins on the TX lock in the TX-completion tasklet, and the machine
 * never powers off; the lockup detector names both.
 */
#include "wifi.h"

#ifdef NO_REMEDY
const char demo_name[] = "wifi-link-down-noremedy";
#else
const char demo_name[] = "wifi-link-down";
#endif

#define FRAMES 400u
#define DEADLINE_US 100000u
#define TX_BURST 4u

static volatile int tx_stop;
static volatile int tx_done;
static struct thread *main_thread;

static void tx_thread(void *arg)
{
	u32 i;

	(void)arg;
	while (!READ_ONCE(tx_stop)) {
		for (i = 0; i < TX_BURST; i++)
			wifi_xmit(256);
		wifi_tx_flush();
		schedule_timeout_us(1000);
	}
	tx_done = 1;
	wake_up_thread(main_thread);
	for (;;) {
		set_current_state(TASK_SLEEPING);
		schedule();
	}
}

void demo_main(void *arg)
{
	struct wifi_config cfg = { .channel = 6, .rx_cost_us = 0, .itr = 0, .work_cpu = 1, .verbose_rx = 1 };
	struct wifi_stats *s = &wifi_stats;
	u32 waited = 0, tx_cpu = nr_cpus_online > 1 ? 1 : 0;

	(void)arg;
	main_thread = current;
	cfg.work_cpu = tx_cpu;
	printk("%s: %u CPUs; expects --wifi channel=6,rx-rate=20000,rx-count=%u,rx-start=2ms; "
	       "sender and recovery on cpu%u%s\n", demo_name, nr_cpus_online, FRAMES, tx_cpu,
#ifdef NO_REMEDY
	       " (driver WITHOUT the link-down remedy)"
#else
	       ""
#endif
	       );
	if (wifi_probe(&cfg) < 0) {
		printk("%s: no WiFi device, powering off\n", demo_name);
		system_off();
	}
	kthread_create_on_cpu(tx_thread, NULL, "wifi-tx", tx_cpu);

	while (wifi_frames_accounted() < FRAMES && waited < DEADLINE_US) {
		schedule_timeout_us(1000);
		waited += 1000;
		wifi_update_stats();
	}
	tx_stop = 1;
	while (!READ_ONCE(tx_done))
		schedule_timeout_us(1000);	/* the sender finishes its burst */
	wifi_update_stats();
	printk("%s: traffic over: last frame received seq %u, %u link-down(s) noticed\n",
	       demo_name, wifi_last_seq, s->link_downs);
	wifi_print_stats(demo_name);
	if (wifi_frames_accounted() == FRAMES)
		printk("%s: all %u frames accounted for: %u received, %u missed by the device "
		       "while the link was down or the RF re-tuning\n", demo_name, FRAMES, s->rx_frames,
		       s->rx_ring_full + s->rx_rfmiss + s->rx_dma_lost);
	else if (wifi_frames_accounted() < FRAMES)
		printk("%s: %u of %u frames unaccounted for\n", demo_name,
		       FRAMES - wifi_frames_accounted(), FRAMES);
	else
		printk("%s: %u frames on the air, more than the %u expected (run with the --wifi above)\n",
		       demo_name, wifi_frames_accounted(), FRAMES);
	wifi_shutdown();
	printk("%s: powering off\n", demo_name);
	system_off();
}
