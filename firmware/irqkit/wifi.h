/*
 * irqkit driver for Brassboard's WiFi pair (docs/devices/wifi.md): the
 * baseband wifi0 on PCIe (00:02.0, b5b0:0211, e1000-style rings) and its RF
 * transceiver rf0 behind the baseband's SPI master (AD9361-style registers).
 *
 * Written the Linux way: the top half (wifi_interrupt) reads ICR, which acks,
 * and masks RX; RX runs in a NAPI poll (wifi_poll) with a budget and unmasks
 * when the ring is drained; TX completion runs in a tasklet
 * (wifi_tx_complete); RF re-lock and recalibration over SPI run in a workqueue
 * item (wifi_rf_work); link-down recovery (reset, rings, RF) in delayed work
 * with exponential backoff (wifi_reset_work), started by the top half's
 * ICR.ERR or by the watchdog (wifi_watchdog) reading all-ones from BAR0.
 * Built with -DNO_REMEDY, the driver has none of the link-down handling: its
 * TX flush waits for the device with IRQs off and no bound.
 */
#ifndef IRQKIT_WIFI_H
#define IRQKIT_WIFI_H

#include "driver.h"
#include "pci.h"

#define WIFI_VENDOR 0xb5b0u
#define WIFI_RX_RING_SIZE 512u
#define WIFI_DEVICE 0x0211u

/* ---- baseband registers (BAR0), wifi.md "Baseband register map" ---------- */

#define WIFI_CTRL	0x0000u
#define  CTRL_RST	(1u << 26)
#define WIFI_STATUS	0x0008u
#define  STATUS_FWRDY	(1u << 0)
#define  STATUS_RXHALT	(1u << 1)
#define  STATUS_TXHALT	(1u << 2)
#define WIFI_ICR	0x00c0u
#define WIFI_ITR	0x00c4u
#define WIFI_ICS	0x00c8u
#define WIFI_IMS	0x00d0u
#define WIFI_IMC	0x00d8u
#define  ICR_TXDW	(1u << 0)
#define  ICR_TXQE	(1u << 1)
#define  ICR_RXO	(1u << 6)
#define  ICR_RXT0	(1u << 7)
#define  ICR_FWRDY	(1u << 16)
#define  ICR_RFEV	(1u << 17)
#define  ICR_ERR	(1u << 18)
#define  ICR_INT_ASSERTED (1u << 31)
#define WIFI_RCTL	0x0100u
#define  RCTL_EN	(1u << 1)
#define  RCTL_BSIZE_2048 (0u << 16)
#define WIFI_TCTL	0x0400u
#define  TCTL_EN	(1u << 1)
#define WIFI_RDBAL	0x2800u
#define WIFI_RDBAH	0x2804u
#define WIFI_RDLEN	0x2808u
#define WIFI_RDH	0x2810u
#define WIFI_RDT	0x2818u
#define WIFI_TDBAL	0x3800u
#define WIFI_TDBAH	0x3804u
#define WIFI_TDLEN	0x3808u
#define WIFI_TDH	0x3810u
#define WIFI_TDT	0x3818u
#define WIFI_CRCERRS	0x4000u
#define WIFI_RXERRC	0x400cu
#define WIFI_MPC	0x4010u
#define WIFI_GPRC	0x4074u
#define WIFI_GPTC	0x4080u
#define WIFI_ROC	0x40b4u
#define WIFI_RAL0	0x5400u
#define WIFI_RAH0	0x5404u
#define WIFI_FWVER	0x5800u
#define WIFI_ERRSTAT	0x5804u
#define  ERRSTAT_RXDMA	(1u << 0)
#define  ERRSTAT_TXDMA	(1u << 1)
#define  ERRSTAT_POISON	(1u << 2)
#define  ERRSTAT_RXRING	(1u << 3)
#define  ERRSTAT_TXRING	(1u << 4)
#define WIFI_RFEVT	0x5808u
#define WIFI_RFSTAT	0x580cu
#define  RFEVT_RXLOCK	(1u << 0)
#define  RFEVT_RXUNLOCK	(1u << 1)
#define  RFEVT_TXLOCK	(1u << 2)
#define  RFEVT_TXUNLOCK	(1u << 3)
#define  RFEVT_CALDONE	(1u << 4)
#define  RFEVT_CALFAIL	(1u << 5)
#define WIFI_RFMISS	0x5810u
#define WIFI_SPICTL	0x6000u
#define  SPICTL_CS	(1u << 0)
#define  SPICTL_BITS8	(7u << 8)
#define  SPICTL_DIV(d)	((u32)(d) << 24)
#define WIFI_SPIDATA	0x6004u
#define WIFI_SPISTAT	0x6008u
#define  SPISTAT_BUSY	(1u << 0)
#define  SPISTAT_DONE	(1u << 1)
#define  SPISTAT_OVR	(1u << 2)

/* ---- RF registers (over SPI), wifi.md "RF register map" ------------------- */

#define RF_SPI_CONF		0x000u
#define RF_PLL_DIVIDERS		0x005u
#define RF_CALIBRATION_CTRL	0x016u
#define  RF_CAL_RX_QUAD		0x20u
#define  RF_CAL_TX_QUAD		0x10u
#define RF_PRODUCT_ID		0x037u
#define RF_RX_INTEGER_BYTE_0	0x231u
#define RF_RX_FRACT_BYTE_2	0x235u
#define RF_RX_VCO_LOCK		0x247u
#define RF_TX_FRACT_BYTE_2	0x275u
#define RF_TX_VCO_LOCK		0x287u
#define  RF_VCO_LOCK		0x02u
#define RF_CAL_FAILED		0x3f0u

/* ---- descriptors ([e1000] legacy format), 16 bytes each ------------------ */

struct rx_desc {
	u32 addr_lo, addr_hi;
	volatile u32 len_csum;		/* length bits 15:0 */
	volatile u32 status_err_special;	/* status 7:0 (DD 0, EOP 1), errors 15:8 (CE 8), special 31:16 */
};

struct tx_desc {
	u32 addr_lo, addr_hi;
	u32 len_cso_cmd;		/* length 15:0, CSO 23:16, CMD 31:24 (EOP 24, RS 27) */
	volatile u32 sta_css_special;	/* STA 3:0 (DD 0, NTX 1) */
};

#define RXD_DD		(1u << 0)
#define RXD_CE		(1u << 8)
#define TXD_CMD_EOP	(1u << 24)
#define TXD_CMD_RS	(1u << 27)
#define TXD_DD		(1u << 0)
#define TXD_NTX		(1u << 1)

/* ---- the driver --------------------------------------------------------- */

struct wifi_stats {
	u32 rx_frames;		/* delivered by the poll */
	u32 rx_dropped;		/* by the driver: FCS error, or bad length */
	u32 rx_seq_gaps;	/* frames the sequence numbers say were skipped */
	u32 rx_ring_full;	/* MPC: the device found no free descriptor */
	u32 rx_rfmiss;		/* RFMISS: on the air, not taken (no lock, not calibrated, RX off) */
	u32 rx_dma_lost;	/* RXERRC */
	u32 rx_crc;		/* CRCERRS */
	u32 rx_ring_delivered;	/* GPRC: frames the device wrote to the ring */
	u32 tx_device_sent;	/* GPTC */
	u32 tx_sent;		/* descriptors written back without NTX */
	u32 tx_not_sent;	/* written back with NTX (TX synthesizer unlocked) */
	u32 tx_lost;		/* queued but dropped by a reset */
	u32 irqs;		/* top-half calls */
	u32 napi_polls;
	u32 napi_full_polls;	/* polls that used their whole budget */
	u32 rx_peak_backlog;	/* most written-back descriptors a poll found waiting (RDH - next) */
	u32 tx_tasklets;
	u32 rf_events;		/* RFEVT reports */
	u32 recalibrations;	/* RF re-lock + calibration runs by wifi_rf_work */
	u32 resets;		/* link-down recoveries that completed */
	u32 reset_retries;	/* recovery attempts that found the link still down */
	u32 link_downs;		/* times the driver noticed the device gone */
};

struct wifi_config {
	u32 channel;		/* 1-14 */
	u32 rx_cost_us;		/* per-frame "protocol stack" time in the poll */
	u32 itr;		/* ITR interval, 256 ns units */
	u32 work_cpu;		/* where the RF, reset and watchdog work runs */
	int verbose_rx;		/* print the first frame after (re)tuning */
};

extern struct wifi_stats wifi_stats;
extern u32 wifi_last_seq;

int wifi_probe(const struct wifi_config *cfg);		/* 0, or -1 (printed why) */
int wifi_xmit(u32 len);					/* queue one frame; 0, or -1 when the ring is full */
int wifi_tx_flush(void);				/* wait until the device sent what was queued */
void wifi_update_stats(void);				/* fold the device's RC counters in */
void wifi_print_stats(const char *who);
u32 wifi_frames_accounted(void);	/* every frame the air carried, as far as driver and device know */
int wifi_recovering(void);				/* link-down recovery under way */
void wifi_shutdown(void);

#endif
