/** The {@code brassboard} command line: picocli commands over the boards module. */
package brassboard.cli;
