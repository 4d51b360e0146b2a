.syntax unified
.arm
.fpu neon-vfpv4
vmul.f64 d3, d3, d1
vmla.f64 d4, d1, d3
vadd.i32 q0, q1, q0
ldr r1, [pc, #16]
