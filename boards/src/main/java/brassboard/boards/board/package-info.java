/** Boards as data: board files (YAML), the device catalogue they name, and the generic builder and device-tree writer. */
package brassboard.boards.board;
