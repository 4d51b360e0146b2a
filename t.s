.syntax unified
.arm
.fpu neon-vfpv4
vadd.f32 s0, s1, s2
vmla.f64 d0, d1, d2
vfma.f32 s0, s1, s2
vnmul.f64 d3, d4, d5
vmov.f32 s0, #1.5
vmov.f64 d16, #-2.0
vcmpe.f64 d0, #0
vcmp.f32 s0, s1
vcvt.s32.f64 s0, d1
vcvtr.s32.f32 s0, s1
vcvt.f64.u32 d2, s3
vcvt.f32.f64 s4, d5
vcvtb.f16.f32 s6, s7
vcvtt.f32.f16 s6, s7
vcvt.s16.f32 s8, s8, #4
vcvt.f64.u32 d9, d9, #8
vsqrt.f64 d1, d2
vdiv.f32 s0, s1, s2
vneg.f64 d31, d30
vabs.f32 s31, s30
vmrs APSR_nzcv, fpscr
