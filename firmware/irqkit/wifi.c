/*
 * irqkit driver for the WiFi baseband wifi0 and its RF transceiver rf0
 * (docs/devices/wifi.md). See wifi.h for the shape; the halves:
 *
 *   wifi_interrupt    hard IRQ (INTx, GIC SPI): read ICR (acks), mask RX
 *                     (IMC), napi_schedule / tasklet_schedule / queue work
 *   wifi_poll         NET_RX softirq (NAPI): up to `budget` RX descriptors,
 *                     re-arm, RDT; drained -> napi_complete_done + IMS
 *   wifi_tx_complete  tasklet: reclaim written-back TX descriptors
 *   wifi_rf_work      workqueue: RF lost lock -> re-program both
 *                     synthesizers over SPI, wait for lock, recalibrate
 *   wifi_reset_work   delayed work with backoff: link back? -> CTRL.RST,
 *                     rings re-initialised, RF re-programmed
 *   wifi_watchdog     delayed work every 1 ms: BAR0 reading all-ones means
 *                     the device is gone (PCIe link down)
 */
#include "wifi.h"

/* DMA memory: rings and buffers in RAM above the image (irqkit.ld gives the
 * image 1 MiB at 0x40010000). The MMU is off, so it is uncached for both. */
#define WIFI_DMA_BASE	0x40400000u
#define RX_N		WIFI_RX_RING_SIZE	/* RDLEN 8 KiB */
#define TX_N		64u			/* TDLEN 1 KiB */
#define BUF_SIZE	2048u			/* RCTL.BSIZE 00, BSEX 0 */
#define RX_RING		(WIFI_DMA_BASE)
#define TX_RING		(WIFI_DMA_BASE + RX_N * 16u)
#define RX_BUFS		(WIFI_DMA_BASE + 0x10000u)
#define TX_BUFS		(RX_BUFS + RX_N * BUF_SIZE)

#define WIFI_IRQ_CAUSES	(ICR_RXT0 | ICR_RXO | ICR_TXDW | ICR_RFEV | ICR_ERR)
#define RX_CAUSES	(ICR_RXT0 | ICR_RXO)
#define SPI_DIV		4u			/* 10 MHz SCK */
#define FRAME_SEQ_OFF	32u			/* generated frames: n, 32-bit LE */

struct wifi_stats wifi_stats;
u32 wifi_last_seq;

struct wifi_priv {
	struct pci_dev *pdev;
	u32 bar;
	struct wifi_config cfg;
	struct napi_struct napi;
	struct tasklet_struct tx_tasklet;
	struct work_struct rf_work;
	struct delayed_work reset_work;
	struct delayed_work watchdog;
	spinlock_t tx_lock;		/* tx_tail, tx_clean, tx_stopped */
	spinlock_t stats_lock;		/* the device counters folded into wifi_stats */
	spinlock_t rf_lock;		/* rfevt: top half (cpu0) -> wifi_rf_work (work_cpu) */
	u32 rx_next;			/* next RX descriptor to clean */
	u32 tx_tail;			/* next TX descriptor to fill (our TDT) */
	u32 tx_clean;			/* next TX descriptor to reclaim */
	u32 tx_seq;
	int tx_stopped;
	int have_seq;
	int announce_rx;		/* print the next frame received */
	volatile u32 rfevt;		/* RFEVT bits the top half latched for wifi_rf_work */
	volatile u32 errstat;
	volatile u32 recovering;	/* bit 0 */
	u32 backoff_us;
	u32 attempt;
	int up;
};

static struct wifi_priv wifi;

static inline u32 rd(u32 off) { return readl(wifi.bar + off); }
static inline void wr(u32 off, u32 v) { writel(v, wifi.bar + off); }
static inline struct rx_desc *rx_desc(u32 i) { return (struct rx_desc *)(RX_RING + i * 16u); }
static inline struct tx_desc *tx_desc(u32 i) { return (struct tx_desc *)(TX_RING + i * 16u); }
static inline u32 ring_next(u32 i, u32 n) { return i + 1 == n ? 0 : i + 1; }

static int counter_after(u32 deadline)
{
	return (s32)((u32)read_counter() - deadline) >= 0;
}

/* ========================================================================
 * The RF over the baseband's SPI master (process context only: it polls)
 * ====================================================================== */

/* One 8-bit word: send `out`, return the byte the RF drove on MISO, or -1
 * when the master never finishes (or BAR0 reads all-ones: the link is down). */
static int spi_byte(u32 out)
{
	u32 i, st = 0;

	wr(WIFI_SPIDATA, out & 0xffu);
	for (i = 0; i < 1000; i++) {
		st = rd(WIFI_SPISTAT);
		if (st == 0xffffffffu)
			return -1;
		if (!(st & SPISTAT_BUSY))
			break;
	}
	if (st & SPISTAT_BUSY)
		return -1;
	wr(WIFI_SPISTAT, SPISTAT_DONE | SPISTAT_OVR);
	return (int)(rd(WIFI_SPIDATA) & 0xffu);
}

/*
 * One AD9361-style transaction (UG-671 "SPI interface"): CS, the 16-bit
 * instruction (W/R, NB = n - 1, 10-bit address), n data bytes for addr,
 * addr - 1, ... ; in[] gets what the RF drove during each data byte.
 */
static int rf_transfer(int write, u32 addr, const u8 *out, u8 *in, u32 n)
{
	u32 instr = (write ? 0x8000u : 0) | ((n - 1) << 12) | (addr & 0x3ffu), i;
	int ok = 0, b;

	wr(WIFI_SPICTL, SPICTL_DIV(SPI_DIV) | SPICTL_BITS8 | SPICTL_CS);
	if (spi_byte(instr >> 8) < 0 || spi_byte(instr) < 0)
		ok = -1;
	for (i = 0; ok == 0 && i < n; i++) {
		b = spi_byte(write ? out[i] : 0);
		if (b < 0)
			ok = -1;
		else if (in)
			in[i] = (u8)b;
	}
	wr(WIFI_SPICTL, SPICTL_DIV(SPI_DIV) | SPICTL_BITS8);
	return ok;
}

static int rf_write1(u32 addr, u32 v)
{
	u8 b = (u8)v;

	return rf_transfer(1, addr, &b, NULL, 1);
}

static int rf_read1(u32 addr)
{
	u8 b;

	if (rf_transfer(0, addr, NULL, &b, 1) < 0)
		return -1;
	return b;
}

/* n / d for a 64-bit n (the kernel links no __aeabi_uldivmod): shift-subtract. */
static u32 div_u64_u32(u64 n, u32 d)
{
	u64 q = 0, r = 0;
	int i;

	for (i = 63; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1u);
		if (r >= d) {
			r -= d;
			q |= (u64)1 << i;
		}
	}
	return (u32)q;
}

static u32 channel_mhz(u32 ch)
{
	return ch == 14 ? 2484u : 2407u + 5u * ch;
}

/*
 * Program both synthesizers for the channel (wifi.md "Synthesizers"): D = 1
 * (LO = VCO / 4) on 2.4 GHz, N = VCO / 40 MHz, N_frac over the modulus
 * 8388593, five bytes from 0x235 (RX) / 0x275 (TX) down, one transaction each.
 */
static int rf_program_channel(u32 ch)
{
	u32 vco_khz = channel_mhz(ch) * 1000u * 4u;
	u32 nint = vco_khz / 40000u, rem = vco_khz % 40000u;
	u32 nfrac = div_u64_u32((u64)2u * rem * 8388593u + 40000u, 80000u);
	u8 bytes[5] = {
		(u8)((nfrac >> 16) & 0x7fu), (u8)(nfrac >> 8), (u8)nfrac,
		(u8)((nint >> 8) & 0x7u), (u8)nint
	};

	if (rf_write1(RF_PLL_DIVIDERS, 0x11u) < 0)
		return -1;
	if (rf_transfer(1, RF_RX_FRACT_BYTE_2, bytes, NULL, 5) < 0)
		return -1;
	return rf_transfer(1, RF_TX_FRACT_BYTE_2, bytes, NULL, 5);
}

/* Poll both VCO_LOCK bits over SPI, sleeping between polls; 1 ms at most. */
static int rf_wait_lock(void)
{
	u32 deadline = (u32)read_counter() + us_to_cycles(1000);

	for (;;) {
		int rx = rf_read1(RF_RX_VCO_LOCK), tx = rf_read1(RF_TX_VCO_LOCK);

		if (rx < 0 || tx < 0)
			return -1;
		if ((rx & RF_VCO_LOCK) && (tx & RF_VCO_LOCK))
			return 0;
		if (counter_after(deadline)) {
			printk("wifi0: rf: no lock within 1 ms (RX 0x%02x, TX 0x%02x)\n", rx, tx);
			return -1;
		}
		schedule_timeout_us(10);
	}
}

/* RX_QUAD | TX_QUAD, wait for the bits to clear, check CAL_FAILED; 3 tries. */
static int rf_calibrate(void)
{
	u32 tries;

	for (tries = 1; tries <= 3; tries++) {
		u32 deadline = (u32)read_counter() + us_to_cycles(2000);
		int v, failed;

		if (rf_write1(RF_CALIBRATION_CTRL, RF_CAL_RX_QUAD | RF_CAL_TX_QUAD) < 0)
			return -1;
		do {
			schedule_timeout_us(50);
			v = rf_read1(RF_CALIBRATION_CTRL);
			if (v < 0)
				return -1;
		} while (v && !counter_after(deadline));
		failed = rf_read1(RF_CAL_FAILED);
		if (v == 0 && failed == 0)
			return 0;
		printk("wifi0: rf: calibration run %u failed (CAL_FAILED 0x%02x), retrying\n", tries,
		       failed < 0 ? 0xffu : (u32)failed);
	}
	return -1;
}

/* Tune, lock, calibrate: what RX needs (wifi.md "What receive needs"). */
static int rf_bring_up(u32 ch)
{
	if (rf_program_channel(ch) < 0 || rf_wait_lock() < 0)
		return -1;
	return rf_calibrate();
}

static int rf_init(u32 ch)
{
	int id;

	if (rf_write1(RF_SPI_CONF, 0x81u) < 0 || rf_write1(RF_SPI_CONF, 0x00u) < 0)
		return -1;
	id = rf_read1(RF_PRODUCT_ID);
	if (id < 0 || (id & 0xf8) != 0x50) {
		printk("wifi0: rf: PRODUCT_ID 0x%02x is not a BRF-1 (0x5x)\n", id < 0 ? 0xffu : (u32)id);
		return -1;
	}
	if (rf_bring_up(ch) < 0)
		return -1;
	printk("wifi0: rf0: BRF-1 rev %u, channel %u (%u MHz): synthesizers locked, RX/TX quadrature calibrated\n",
	       (u32)id & 7u, ch, channel_mhz(ch));
	return 0;
}

/* ========================================================================
 * Rings
 * ====================================================================== */

/*
 * Both rings ([e1000] sections 3.2.6 and 3.4): n 16-byte descriptors at ring,
 * each pointing at its BUF_SIZE buffer, the rest zero (DD clear); then the
 * ring's registers, which sit at the same offsets from RDBAL and TDBAL: BAL,
 * BAH (+4), LEN (+8), head (+0x10) = 0, tail (+0x18).
 */
static void ring_init(u32 bal, u32 ring, u32 bufs, u32 n, u32 tail)
{
	u32 i;

	for (i = 0; i < n; i++) {
		volatile u32 *d = (volatile u32 *)(ring + i * 16u);

		d[0] = bufs + i * BUF_SIZE;
		d[1] = 0;
		d[2] = 0;
		d[3] = 0;
	}
	wr(bal, ring);
	wr(bal + 0x04u, 0);
	wr(bal + 0x08u, n * 16u);
	wr(bal + 0x10u, 0);
	wr(bal + 0x18u, tail);
}

static void rx_ring_init(void)
{
	wifi.rx_next = 0;
	ring_init(WIFI_RDBAL, RX_RING, RX_BUFS, RX_N, RX_N - 1);	/* all but one to the device */
	wr(WIFI_RCTL, RCTL_EN | RCTL_BSIZE_2048);
}

static void tx_ring_init(void)
{
	wifi.tx_tail = 0;
	wifi.tx_clean = 0;
	ring_init(WIFI_TDBAL, TX_RING, TX_BUFS, TX_N, 0);		/* nothing to send */
	wr(WIFI_TCTL, TCTL_EN);
}

/* CTRL.RST and the firmware-ready handshake: STATUS.FWRDY within 2 ms. */
static int hw_reset(void)
{
	u32 deadline;

	wr(WIFI_IMC, 0xffffffffu);
	wr(WIFI_CTRL, CTRL_RST);
	deadline = (u32)read_counter() + us_to_cycles(2000);
	for (;;) {
		u32 st;

		schedule_timeout_us(50);
		st = rd(WIFI_STATUS);
		if (st != 0xffffffffu && (st & STATUS_FWRDY))
			break;
		if (counter_after(deadline)) {
			printk("wifi0: firmware not ready 2 ms after CTRL.RST (STATUS 0x%08x)\n", st);
			return -1;
		}
	}
	(void)rd(WIFI_ICR);		/* drop the FWRDY cause */
	return 0;
}

/* ========================================================================
 * Hard IRQ: the top half
 * ====================================================================== */

static void wifi_link_lost(const char *how);

TRACED enum irqreturn wifi_interrupt(u32 intid, void *dev)
{
	u32 icr;

	(void)intid;
	(void)dev;
	icr = rd(WIFI_ICR);			/* RC: this read acks every cause it returns */
	if (icr == 0xffffffffu) {
#ifndef NO_REMEDY
		wifi_link_lost("interrupt");
#endif
		return IRQ_HANDLED;
	}
	if (!(icr & ~ICR_INT_ASSERTED))
		return IRQ_NONE;
	wifi_stats.irqs++;
	if (icr & RX_CAUSES) {
		wr(WIFI_IMC, RX_CAUSES);	/* masked until the poll has drained the ring */
		napi_schedule(&wifi.napi);
	}
	if (icr & (ICR_TXDW | ICR_TXQE))
		tasklet_schedule(&wifi.tx_tasklet);
	if (icr & ICR_RFEV) {
		u32 ev = rd(WIFI_RFEVT);

		wr(WIFI_RFEVT, ev);		/* W1C */
		if (ev & (RFEVT_RXUNLOCK | RFEVT_TXUNLOCK)) {
			spin_lock(&wifi.rf_lock);
			wifi.rfevt |= ev;
			spin_unlock(&wifi.rf_lock);
			wifi_stats.rf_events++;
			queue_work_on(wifi.cfg.work_cpu, &wifi.rf_work);
		}
	}
	if (icr & ICR_ERR) {
		u32 err = rd(WIFI_ERRSTAT);

		wr(WIFI_ERRSTAT, err);		/* W1C */
		wifi.errstat |= err;
		printk("wifi0: error interrupt: ERRSTAT 0x%02x%s%s%s\n", err,
		       err & ERRSTAT_RXDMA ? " (RX DMA failed, receiver halted)" : "",
		       err & ERRSTAT_TXDMA ? " (TX DMA failed, transmitter halted)" : "",
		       err & ERRSTAT_POISON ? " (poisoned DMA data)" : "");
#ifndef NO_REMEDY
		if (err & (ERRSTAT_RXDMA | ERRSTAT_TXDMA | ERRSTAT_RXRING | ERRSTAT_TXRING))
			wifi_link_lost(NULL);
#endif
	}
	return IRQ_HANDLED;
}

/* ========================================================================
 * NET_RX softirq: the NAPI poll
 * ====================================================================== */

/* netif_receive_skb's part: the frame checked, its sequence counted, its
 * payload summed, and the stack's time spent. */
static void wifi_receive_frame(const u8 *buf, u32 len)
{
	u32 seq, sum = 0, i;

	if (len < FRAME_SEQ_OFF + 4) {
		wifi_stats.rx_dropped++;
		return;
	}
	seq = buf[FRAME_SEQ_OFF] | (u32)buf[FRAME_SEQ_OFF + 1] << 8 |
	      (u32)buf[FRAME_SEQ_OFF + 2] << 16 | (u32)buf[FRAME_SEQ_OFF + 3] << 24;
	if (!wifi.have_seq)
		wifi_stats.rx_seq_gaps += seq;			/* frames before the first one seen */
	else if (seq != wifi_last_seq + 1)
		wifi_stats.rx_seq_gaps += seq - wifi_last_seq - 1;
	wifi.have_seq = 1;
	wifi_last_seq = seq;
	for (i = 0; i + 4 <= len; i += 4)
		sum += *(const u32 *)(buf + i);
	(void)sum;
	wifi_stats.rx_frames++;
	if (wifi.announce_rx) {
		wifi.announce_rx = 0;
		printk("wifi0: receiving: frame seq %u, %u bytes\n", seq, len);
	}
	if (wifi.cfg.rx_cost_us)
		udelay(wifi.cfg.rx_cost_us);
}

TRACED int wifi_poll(struct napi_struct *n, int budget)
{
	int work = 0;
	u32 rdh = rd(WIFI_RDH), backlog;

	wifi_stats.napi_polls++;
	if (rdh != 0xffffffffu) {
		backlog = ((rdh & 0xffffu) + RX_N - wifi.rx_next) % RX_N;	/* written back, not yet taken */
		if (backlog > wifi_stats.rx_peak_backlog)
			wifi_stats.rx_peak_backlog = backlog;
	}
	while (work < budget) {
		struct rx_desc *d = rx_desc(wifi.rx_next);
		u32 st = d->status_err_special;

		if (!(st & RXD_DD))
			break;
		if (st & RXD_CE)
			wifi_stats.rx_dropped++;
		else
			wifi_receive_frame((const u8 *)d->addr_lo, d->len_csum & 0xffffu);
		d->status_err_special = 0;		/* give it back: DD clear */
		wifi.rx_next = ring_next(wifi.rx_next, RX_N);
		work++;
	}
	if (work)	/* the device owns up to, not including, the one before rx_next */
		wr(WIFI_RDT, wifi.rx_next ? wifi.rx_next - 1 : RX_N - 1);
	if (work == budget)
		wifi_stats.napi_full_polls++;
	if (work < budget && napi_complete_done(n, work))
		wr(WIFI_IMS, RX_CAUSES);		/* drained: interrupts again */
	return work;
}

/* ========================================================================
 * Tasklet: TX completion
 * ====================================================================== */

TRACED void wifi_tx_complete(unsigned long data)
{
	u32 flags;

	(void)data;
	wifi_stats.tx_tasklets++;
	flags = spin_lock_irqsave(&wifi.tx_lock);
	while (wifi.tx_clean != wifi.tx_tail) {
		struct tx_desc *d = tx_desc(wifi.tx_clean);
		u32 sta = d->sta_css_special;

		if (!(sta & TXD_DD))
			break;
		if (sta & TXD_NTX)
			wifi_stats.tx_not_sent++;
		else
			wifi_stats.tx_sent++;
		d->sta_css_special = 0;
		wifi.tx_clean = ring_next(wifi.tx_clean, TX_N);
	}
	spin_unlock_irqrestore(&wifi.tx_lock, flags);
}

/* One 802.11 data frame: FC 08 01 (To DS), our address, the sequence. */
int wifi_xmit(u32 len)
{
	u32 flags = spin_lock_irqsave(&wifi.tx_lock);
	u32 next = ring_next(wifi.tx_tail, TX_N), i;
	struct tx_desc *d;
	u8 *buf;

	if (wifi.tx_stopped || next == wifi.tx_clean || len < 36 || len > BUF_SIZE) {
		spin_unlock_irqrestore(&wifi.tx_lock, flags);
		return -1;
	}
	d = tx_desc(wifi.tx_tail);
	buf = (u8 *)d->addr_lo;
	for (i = 0; i < len; i++)
		buf[i] = (u8)i;
	buf[0] = 0x08;
	buf[1] = 0x01;
	buf[FRAME_SEQ_OFF] = (u8)wifi.tx_seq;
	buf[FRAME_SEQ_OFF + 1] = (u8)(wifi.tx_seq >> 8);
	buf[FRAME_SEQ_OFF + 2] = (u8)(wifi.tx_seq >> 16);
	buf[FRAME_SEQ_OFF + 3] = (u8)(wifi.tx_seq >> 24);
	wifi.tx_seq++;
	d->sta_css_special = 0;
	d->len_cso_cmd = len | TXD_CMD_EOP | TXD_CMD_RS;
	wifi.tx_tail = next;
	smp_mb();
	wr(WIFI_TDT, next);
	spin_unlock_irqrestore(&wifi.tx_lock, flags);
	return 0;
}

#ifdef NO_REMEDY
/*
 * The bug: wait for the device to send everything with the TX lock held and
 * IRQs off, until TDH reaches our tail. With the link down TDH reads
 * all-ones, and after it the halted engine's TDH never moves: the loop never
 * ends, and this CPU never takes an interrupt again.
 */
TRACED int wifi_tx_flush(void)
{
	u32 flags = spin_lock_irqsave(&wifi.tx_lock);

	while (rd(WIFI_TDH) != wifi.tx_tail)
		;
	spin_unlock_irqrestore(&wifi.tx_lock, flags);
	return 0;
}
#else
/*
 * The remedy: wait in process context with IRQs on, sleeping between looks,
 * for at most 5 ms; BAR0 reading all-ones means the device is gone.
 */
TRACED int wifi_tx_flush(void)
{
	u32 deadline = (u32)read_counter() + us_to_cycles(5000);

	for (;;) {
		u32 tdh = rd(WIFI_TDH), tail;

		if (tdh == 0xffffffffu) {
			wifi_link_lost("tx flush");
			return -1;
		}
		tail = READ_ONCE(wifi.tx_tail);
		if (tdh == tail || wifi_recovering())
			return wifi_recovering() ? -1 : 0;
		if (counter_after(deadline)) {
			printk("wifi0: tx flush: TDH %u, TDT %u after 5 ms, giving up\n", tdh, tail);
			return -1;
		}
		schedule_timeout_us(20);
	}
}
#endif

/* ========================================================================
 * Workqueue: RF re-lock and recalibration
 * ====================================================================== */

TRACED void wifi_rf_work(struct work_struct *w)
{
	u32 flags, ev;

	(void)w;
	flags = spin_lock_irqsave(&wifi.rf_lock);
	ev = wifi.rfevt;
	wifi.rfevt = 0;
	spin_unlock_irqrestore(&wifi.rf_lock, flags);
	if (!ev || wifi_recovering())
		return;
	printk("wifi0: rf event: %s%s lost lock (RFEVT 0x%02x), re-programming channel %u over SPI\n",
	       ev & RFEVT_RXUNLOCK ? "RX" : "", (ev & (RFEVT_RXUNLOCK | RFEVT_TXUNLOCK)) ==
	       (RFEVT_RXUNLOCK | RFEVT_TXUNLOCK) ? " and TX synthesizers" :
	       ev & RFEVT_TXUNLOCK ? "TX synthesizer" : " synthesizer", ev, wifi.cfg.channel);
	if (rf_bring_up(wifi.cfg.channel) < 0) {
		printk("wifi0: rf: re-lock failed\n");
		return;
	}
	wifi_stats.recalibrations++;
	wifi.announce_rx = 1;
	printk("wifi0: rf: relocked and recalibrated (recalibration %u)\n", wifi_stats.recalibrations);
}

/* ========================================================================
 * Link-down recovery: delayed work with exponential backoff
 * ====================================================================== */

#define RESET_BACKOFF_FIRST_US 500u
#define RESET_BACKOFF_MAX_US 8000u
#define RESET_MAX_ATTEMPTS 10u

int wifi_recovering(void)
{
	return (READ_ONCE(wifi.recovering) & 1u) != 0;
}

/* how: what read all-ones (the device is gone: PCIe link down?), or NULL
 * for an engine the device halted on an error it reported (ICR.ERR). */
static void wifi_link_lost(const char *how)
{
	if (test_and_set_bit(0, &wifi.recovering))
		return;		/* already under way */
	if (how) {
		wifi_stats.link_downs++;
		printk("wifi0: device not responding (%s): PCIe link down? scheduling reset\n", how);
	} else {
		printk("wifi0: scheduling reset to restart the halted engine\n");
	}
	wifi.backoff_us = RESET_BACKOFF_FIRST_US;
	wifi.attempt = 0;
	queue_delayed_work_on(wifi.cfg.work_cpu, &wifi.reset_work, 0);
}

static void wifi_start_watchdog(void);

TRACED void wifi_reset_work(struct work_struct *w)
{
	u32 flags, lost;

	(void)w;
	wifi.attempt++;
	if (pci_read_config(wifi.pdev, PCI_VENDOR_ID) == 0xffffffffu) {
		wifi_stats.reset_retries++;
		if (wifi.attempt >= RESET_MAX_ATTEMPTS) {
			printk("wifi0: reset: link still down after %u attempts, giving up\n", wifi.attempt);
			return;
		}
		printk("wifi0: reset: link still down (attempt %u), retrying in %u us\n",
		       wifi.attempt, wifi.backoff_us);
		queue_delayed_work_on(wifi.cfg.work_cpu, &wifi.reset_work, wifi.backoff_us);
		wifi.backoff_us = wifi.backoff_us * 2 > RESET_BACKOFF_MAX_US ?
				  RESET_BACKOFF_MAX_US : wifi.backoff_us * 2;
		return;
	}

	napi_disable(&wifi.napi);		/* no poll runs from here on */
	flags = spin_lock_irqsave(&wifi.tx_lock);
	wifi.tx_stopped = 1;
	lost = wifi.tx_tail >= wifi.tx_clean ? wifi.tx_tail - wifi.tx_clean :
	       wifi.tx_tail + TX_N - wifi.tx_clean;
	wifi_stats.tx_lost += lost;
	spin_unlock_irqrestore(&wifi.tx_lock, flags);
	wifi_update_stats();			/* the counters a reset clears */

	if (hw_reset() < 0) {
		queue_delayed_work_on(wifi.cfg.work_cpu, &wifi.reset_work, wifi.backoff_us);
		napi_enable(&wifi.napi);
		return;
	}
	wr(WIFI_ITR, wifi.cfg.itr);
	rx_ring_init();
	flags = spin_lock_irqsave(&wifi.tx_lock);
	tx_ring_init();
	spin_unlock_irqrestore(&wifi.tx_lock, flags);
	if (rf_init(wifi.cfg.channel) < 0) {
		printk("wifi0: reset: RF bring-up failed, retrying in %u us\n", wifi.backoff_us);
		queue_delayed_work_on(wifi.cfg.work_cpu, &wifi.reset_work, wifi.backoff_us);
		napi_enable(&wifi.napi);
		return;
	}
	wifi.errstat = 0;
	wifi.rfevt = 0;
	wifi.announce_rx = 1;
	napi_enable(&wifi.napi);
	flags = spin_lock_irqsave(&wifi.tx_lock);
	wifi.tx_stopped = 0;
	spin_unlock_irqrestore(&wifi.tx_lock, flags);
	wr(WIFI_IMS, WIFI_IRQ_CAUSES);
	wifi_stats.resets++;
	printk("wifi0: recovered: reset %u done, rings re-initialised, RF re-programmed (attempt %u)\n",
	       wifi_stats.resets, wifi.attempt);
	test_and_clear_bit(0, &wifi.recovering);
	wifi_start_watchdog();
}

/* ========================================================================
 * Watchdog: is the device still there?
 * ====================================================================== */

#define WATCHDOG_US 1000u

TRACED void wifi_watchdog(struct work_struct *w)
{
	(void)w;
	if (!wifi.up || wifi_recovering())
		return;
	if (rd(WIFI_STATUS) == 0xffffffffu) {
		wifi_link_lost("watchdog: STATUS reads all-ones");
		return;
	}
	queue_delayed_work_on(wifi.cfg.work_cpu, &wifi.watchdog, WATCHDOG_US);
}

static void wifi_start_watchdog(void)
{
#ifndef NO_REMEDY
	queue_delayed_work_on(wifi.cfg.work_cpu, &wifi.watchdog, WATCHDOG_US);
#endif
}

/* ========================================================================
 * Statistics, probe, shutdown
 * ====================================================================== */

void wifi_update_stats(void)
{
	u32 flags, mpc, rfmiss, rxerrc, crc, roc, gprc, gptc;

	if (rd(WIFI_STATUS) == 0xffffffffu)
		return;		/* link down: the counters wait */
	mpc = rd(WIFI_MPC);
	rfmiss = rd(WIFI_RFMISS);
	rxerrc = rd(WIFI_RXERRC);
	crc = rd(WIFI_CRCERRS);
	roc = rd(WIFI_ROC);
	gprc = rd(WIFI_GPRC);
	gptc = rd(WIFI_GPTC);
	flags = spin_lock_irqsave(&wifi.stats_lock);
	wifi_stats.rx_ring_full += mpc;
	wifi_stats.rx_rfmiss += rfmiss;
	wifi_stats.rx_dma_lost += rxerrc;
	wifi_stats.rx_crc += crc;
	wifi_stats.rx_dropped += roc;
	wifi_stats.rx_ring_delivered += gprc;
	wifi_stats.tx_device_sent += gptc;
	spin_unlock_irqrestore(&wifi.stats_lock, flags);
}

u32 wifi_frames_accounted(void)
{
	struct wifi_stats *s = &wifi_stats;

	return s->rx_frames + s->rx_dropped + s->rx_ring_full + s->rx_rfmiss + s->rx_dma_lost + s->rx_crc;
}

void wifi_print_stats(const char *who)
{
	struct wifi_stats *s = &wifi_stats;

	printk("%s: rx: %u frames received, %u dropped by the driver, %u missed by the device "
	       "(%u ring full, %u not taken off the air, %u DMA), %u FCS errors\n",
	       who, s->rx_frames, s->rx_dropped, s->rx_ring_full + s->rx_rfmiss + s->rx_dma_lost,
	       s->rx_ring_full, s->rx_rfmiss, s->rx_dma_lost, s->rx_crc);
	printk("%s: tx: %u frames sent, %u not sent (no TX lock), %u lost to resets\n",
	       who, s->tx_sent, s->tx_not_sent, s->tx_lost);
	printk("%s: %u recalibrations, %u resets (%u retries while the link was down)\n",
	       who, s->recalibrations, s->resets, s->reset_retries);
}

int wifi_probe(const struct wifi_config *cfg)
{
	struct pci_dev *pdev;
	u32 ral, rah;

	wifi.cfg = *cfg;
	pci_scan_bus();
	pdev = pci_get_device(WIFI_VENDOR, WIFI_DEVICE);
	if (!pdev) {
		printk("wifi0: no %04x:%04x function on PCI bus 0 (run with --wifi)\n", WIFI_VENDOR, WIFI_DEVICE);
		return -1;
	}
	if (!pdev->bar[0].start || !pdev->irq) {
		printk("wifi0: BAR0 unassigned or no INTx pin: cannot drive it\n");
		return -1;
	}
	wifi.pdev = pdev;
	wifi.bar = pdev->bar[0].start;
	pci_enable_device(pdev);
	pci_set_master(pdev);

	net_dev_init();
	netif_napi_add(&wifi.napi, "wifi0", wifi_poll, NAPI_POLL_WEIGHT);
	tasklet_init(&wifi.tx_tasklet, wifi_tx_complete, 0);
	INIT_WORK(&wifi.rf_work, wifi_rf_work);
	init_delayed_work(&wifi.reset_work, wifi_reset_work);
	init_delayed_work(&wifi.watchdog, wifi_watchdog);

	if (hw_reset() < 0)
		return -1;
	ral = rd(WIFI_RAL0);
	rah = rd(WIFI_RAH0);
	printk("wifi0: %04x:%04x at 00:%02x.%u, BAR0 0x%08x, firmware %u.%u, "
	       "MAC %02x:%02x:%02x:%02x:%02x:%02x\n",
	       pdev->vendor, pdev->device, pdev->slot, pdev->func, wifi.bar,
	       rd(WIFI_FWVER) >> 16, rd(WIFI_FWVER) & 0xffffu,
	       ral & 0xffu, (ral >> 8) & 0xffu, (ral >> 16) & 0xffu, ral >> 24,
	       rah & 0xffu, (rah >> 8) & 0xffu);
	wr(WIFI_ITR, cfg->itr);
	rx_ring_init();
	tx_ring_init();
	if (rf_init(cfg->channel) < 0)
		return -1;
	if (request_irq(pdev->irq, wifi_interrupt, NULL, "wifi0", 0) < 0)
		return -1;
	wifi.up = 1;
	wifi.announce_rx = cfg->verbose_rx;
	wr(WIFI_IMS, WIFI_IRQ_CAUSES);
	printk("wifi0: up: INTx pin %c -> GIC INTID %u on cpu0, RX ring %u, TX ring %u, NAPI weight %u, "
	       "ITR %u\n", 'A' + (int)pdev->pin - 1, pdev->irq, RX_N, TX_N, NAPI_POLL_WEIGHT, cfg->itr);
	wifi_start_watchdog();
	return 0;
}

void wifi_shutdown(void)
{
	wifi.up = 0;
	if (rd(WIFI_STATUS) == 0xffffffffu)
		return;
	wr(WIFI_IMC, 0xffffffffu);
	wr(WIFI_RCTL, 0);
	wr(WIFI_TCTL, 0);
	free_irq(wifi.pdev->irq);
}
