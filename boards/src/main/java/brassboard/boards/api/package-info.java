/** What a user of Brassboard drives: a machine built from a board description, its configuration, and the result of a run. */
package brassboard.boards.api;
