//! Peak FMA throughput of one core, for the ISA lapis dispatches to.
//!
//! A loop of independent fused multiply-adds on as many vector accumulators as the
//! register file allows (16 for AVX-512: 2 FMA pipes × 4-cycle latency needs ≥ 8 in
//! flight; 12 for AVX2), timed in 40 short runs of about 5 ms each, the best kept (short
//! runs are likelier to fit between other tenants on a shared machine). GEMM's efficiency
//! is reported as a fraction of this number × threads.

use std::hint::black_box;
use std::time::Instant;

use lapis_kernels::Isa;

/// Measured peak of one core.
#[derive(Clone, Debug, PartialEq)]
pub struct Peak {
    /// The ISA whose FMA instructions were timed.
    pub isa: Isa,
    /// f64 GFLOP/s (one FMA = 2 flops).
    pub f64_gflops: f64,
    /// f32 GFLOP/s.
    pub f32_gflops: f64,
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    macro_rules! fma_loop {
        ($name:ident, $feat:literal, $vec:ty, $set1:ident, $fma:ident, $add:ident, $first:ident, $scalar:ty, $acc:literal) => {
            /// Runs `iters` rounds of `$acc` independent vector FMAs; returns a value
            /// depending on all of them.
            #[target_feature(enable = $feat)]
            pub(super) fn $name(iters: u64, seed: $scalar) -> $scalar {
                // Operands come from the caller (through `black_box`) so the compiler can
                // neither fold the recurrence nor hoist it out of the loop.
                let x: $vec = $set1(1.0 - seed);
                let y: $vec = $set1(seed);
                let mut acc: [$vec; $acc] = [$set1(0.5); $acc];
                for (i, a) in acc.iter_mut().enumerate() {
                    *a = $set1(seed * i as $scalar);
                }
                for _ in 0..iters {
                    for a in acc.iter_mut() {
                        *a = $fma(*a, x, y);
                    }
                }
                let mut s = acc[0];
                for a in &acc[1..] {
                    s = $add(s, *a);
                }
                $first(s)
            }
        };
    }

    fma_loop!(
        avx512_f64,
        "avx512f",
        __m512d,
        _mm512_set1_pd,
        _mm512_fmadd_pd,
        _mm512_add_pd,
        _mm512_reduce_add_pd,
        f64,
        16
    );
    fma_loop!(
        avx512_f32,
        "avx512f",
        __m512,
        _mm512_set1_ps,
        _mm512_fmadd_ps,
        _mm512_add_ps,
        _mm512_reduce_add_ps,
        f32,
        16
    );
    fma_loop!(
        avx2_f64,
        "avx2,fma",
        __m256d,
        _mm256_set1_pd,
        _mm256_fmadd_pd,
        _mm256_add_pd,
        first_pd,
        f64,
        12
    );
    fma_loop!(
        avx2_f32,
        "avx2,fma",
        __m256,
        _mm256_set1_ps,
        _mm256_fmadd_ps,
        _mm256_add_ps,
        first_ps,
        f32,
        12
    );

    #[target_feature(enable = "avx2")]
    fn first_pd(v: __m256d) -> f64 {
        _mm256_cvtsd_f64(v)
    }

    #[target_feature(enable = "avx2")]
    fn first_ps(v: __m256) -> f32 {
        _mm256_cvtss_f32(v)
    }
}

/// Flops of one round of the loop for `isa` and element size: accumulators × lanes × 2.
fn flops_per_iter(isa: Isa, f64_elems: bool) -> Option<f64> {
    let (acc, bytes) = match isa {
        Isa::Avx512 => (16.0, 64.0),
        Isa::Avx2 => (12.0, 32.0),
        _ => return None,
    };
    let lanes = if f64_elems { bytes / 8.0 } else { bytes / 4.0 };
    Some(acc * lanes * 2.0)
}

/// Runs the loop once for `iters` rounds; `None` when this ISA has no loop here.
fn run_once(isa: Isa, f64_elems: bool, iters: u64) -> Option<f64> {
    #[cfg(target_arch = "x86_64")]
    {
        if !isa.is_supported() {
            return None;
        }
        let iters = black_box(iters);
        let start = Instant::now();
        let seed = black_box(1e-4);
        let sink = match (isa, f64_elems) {
            (Isa::Avx512, true) => {
                // SAFETY: `isa.is_supported()` checked that the CPU has AVX-512F.
                unsafe { x86::avx512_f64(iters, seed) }
            }
            (Isa::Avx512, false) => {
                // SAFETY: `isa.is_supported()` checked that the CPU has AVX-512F.
                f64::from(unsafe { x86::avx512_f32(iters, seed as f32) })
            }
            (Isa::Avx2, true) => {
                // SAFETY: `isa.is_supported()` checked that the CPU has AVX2 and FMA.
                unsafe { x86::avx2_f64(iters, seed) }
            }
            (Isa::Avx2, false) => {
                // SAFETY: `isa.is_supported()` checked that the CPU has AVX2 and FMA.
                f64::from(unsafe { x86::avx2_f32(iters, seed as f32) })
            }
            _ => return None,
        };
        black_box(sink);
        Some(start.elapsed().as_secs_f64())
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = black_box((isa, f64_elems, iters, Instant::now()));
        None
    }
}

/// Best-of-`reps` GFLOP/s of the FMA loop, each rep lasting about `seconds`.
fn measure_one(isa: Isa, f64_elems: bool, seconds: f64, reps: usize) -> Option<f64> {
    let per_iter = flops_per_iter(isa, f64_elems)?;
    // Calibrate the round count to the requested duration.
    let mut iters = 1u64 << 16;
    loop {
        let t = run_once(isa, f64_elems, iters)?;
        if t > seconds / 4.0 || iters > (1u64 << 40) {
            iters = ((iters as f64) * seconds / t.max(1e-9)).max(1.0) as u64;
            break;
        }
        iters *= 4;
    }
    let best = (0..reps)
        .filter_map(|_| run_once(isa, f64_elems, iters))
        .fold(f64::INFINITY, f64::min);
    Some(per_iter * iters as f64 / best / 1e9)
}

/// Measures one core's peak for `isa` (`None` for ISAs without a loop here: scalar, NEON).
pub fn measure(isa: Isa, seconds: f64) -> Option<Peak> {
    Some(Peak {
        isa,
        f64_gflops: measure_one(isa, true, seconds, 40)?,
        f32_gflops: measure_one(isa, false, seconds, 40)?,
    })
}
