/** The ARM PrimeCell PL031 real-time clock (DDI 0224), counting virtual seconds from a fixed epoch. */
package brassboard.devices.rtc;
