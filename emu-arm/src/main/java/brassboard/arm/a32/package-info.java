/** The A32 (ARM state) instruction set: the encoding table, the decoder built from it, and one handler class per ARM ARM instruction class. */
package brassboard.arm.a32;
