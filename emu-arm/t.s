.syntax unified
.arm
.fpu neon-vfpv4
mcr p15, 0, r0, c1, c0, 2
mrc p15, 0, r1, c1, c0, 2
vmov r2, r1, s3, s4
