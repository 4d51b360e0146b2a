.syntax unified
.arm
.fpu neon-vfpv4
vfma.f32 s4, s1, s2
vdiv.f32 s2, s1, s2
