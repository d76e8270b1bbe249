//! `qr`: Householder QR in LAPACK's compact form — `R` on and above the diagonal, the
//! reflectors below it, their scales aside (numpy's `np.linalg.qr(a, mode="raw")`; the
//! other modes add forming `Q`). Shape `[m, n]`: every size n runs the square `[n, n]` and
//! the tall `[4n, n]` case.
//!
//! * lapis: `lapis_factor::qr::factor` (blocked, compact-WY updates);
//! * OpenBLAS: `?geqrf_` only (workspace from LAPACK's query, kept across calls);
//! * faer: `qr::no_pivoting::factor::qr_in_place` with its recommended block size (its
//!   block reflector factors go to a separate buffer).
//!
//! Every call copies `A` first. The tall cases are recorded with `n: null` (like gemm's
//! panels) so the plot shows the square ones only.

use ::faer::linalg::qr::no_pivoting::factor as fqr;
use lapis_kernels::MatMut;
use std::sync::OnceLock;

use super::check::{FaerMem, M64, Measures, eps, narrow, random, slot, upper, worst};
use super::{BenchOp, Case, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::BenchScalar;
use crate::lapack;
use crate::rng::Rng;

/// The `qr` op.
#[derive(Clone, Copy, Debug)]
pub struct Qr;

impl BenchOp for Qr {
    fn name(&self) -> &'static str {
        "qr"
    }

    fn default_sizes(&self, quick: bool) -> Vec<usize> {
        if quick {
            vec![100, 500]
        } else {
            vec![100, 500, 1000, 2000]
        }
    }

    /// `2mn² − 2n³/3` (for m ≥ n; `2nm² − 2m³/3` otherwise).
    fn flops(&self, shape: &[usize]) -> Option<f64> {
        let (m, n) = (*shape.first()? as f64, *shape.get(1)? as f64);
        let (big, small) = if m >= n { (m, n) } else { (n, m) };
        Some(2.0 * big * small * small - 2.0 * small * small * small / 3.0)
    }

    fn prepare(&self, dtype: Dtype, shape: &[usize], seed: u64) -> Box<dyn Prepared> {
        match dtype {
            Dtype::F32 => Box::new(QrCase::<f32>::new(shape[0], shape[1], seed)),
            Dtype::F64 => Box::new(QrCase::<f64>::new(shape[0], shape[1], seed)),
        }
    }

    /// Square `[n, n]` (with `n`) then tall `[4n, n]` (with `n: None`) for every size.
    fn cases(&self, dtypes: &[Dtype], sizes: Option<&[usize]>, quick: bool) -> Vec<Case> {
        let sizes = sizes.map_or_else(|| self.default_sizes(quick), <[usize]>::to_vec);
        let mut out = Vec::new();
        for &dtype in dtypes {
            for &n in &sizes {
                out.push(Case {
                    dtype,
                    shape: vec![n, n],
                    n: Some(n),
                });
            }
            for &n in &sizes {
                out.push(Case {
                    dtype,
                    shape: vec![4 * n, n],
                    n: None,
                });
            }
        }
        out
    }
}

struct QrCase<T> {
    m: usize,
    n: usize,
    a: Vec<T>,
    a64: M64,
    /// `AᵀA` in f64, computed on first use.
    gram: OnceLock<M64>,
    /// Factorizations, indexed like [`Impl::ALL`].
    qr: [Vec<T>; 3],
    tau: Vec<T>,
    ob_work: Vec<T>,
    faer_bs: usize,
    faer_coeff: Vec<T>,
    mem: FaerMem,
    berr: Measures,
}

impl<T: BenchScalar> QrCase<T> {
    fn new(m: usize, n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let a: Vec<T> = narrow(&random(&mut rng, m, n).data);
        let k = m.min(n);
        let bs = fqr::recommended_block_size::<T>(m, n).max(1);
        let req = fqr::qr_in_place_scratch::<T>(m, n, bs, crate::faer::par(2), Default::default());
        QrCase {
            m,
            n,
            a64: M64::from_slice(&a, m, n),
            a,
            gram: OnceLock::new(),
            qr: std::array::from_fn(|_| vec![T::nan(); m * n]),
            tau: vec![T::zero(); k],
            ob_work: Vec::new(),
            faer_bs: bs,
            faer_coeff: vec![T::zero(); bs * k],
            mem: FaerMem::new(req),
            berr: Measures::default(),
        }
    }

    /// `max_ij |AᵀA − RᵀR|_ij / (‖a_i‖·‖a_j‖)` of `imp`'s `R` (m ≥ n).
    fn backward_error(&self, imp: Impl) -> f64 {
        self.berr.get(imp, || {
            let (m, n) = (self.m, self.n);
            let g = self
                .gram
                .get_or_init(|| self.a64.mul(true, &self.a64, false));
            let r = upper(&self.qr[slot(imp)], m, n);
            let rtr = r.mul(true, &r, false);
            let norms: Vec<f64> = (0..n).map(|j| self.a64.col_norm(j)).collect();
            let mut w = 0.0f64;
            for j in 0..n {
                for i in 0..n {
                    let d = (g.at(i, j) - rtr.at(i, j)).abs() / (norms[i] * norms[j]);
                    w = worst(w, d);
                }
            }
            w
        })
    }
}

impl<T: BenchScalar> Prepared for QrCase<T> {
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String> {
        let (m, n) = (self.m, self.n);
        self.berr.clear(imp);
        let f = &mut self.qr[slot(imp)];
        f.copy_from_slice(&self.a);
        match imp {
            Impl::Lapis => {
                let v = MatMut::from_col_major(f, m, n).map_err(|e| e.to_string())?;
                lapis_factor::qr::factor(v, &mut self.tau, ctx.lapis_par())
                    .map_err(|e| e.to_string())
            }
            Impl::OpenBlas => {
                lapack::geqrf(ctx.openblas()?, m, n, f, &mut self.tau, &mut self.ob_work)
            }
            Impl::Faer => {
                let v = ::faer::MatMut::from_column_major_slice_mut(f, m, n);
                let k = m.min(n);
                let coeff = ::faer::MatMut::from_column_major_slice_mut(
                    &mut self.faer_coeff,
                    self.faer_bs,
                    k,
                );
                fqr::qr_in_place(
                    v,
                    coeff,
                    ctx.faer_par(),
                    self.mem.stack(),
                    Default::default(),
                );
                Ok(())
            }
        }
    }

    /// Both answers' backward errors (the larger one), checking `R` up to the signs of its
    /// rows: Householder QR is columnwise backward stable — `R` is the exact factor of
    /// `A + ΔA` with `‖Δa_j‖ ≤ γ̃·‖a_j‖` — so `|AᵀA − RᵀR|_ij ≤ (2γ̃ + γ̃²)·‖a_i‖·‖a_j‖`
    /// whatever the conditioning. The worst-case `γ̃` grows like `m·n·ε`; observed values sit
    /// at a few `√m·ε`, and the bound used is `2·m·ε`.
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
        let mut case = QrCase::<f64>::new(120, 30, 4);
        case.run(Impl::Lapis, &ctx).unwrap();
        case.run(Impl::Faer, &ctx).unwrap();
        let v = case.compare(Impl::Faer, Impl::Lapis);
        assert!(v.ok(), "{v:?}");
        case.qr[slot(Impl::Faer)][120 * 7 + 3] *= 1.01;
        case.berr.clear(Impl::Faer);
        assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
        let cases = Qr.cases(&[Dtype::F64], Some(&[10]), false);
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[1].shape, vec![40, 10]);
        assert_eq!(Qr.flops(&[3, 3]), Some(36.0));
    }
}
