/** Fault-injection campaigns: many (plan, seed) runs of one image, each classified against a golden run, in parallel and resumable. */
package brassboard.boards.campaign;
