//! `batched_inv`: the inverse of every matrix of a stack (numpy's `np.linalg.inv` on a
//! `(batch, n, n)` array), shape `[batch, n, n]` with `batch = 100 000`; n is the matrix
//! order. The stack is C-ordered, as numpy's; inputs are uniform in [-1, 1).
//!
//! * lapis: `lapis::linalg::inv` on the `Array` (the front door: allocates its result, runs
//!   the stack in parallel, unrolled path for n ≤ 4), under `with_num_threads(t)`;
//! * OpenBLAS: numpy's loop — per matrix, a copy, an identity right-hand side and one
//!   `?gesv_` call ([`lapack::gesv_inverse_loop`]); single-threaded, as numpy's loop is;
//! * faer: a loop of `lu_in_place` + `inverse` per matrix (`Par::Seq`), split over the t
//!   threads with rayon when t > 1.
//!
//! Every implementation allocates its result on every call, as numpy's `inv` does.

use ::faer::linalg::lu::partial_pivoting as flu;
use rayon::prelude::*;

use super::check::{FaerMem, eps, slot, widen, worst};
use super::{BenchOp, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::BenchScalar;
use crate::lapack::{self, IntBuf};
use crate::rng::Rng;

/// Matrices per stack.
pub const BATCH: usize = 100_000;

/// The `batched_inv` op.
#[derive(Clone, Copy, Debug)]
pub struct BatchedInv;

impl BenchOp for BatchedInv {
    fn name(&self) -> &'static str {
        "batched_inv"
    }

    fn default_sizes(&self, quick: bool) -> Vec<usize> {
        if quick { vec![4] } else { vec![2, 3, 4, 8] }
    }

    fn shape_for_size(&self, n: usize) -> Vec<usize> {
        vec![BATCH, n, n]
    }

    /// `2n³` per matrix (as `inv`).
    fn flops(&self, shape: &[usize]) -> Option<f64> {
        let [b, n, _] = shape else { return None };
        Some(2.0 * *b as f64 * (*n as f64).powi(3))
    }

    fn prepare(&self, dtype: Dtype, shape: &[usize], seed: u64) -> Box<dyn Prepared> {
        match dtype {
            Dtype::F32 => Box::new(BatchInvCase::<f32>::new(shape[0], shape[1], seed)),
            Dtype::F64 => Box::new(BatchInvCase::<f64>::new(shape[0], shape[1], seed)),
        }
    }
}

struct BatchInvCase<T: lapis::Element> {
    n: usize,
    a: lapis::Array<T>,
    lapis_x: Option<lapis::Array<T>>,
    /// The peers' inverses, indexed like [`Impl::ALL`] (slot 0 unused).
    x: [Vec<T>; 3],
    ob_scratch: Vec<T>,
    ob_ipiv: IntBuf,
}

/// One faer worker's buffers.
struct FaerWork<T> {
    lu: Vec<T>,
    perm: Vec<usize>,
    perm_inv: Vec<usize>,
    mem: FaerMem,
}

impl<T: BenchScalar> FaerWork<T> {
    fn new(n: usize) -> Self {
        let req = flu::factor::lu_in_place_scratch::<usize, T>(
            n,
            n,
            ::faer::Par::Seq,
            Default::default(),
        )
        .or(flu::inverse::inverse_scratch::<usize, T>(
            n,
            ::faer::Par::Seq,
        ));
        FaerWork {
            lu: vec![T::zero(); n * n],
            perm: vec![0; n],
            perm_inv: vec![0; n],
            mem: FaerMem::new(req),
        }
    }

    /// `x ← m⁻¹` (both n×n, read as column-major).
    fn invert(&mut self, n: usize, m: &[T], x: &mut [T]) {
        self.lu.copy_from_slice(m);
        let lu = ::faer::MatMut::from_column_major_slice_mut(&mut self.lu, n, n);
        let (_, perm) = flu::factor::lu_in_place(
            lu,
            &mut self.perm,
            &mut self.perm_inv,
            ::faer::Par::Seq,
            self.mem.stack(),
            Default::default(),
        );
        let f = ::faer::MatRef::from_column_major_slice(&self.lu, n, n);
        let out = ::faer::MatMut::from_column_major_slice_mut(x, n, n);
        flu::inverse::inverse(out, f, f, perm, ::faer::Par::Seq, self.mem.stack());
    }
}

impl<T: BenchScalar + lapis::Inexact> BatchInvCase<T> {
    fn new(batch: usize, n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let len = batch * n * n;
        let a = lapis::Array::from_shape_vec(&[batch, n, n], rng.fill(len)).expect("sized");
        BatchInvCase {
            n,
            a,
            lapis_x: None,
            x: std::array::from_fn(|i| {
                if i == 0 {
                    Vec::new()
                } else {
                    vec![T::nan(); len]
                }
            }),
            ob_scratch: vec![<T as lapis::Number>::zero(); n * n],
            ob_ipiv: IntBuf::new(n),
        }
    }

    fn answer(&self, imp: Impl) -> &[T] {
        match imp {
            Impl::Lapis => self
                .lapis_x
                .as_ref()
                .and_then(|c| c.as_slice())
                .unwrap_or(&[]),
            _ => &self.x[slot(imp)],
        }
    }

    /// The worst over the stack of `min(‖I − A·X‖₁, ‖I − X·A‖₁) / (‖A‖₁·‖X‖₁)`.
    fn residual(&self, imp: Impl) -> f64 {
        let n = self.n;
        let nn = n * n;
        let a = widen(self.a.as_slice().expect("contiguous"));
        let x = widen(self.answer(imp));
        if x.len() != a.len() {
            return f64::NAN;
        }
        // Row-major n×n helpers.
        let norm1 = |m: &[f64]| {
            (0..n)
                .map(|j| (0..n).map(|i| m[i * n + j].abs()).sum::<f64>())
                .fold(0.0, worst)
        };
        let resid = |p: &[f64], q: &[f64]| {
            let mut r = vec![0.0; nn];
            for i in 0..n {
                for j in 0..n {
                    let s: f64 = (0..n).map(|k| p[i * n + k] * q[k * n + j]).sum();
                    r[i * n + j] = s - if i == j { 1.0 } else { 0.0 };
                }
            }
            norm1(&r)
        };
        let mut w = 0.0f64;
        for (am, xm) in a.chunks_exact(nn).zip(x.chunks_exact(nn)) {
            let right = resid(am, xm);
            let left = resid(xm, am);
            let both = if right.is_nan() || left.is_nan() {
                f64::NAN
            } else {
                right.min(left)
            };
            w = worst(w, both / (norm1(am) * norm1(xm)));
        }
        w
    }
}

impl<T: BenchScalar + lapis::Inexact> Prepared for BatchInvCase<T> {
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String> {
        let n = self.n;
        let nn = n * n;
        match imp {
            Impl::Lapis => {
                self.lapis_x = None;
                let x =
                    lapis::config::with_num_threads(ctx.threads, || lapis::linalg::inv(&self.a))
                        .map_err(|e| e.to_string())?;
                self.lapis_x = Some(x);
                Ok(())
            }
            Impl::OpenBlas => {
                let a = self.a.as_slice().ok_or("not contiguous")?;
                // Like numpy (and lapis), allocate the result on every call.
                self.x[slot(imp)] = Vec::new();
                let mut out = vec![<T as lapis::Number>::zero(); a.len()];
                lapack::gesv_inverse_loop(
                    ctx.openblas()?,
                    n,
                    a,
                    &mut out,
                    &mut self.ob_scratch,
                    &mut self.ob_ipiv,
                )?;
                self.x[slot(imp)] = out;
                Ok(())
            }
            Impl::Faer => {
                let a = self.a.as_slice().ok_or("not contiguous")?;
                self.x[slot(imp)] = Vec::new();
                let mut out = vec![<T as lapis::Number>::zero(); a.len()];
                let x = &mut out;
                if ctx.threads > 1 {
                    x.par_chunks_mut(nn)
                        .zip(a.par_chunks(nn))
                        .with_min_len(256)
                        .for_each_init(|| FaerWork::<T>::new(n), |w, (x, m)| w.invert(n, m, x));
                } else {
                    let mut w = FaerWork::<T>::new(n);
                    for (x, m) in x.chunks_mut(nn).zip(a.chunks(nn)) {
                        w.invert(n, m, x);
                    }
                }
                self.x[slot(imp)] = out;
                Ok(())
            }
        }
    }

    /// Both answers' residual ratios (the larger one), bounded by `2·n·ε` (the growth factor
    /// of partial pivoting is at most `2ⁿ⁻¹`, small for these orders). The smaller of the
    /// right and left residuals is used: which side an inversion method keeps small without
    /// reference to the condition number depends on the method (a solve per column keeps
    /// `A·X − I` small, getri-style methods `X·A − I`; Higham, ch. 14), and 100 000 random
    /// matrices include badly conditioned ones.
    fn compare(&self, x: Impl, y: Impl) -> Verdict {
        Verdict {
            rel_err: worst(self.residual(x), self.residual(y)),
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
        for n in [2, 4, 7] {
            let mut case = BatchInvCase::<f64>::new(300, n, 8);
            case.run(Impl::Lapis, &ctx).unwrap();
            case.run(Impl::Faer, &ctx).unwrap();
            let v = case.compare(Impl::Faer, Impl::Lapis);
            assert!(v.ok(), "n = {n}: {v:?}");
            case.x[slot(Impl::Faer)][n * n * 17 + 1] += 1e-3;
            assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
        }
    }
}
