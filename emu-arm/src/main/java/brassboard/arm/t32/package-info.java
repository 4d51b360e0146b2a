/** The T32 (Thumb-2) instruction set: encoding table, decoder, handler classes and interpreter. */
package brassboard.arm.t32;
