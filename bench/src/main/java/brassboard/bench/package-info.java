/** JMH benchmarks of guest hot loops run through the whole machine (CPU, bus, scheduler). */
package brassboard.bench;
