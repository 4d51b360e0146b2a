.syntax unified
.arm
.fpu neon-vfpv4
vtrn.8 d1, d1
vzip.8 d1, d1
vuzp.16 q1, q1
