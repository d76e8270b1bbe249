//! `batched_matmul`: a stack of small products `C[i] = A[i]·B[i]` (numpy's `a @ b` on
//! `(batch, n, n)` arrays), shape `[batch, n, n]` with `batch = 100 000`; n is the matrix
//! order. The stacks are C-ordered (row-major matrices, one after the other), as numpy's.
//!
//! * lapis: `lapis::matmul` on the two `Array`s (the front door: it allocates its result, and
//!   runs the stack in parallel when there are threads and enough work), under
//!   `lapis::config::with_num_threads(t)`;
//! * OpenBLAS: a loop of `cblas_?gemm` calls, one per matrix, as numpy's `matmul` makes them
//!   (row-major operands passed as their column-major transposes: `Cᵀ = Bᵀ·Aᵀ`);
//! * faer: a loop of `matmul` calls (`Par::Seq` each), split over the t threads with rayon
//!   when t > 1 — what a faer user would write.
//!
//! Every implementation allocates its result on every call, as numpy's `matmul` does (for
//! stacks above glibc's mmap threshold — 32 MiB at most — that means fresh pages and their
//! page faults each call, which numpy pays too).

use std::sync::OnceLock;

use rayon::prelude::*;

use super::check::{eps, slot, widen};
use super::{BenchOp, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::BenchScalar;
use crate::rng::Rng;

/// Matrices per stack.
pub const BATCH: usize = 100_000;

/// The `batched_matmul` op.
#[derive(Clone, Copy, Debug)]
pub struct BatchedMatmul;

impl BenchOp for BatchedMatmul {
    fn name(&self) -> &'static str {
        "batched_matmul"
    }

    fn default_sizes(&self, quick: bool) -> Vec<usize> {
        if quick { vec![4] } else { vec![2, 3, 4, 8] }
    }

    fn shape_for_size(&self, n: usize) -> Vec<usize> {
        vec![BATCH, n, n]
    }

    /// `2n³` per matrix.
    fn flops(&self, shape: &[usize]) -> Option<f64> {
        let [b, n, k] = shape else { return None };
        Some(2.0 * *b as f64 * *n as f64 * *n as f64 * *k as f64)
    }

    fn prepare(&self, dtype: Dtype, shape: &[usize], seed: u64) -> Box<dyn Prepared> {
        match dtype {
            Dtype::F32 => Box::new(BatchCase::<f32>::new(shape[0], shape[1], seed)),
            Dtype::F64 => Box::new(BatchCase::<f64>::new(shape[0], shape[1], seed)),
        }
    }
}

struct BatchCase<T: lapis::Element> {
    n: usize,
    a: lapis::Array<T>,
    b: lapis::Array<T>,
    /// lapis's result (allocated by `lapis::matmul`).
    lapis_c: Option<lapis::Array<T>>,
    /// The peers' results, indexed like [`Impl::ALL`] (slot 0 unused).
    c: [Vec<T>; 3],
    /// `|A[i]|·|B[i]|` for every matrix, in f64 (computed on first use).
    abs_ab: OnceLock<Vec<f64>>,
}

impl<T: BenchScalar + lapis::Inexact> BatchCase<T> {
    fn new(batch: usize, n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let len = batch * n * n;
        let a = lapis::Array::from_shape_vec(&[batch, n, n], rng.fill(len)).expect("sized");
        let b = lapis::Array::from_shape_vec(&[batch, n, n], rng.fill(len)).expect("sized");
        BatchCase {
            n,
            a,
            b,
            lapis_c: None,
            c: std::array::from_fn(|i| {
                if i == 0 {
                    Vec::new()
                } else {
                    vec![T::nan(); len]
                }
            }),
            abs_ab: OnceLock::new(),
        }
    }

    fn slices(&self) -> (&[T], &[T]) {
        (
            self.a.as_slice().expect("contiguous"),
            self.b.as_slice().expect("contiguous"),
        )
    }

    fn answer(&self, imp: Impl) -> &[T] {
        match imp {
            Impl::Lapis => self
                .lapis_c
                .as_ref()
                .and_then(|c| c.as_slice())
                .unwrap_or(&[]),
            _ => &self.c[slot(imp)],
        }
    }

    fn abs_product(&self) -> &[f64] {
        self.abs_ab.get_or_init(|| {
            let n = self.n;
            let (a, b) = self.slices();
            let (a, b) = (widen(a), widen(b));
            let mut out = vec![0.0; a.len()];
            for ((c, a), b) in out
                .chunks_mut(n * n)
                .zip(a.chunks(n * n))
                .zip(b.chunks(n * n))
            {
                for i in 0..n {
                    for j in 0..n {
                        c[i * n + j] = (0..n).map(|k| (a[i * n + k] * b[k * n + j]).abs()).sum();
                    }
                }
            }
            out
        })
    }
}

impl<T: BenchScalar + lapis::Inexact> Prepared for BatchCase<T> {
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String> {
        let n = self.n;
        let nn = n * n;
        match imp {
            Impl::Lapis => {
                self.lapis_c = None;
                let c = lapis::config::with_num_threads(ctx.threads, || {
                    lapis::matmul(&self.a, &self.b)
                })
                .map_err(|e| e.to_string())?;
                self.lapis_c = Some(c);
                Ok(())
            }
            Impl::OpenBlas => {
                let ob = ctx.openblas()?;
                let a = self.a.as_slice().ok_or("not contiguous")?;
                let b = self.b.as_slice().ok_or("not contiguous")?;
                // Like numpy (and lapis), allocate the result on every call.
                self.c[slot(imp)] = Vec::new();
                let mut out = vec![<T as lapis::Number>::zero(); a.len()];
                for ((c, a), b) in out.chunks_mut(nn).zip(a.chunks(nn)).zip(b.chunks(nn)) {
                    // Row-major C = A·B is column-major Cᵀ = Bᵀ·Aᵀ.
                    ob.gemm(
                        n,
                        n,
                        n,
                        <T as lapis::Number>::one(),
                        b,
                        a,
                        <T as lapis::Number>::zero(),
                        c,
                    )?;
                }
                self.c[slot(imp)] = out;
                Ok(())
            }
            Impl::Faer => {
                let a = self.a.as_slice().ok_or("not contiguous")?;
                let b = self.b.as_slice().ok_or("not contiguous")?;
                self.c[slot(imp)] = Vec::new();
                let mut out = vec![<T as lapis::Number>::zero(); a.len()];
                let c = &mut out;
                let one = |((c, a), b): ((&mut [T], &[T]), &[T])| {
                    crate::faer::gemm(n, n, n, b, a, c, ::faer::Par::Seq);
                };
                if ctx.threads > 1 {
                    c.par_chunks_mut(nn)
                        .zip(a.par_chunks(nn))
                        .zip(b.par_chunks(nn))
                        .with_min_len(256)
                        .for_each(one);
                } else {
                    c.chunks_mut(nn)
                        .zip(a.chunks(nn))
                        .zip(b.chunks(nn))
                        .for_each(one);
                }
                self.c[slot(imp)] = out;
                Ok(())
            }
        }
    }

    /// `max |C_x − C_y| / (|A|·|B|)` over every entry of every matrix, bounded by `2·n·ε` as
    /// for `gemm`.
    fn compare(&self, x: Impl, y: Impl) -> Verdict {
        let scale = self.abs_product();
        let (cx, cy) = (self.answer(x), self.answer(y));
        let mut worst = if cx.len() == scale.len() && cy.len() == scale.len() {
            0.0f64
        } else {
            f64::NAN
        };
        for ((&p, &q), &s) in cx.iter().zip(cy).zip(scale) {
            let d = (lapis_kernels::Scalar::to_f64(p) - lapis_kernels::Scalar::to_f64(q)).abs()
                / s.max(f64::MIN_POSITIVE);
            if d.is_nan() {
                worst = f64::NAN;
                break;
            }
            worst = worst.max(d);
        }
        Verdict {
            rel_err: worst,
            tol: 2.0 * self.n.max(1) as f64 * eps::<T>(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lapis_and_faer_agree_and_garbage_is_caught() {
        let ctx = Ctx {
            threads: 1,
            openblas: None,
        };
        let mut case = BatchCase::<f64>::new(50, 3, 8);
        case.run(Impl::Lapis, &ctx).unwrap();
        case.run(Impl::Faer, &ctx).unwrap();
        let v = case.compare(Impl::Faer, Impl::Lapis);
        assert!(v.ok(), "{v:?}");
        case.c[slot(Impl::Faer)][100] += 1e-3;
        assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
    }
}
