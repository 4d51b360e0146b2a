.syntax unified
.arm
.fpu neon-vfpv4
vmov s0, r0
vcvt.f64.s32 d1, s0
vadd.f64 d2, d2, d1
vstr d2, [r4]
vld1.8 {d4}, [r4]
vmov r5, r6, d4
vmrs APSR_nzcv, fpscr
vcmp.f64 d2, d1
vmrs APSR_nzcv, fpscr
