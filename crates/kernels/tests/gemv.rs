//! GEMV throughput by layout, type and ISA: a measurement to compare builds, not a test of
//! speed (nothing is asserted about time). Run with
//! `cargo test --release -p lapis-kernels --test gemv -- --ignored --nocapture`.

use std::time::Instant;

use lapis_kernels::{Isa, MatMut, MatRef, Par, Scalar, arch, gemv, set_arch};

/// Median seconds per call of `f` over `reps` timed calls (after one warm-up).
fn median_secs(reps: usize, f: &mut dyn FnMut()) -> f64 {
    f();
    let mut t: Vec<f64> = (0..reps)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64()
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[reps / 2]
}

/// GFLOP/s of `y += A·x` (`trans = false`, column-major A: the axpy form) or `y += Aᵀ·x`
/// (the dot form) for an `m × n` product.
fn gflops<T: Scalar>(m: usize, n: usize, trans: bool) -> f64 {
    let (r, c) = if trans { (n, m) } else { (m, n) };
    let a: Vec<T> = (0..r * c)
        .map(|k| T::from_f64(((k * 7919) % 1000) as f64 / 1000.0 - 0.5))
        .collect();
    let x = vec![T::from_f64(0.25); n];
    let mut y = vec![T::zero(); m];
    let view = MatRef::from_col_major(&a, r, c).unwrap();
    let view = if trans { view.transpose() } else { view };
    // Enough calls per sample that each sample is well above the timer's resolution.
    let calls = (20_000_000 / (m * n).max(1)).max(1);
    let secs = median_secs(21, &mut || {
        for _ in 0..calls {
            gemv(
                T::one(),
                view,
                MatRef::from_col_major(&x, n, 1).unwrap(),
                T::one(),
                MatMut::from_col_major(&mut y, m, 1).unwrap(),
                Par::Seq,
            )
            .unwrap();
        }
    });
    2.0 * (m * n) as f64 * calls as f64 / secs / 1e9
}

#[test]
#[ignore]
fn gemv_throughput() {
    let before = arch();
    for isa in Isa::supported() {
        set_arch(isa).unwrap();
        for (m, n) in [
            (20, 20),
            (50, 50),
            (100, 100),
            (200, 200),
            (400, 100),
            (1000, 1000),
        ] {
            eprintln!(
                "{:>6} {m:>4}x{n:<4} GFLOP/s  A·x f64 {:6.2} f32 {:6.2} | Aᵀ·x f64 {:6.2} f32 {:6.2}",
                isa.name(),
                gflops::<f64>(m, n, false),
                gflops::<f32>(m, n, false),
                gflops::<f64>(m, n, true),
                gflops::<f32>(m, n, true),
            );
        }
    }
    set_arch(before).unwrap();
}
