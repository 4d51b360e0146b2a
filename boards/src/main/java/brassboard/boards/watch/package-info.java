/** Lockup and deadlock detectors that watch any firmware from outside: hard and soft lockups, spins and lock cycles. */
package brassboard.boards.watch;
