//! Criterion bench: lapis GEMM at square sizes, f32 and f64, sequential.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lapis_kernels::{MatMut, MatRef, Par, Scalar, gemm};

fn bench_type<T: Scalar>(c: &mut Criterion) {
    let mut group = c.benchmark_group(format!("gemm_{}", T::DTYPE));
    for n in [16usize, 64, 256, 512] {
        let a: Vec<T> = (0..n * n)
            .map(|i| T::from_f64(((i * 7) % 13) as f64 / 13.0))
            .collect();
        let b = a.clone();
        let mut cbuf = vec![T::zero(); n * n];
        group.throughput(Throughput::Elements((2 * n * n * n) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |bench, &n| {
            bench.iter(|| {
                gemm(
                    T::one(),
                    MatRef::from_col_major(&a, n, n).unwrap(),
                    MatRef::from_col_major(&b, n, n).unwrap(),
                    T::zero(),
                    MatMut::from_col_major(&mut cbuf, n, n).unwrap(),
                    Par::Seq,
                )
                .unwrap()
            })
        });
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_type::<f64>(c);
    bench_type::<f32>(c);
}

criterion_group!(gemm_benches, benches);
criterion_main!(gemm_benches);
