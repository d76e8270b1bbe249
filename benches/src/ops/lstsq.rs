//! `lstsq`: the least-squares solution of `A·x ≈ b` for one right-hand side (numpy's
//! `np.linalg.lstsq(a, b, rcond=None)` with a 1-D `b`), shape `[m, n]`: every size n runs the
//! square `[n, n]` case, and default and `--quick` runs add the tall `[2000, 200]`.
//!
//! * lapis: `lapis_factor::lstsq::lstsq_svd` with `rcond < 0` (machine precision), the path
//!   `lapis::linalg::lstsq` takes: the SVD (after a QR or LQ when one side is 1.5× the
//!   other), the rank decided on the singular values as numpy does; it returns them too;
//! * OpenBLAS: `?gelsd_` with `rcond = −1` (machine precision) — the SVD-based driver numpy
//!   calls; it also returns the singular values;
//! * faer: column-pivoted QR (`qr::col_pivoting::factor::qr_in_place`) and its
//!   `solve_lstsq_in_place` — faer's closest routine; it does not decide a rank (full-rank
//!   least squares only), so it does less work than either of the others.
//!
//! The three methods differ, so their flop counts do too: no count is reported (`flops` and
//! `gflops` are null); compare times. Lapis's cheaper complete orthogonal decomposition
//! (`lapis_factor::lstsq::lstsq`, `gelsy`'s method, rank by condition estimation) is not what
//! numpy's `lstsq` computes, so it is not the benchmarked path.
//!
//! Every call copies `A` and `b` first. Inputs are uniform in [-1, 1) (full rank).

use ::faer::linalg::qr::col_pivoting as fcp;
use lapis_kernels::{MatMut, MatRef};

use super::check::{FaerMem, M64, Measures, eps, narrow, random, slot, worst};
use super::{BenchOp, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::BenchScalar;
use crate::lapack::{self, LstsqDriver, LstsqWork};
use crate::rng::Rng;

/// The `lstsq` op.
#[derive(Clone, Copy, Debug)]
pub struct Lstsq;

impl BenchOp for Lstsq {
    fn name(&self) -> &'static str {
        "lstsq"
    }

    fn default_sizes(&self, quick: bool) -> Vec<usize> {
        if quick {
            vec![100]
        } else {
            vec![100, 500, 1000, 2000]
        }
    }

    fn extra_shapes(&self, _quick: bool) -> Vec<Vec<usize>> {
        vec![vec![2000, 200]]
    }

    /// Not defined across the three methods (see the module docs).
    fn flops(&self, _shape: &[usize]) -> Option<f64> {
        None
    }

    fn prepare(&self, dtype: Dtype, shape: &[usize], seed: u64) -> Box<dyn Prepared> {
        match dtype {
            Dtype::F32 => Box::new(LstsqCase::<f32>::new(shape[0], shape[1], seed)),
            Dtype::F64 => Box::new(LstsqCase::<f64>::new(shape[0], shape[1], seed)),
        }
    }
}

struct LstsqCase<T> {
    m: usize,
    n: usize,
    a: Vec<T>,
    b: Vec<T>,
    a64: M64,
    b64: M64,
    /// Factor buffers (`m × n`) and right-hand sides / solutions (`max(m, n)`), indexed like
    /// [`Impl::ALL`]; the solution is the first n entries.
    work: [Vec<T>; 3],
    x: [Vec<T>; 3],
    ob: LstsqWork<T>,
    faer_bs: usize,
    faer_coeff: Vec<T>,
    perm: Vec<usize>,
    perm_inv: Vec<usize>,
    /// Lapis's singular values.
    sv: Vec<T>,
    mem: FaerMem,
    berr: Measures,
}

impl<T: BenchScalar> LstsqCase<T> {
    fn new(m: usize, n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let a: Vec<T> = narrow(&random(&mut rng, m, n).data);
        let b: Vec<T> = narrow(&random(&mut rng, m, 1).data);
        let k = m.min(n);
        let bs = ::faer::linalg::qr::no_pivoting::factor::recommended_block_size::<T>(m, n).max(1);
        let par = crate::faer::par(2);
        let req = fcp::factor::qr_in_place_scratch::<usize, T>(m, n, bs, par, Default::default())
            .or(fcp::solve::solve_lstsq_in_place_scratch::<usize, T>(
                m, n, bs, 1, par,
            ));
        LstsqCase {
            m,
            n,
            a64: M64::from_slice(&a, m, n),
            b64: M64::from_slice(&b, m, 1),
            a,
            b,
            work: std::array::from_fn(|_| vec![T::nan(); m * n]),
            x: std::array::from_fn(|_| vec![T::nan(); m.max(n)]),
            ob: LstsqWork::default(),
            faer_bs: bs,
            faer_coeff: vec![T::zero(); bs * k],
            perm: vec![0; n],
            perm_inv: vec![0; n],
            sv: vec![T::zero(); k],
            mem: FaerMem::new(req),
            berr: Measures::default(),
        }
    }

    /// `‖Aᵀ·r‖₂ / (‖A‖_F·(‖A‖_F·‖x‖₂ + ‖b‖₂ + ‖r‖₂))` with `r = b − A·x`: the optimality
    /// residual of the normal equations, scaled so that it is small for any answer that is
    /// the exact solution of a nearby problem.
    fn backward_error(&self, imp: Impl) -> f64 {
        self.berr.get(imp, || {
            let x = M64::from_slice(&self.x[slot(imp)], self.n, 1);
            let ax = self.a64.mul(false, &x, false);
            let r = M64 {
                rows: self.m,
                cols: 1,
                data: self
                    .b64
                    .data
                    .iter()
                    .zip(&ax.data)
                    .map(|(b, y)| b - y)
                    .collect(),
            };
            let atr = self.a64.mul(true, &r, false);
            let na = self.a64.norm_fro();
            atr.norm_fro() / (na * (na * x.norm_fro() + self.b64.norm_fro() + r.norm_fro()))
        })
    }
}

impl<T: BenchScalar> Prepared for LstsqCase<T> {
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String> {
        let (m, n) = (self.m, self.n);
        let s = slot(imp);
        self.berr.clear(imp);
        let (w, x) = (&mut self.work[s], &mut self.x[s]);
        w.copy_from_slice(&self.a);
        match imp {
            Impl::Lapis => {
                let a = MatRef::from_col_major(w, m, n).map_err(|e| e.to_string())?;
                let b = MatRef::from_col_major(&self.b, m, 1).map_err(|e| e.to_string())?;
                let out = MatMut::from_col_major(&mut x[..n], n, 1).map_err(|e| e.to_string())?;
                let (sv, par) = (&mut self.sv, ctx.lapis_par());
                lapis_factor::lstsq::lstsq_svd(a, b, out, sv, Some(-T::one()), par)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            Impl::OpenBlas => {
                x[..m].copy_from_slice(&self.b);
                let ob = ctx.openblas()?;
                lapack::lstsq(
                    ob,
                    LstsqDriver::Gelsd,
                    m,
                    n,
                    1,
                    w,
                    x,
                    -T::one(),
                    &mut self.ob,
                )
                .map(|_| ())
            }
            Impl::Faer => {
                if m < n {
                    return Err("faer's QR least squares needs m ≥ n".to_string());
                }
                x[..m].copy_from_slice(&self.b);
                let par = ctx.faer_par();
                let k = m.min(n);
                let a = ::faer::MatMut::from_column_major_slice_mut(w, m, n);
                let coeff = ::faer::MatMut::from_column_major_slice_mut(
                    &mut self.faer_coeff,
                    self.faer_bs,
                    k,
                );
                let (_, perm) = fcp::factor::qr_in_place(
                    a,
                    coeff,
                    &mut self.perm,
                    &mut self.perm_inv,
                    par,
                    self.mem.stack(),
                    Default::default(),
                );
                let f = ::faer::MatRef::from_column_major_slice(w, m, n);
                let coeff =
                    ::faer::MatRef::from_column_major_slice(&self.faer_coeff, self.faer_bs, k);
                let rhs = ::faer::MatMut::from_column_major_slice_mut(&mut x[..m], m, 1);
                fcp::solve::solve_lstsq_in_place(f, coeff, f, perm, rhs, par, self.mem.stack());
                Ok(())
            }
        }
    }

    /// Both answers' normal-equation residuals (the larger one), bounded by `2·max(m, n)·ε`:
    /// if `x` solves `min ‖(b + Δb) − (A + ΔA)·x‖` exactly with `‖ΔA‖ ≤ δ‖A‖`, `‖Δb‖ ≤ δ‖b‖`,
    /// then `‖Aᵀr‖ ≤ δ·‖A‖·(‖r‖ + ‖b‖ + ‖A‖·‖x‖)` to first order — no condition number — and the
    /// QR- and SVD-based drivers are backward stable with `δ` a modest multiple of `m·ε`.
    fn compare(&self, x: Impl, y: Impl) -> Verdict {
        Verdict {
            rel_err: worst(self.backward_error(x), self.backward_error(y)),
            tol: 2.0 * self.m.max(self.n).max(1) as f64 * eps::<T>(),
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
        let mut case = LstsqCase::<f64>::new(150, 40, 2);
        case.run(Impl::Lapis, &ctx).unwrap();
        case.run(Impl::Faer, &ctx).unwrap();
        let v = case.compare(Impl::Faer, Impl::Lapis);
        assert!(v.ok(), "{v:?}");
        case.x[slot(Impl::Faer)][5] += 1e-6;
        case.berr.clear(Impl::Faer);
        assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
    }
}
