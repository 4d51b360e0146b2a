/** Seeing a run: per-CPU activity (exceptions, IRQ masking, function spans), Perfetto trace JSON and the IRQ report. */
package brassboard.boards.trace;
