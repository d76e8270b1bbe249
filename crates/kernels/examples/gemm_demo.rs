//! GEMM demo: multiplies square matrices of growing size and prints GFLOP/s per ISA choice.
//!
//! `cargo run --release -p lapis-kernels --example gemm_demo [threads]`
//! (the comparison with OpenBLAS and faer is `cargo xtask bench`). `LAPIS_DEMO_MAX_N` caps
//! the sizes (for slow emulators); `LAPIS_DEMO_ASSERT_ISA=neon` exits with an error unless
//! that ISA was selected (`cargo xtask cross` uses it under qemu).

use std::time::Instant;

use lapis_kernels::{MatMut, MatRef, Par, Scalar, arch, cache_sizes, gemm};

fn run<T: Scalar>(n: usize, par: Par) -> f64 {
    run_shape::<T>(n, n, n, par)
}

/// GFLOP/s of the best of three timed batches of `m × n × k` products.
fn run_shape<T: Scalar>(m: usize, n: usize, k: usize, par: Par) -> f64 {
    let a: Vec<T> = (0..m * k)
        .map(|i| T::from_f64(((i * 7) % 13) as f64 / 13.0 - 0.5))
        .collect();
    let b: Vec<T> = (0..k * n)
        .map(|i| T::from_f64(((i * 5) % 11) as f64 / 11.0 - 0.5))
        .collect();
    let mut c = vec![T::zero(); m * n];
    let flops = 2.0 * m as f64 * n as f64 * k as f64;
    let reps = ((2e9 / flops) as usize).clamp(1, 10_000);
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let t = Instant::now();
        for _ in 0..reps {
            gemm(
                T::one(),
                MatRef::from_col_major(&a, m, k).unwrap(),
                MatRef::from_col_major(&b, k, n).unwrap(),
                T::zero(),
                MatMut::from_col_major(&mut c, m, n).unwrap(),
                par,
            )
            .unwrap();
        }
        best = best.min(t.elapsed().as_secs_f64() / reps as f64);
    }
    flops / best / 1e9
}

fn main() {
    let threads: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let par = if threads > 1 {
        Par::Rayon(threads)
    } else {
        Par::Seq
    };
    println!(
        "lapis GEMM demo: ISA {}, caches {:?}, threads {threads}",
        arch(),
        cache_sizes()
    );
    if let Ok(want) = std::env::var("LAPIS_DEMO_ASSERT_ISA")
        && want != arch().name()
    {
        eprintln!("expected ISA {want}, but {} was selected", arch());
        std::process::exit(1);
    }
    let max_n: usize = std::env::var("LAPIS_DEMO_MAX_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    println!("{:>6} {:>12} {:>12}", "n", "f64 GFLOP/s", "f32 GFLOP/s");
    for n in [4, 16, 64, 256, 512, 1024, 2048]
        .into_iter()
        .filter(|&n| n <= max_n)
    {
        println!(
            "{n:>6} {:>12.1} {:>12.1}",
            run::<f64>(n, par),
            run::<f32>(n, par)
        );
    }
    // The panel shapes factorizations produce (m × n × k).
    if max_n >= 2048 {
        println!(
            "{:>14} {:>12} {:>12}",
            "m×n×k", "f64 GFLOP/s", "f32 GFLOP/s"
        );
        for (m, n, k) in [(2048, 64, 64), (2048, 2048, 64)] {
            println!(
                "{:>14} {:>12.1} {:>12.1}",
                format!("{m}×{n}×{k}"),
                run_shape::<f64>(m, n, k, par),
                run_shape::<f32>(m, n, k, par)
            );
        }
    }
}
