/** The YAML tree that fault plans and campaigns are read from: every node with its lines, for one-line errors. */
package brassboard.boards.yaml;
