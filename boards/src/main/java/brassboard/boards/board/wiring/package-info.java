/**
 * What the generic builder plugs into a board for its catalogue entries that are more than one
 * model: PSCI served by the emulator, an EHCI controller with its USB devices, a WiFi baseband with
 * its RF transceiver. Names and slots come from the board file; nothing here knows a board.
 */
package brassboard.boards.board.wiring;
