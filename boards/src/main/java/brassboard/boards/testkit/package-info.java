/**
 * A Java API for firmware tests — build a machine, drive its console in virtual time, read and write
 * its memory and registers, break its hardware with a fault plan — and the JUnit 5 extension
 * {@link brassboard.boards.testkit.BrassboardTest} that hands tests such machines.
 */
package brassboard.boards.testkit;
