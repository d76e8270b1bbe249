//! `eigvalsh`: eigenvalues of a symmetric matrix (numpy's `np.linalg.eigvalsh`), shape
//! `[n, n]`, on the same input as `eigh` (`(M + Mᵀ)/2`, `M` uniform in [-1, 1), lower triangle
//! read).
//!
//! * lapis: `lapis_factor::eigh::eigvalsh` with `Uplo::Lower` (reads `A`, no copy);
//! * OpenBLAS: `?syevd_` with `jobz = 'N'`, `uplo = 'L'` (numpy's driver; it destroys the
//!   lower triangle, so every call copies `A` first);
//! * faer: `evd::self_adjoint_evd` with no eigenvector output (reads `A`, no copy).
//!
//! Flops: `4n³/3`, the tridiagonal reduction (`?sytrd`) that dominates every method; the
//! `O(n²)` tridiagonal eigenvalue solve is not counted.

use ::faer::linalg::evd as fevd;
use lapis_kernels::{MatRef, Uplo};

use super::check::{FaerMem, eps, narrow, slot};
use super::eigh::{spectrum_gap, symmetric};
use super::{BenchOp, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::BenchScalar;
use crate::lapack::{self, DcWork};
use crate::rng::Rng;

/// The `eigvalsh` op.
#[derive(Clone, Copy, Debug)]
pub struct Eigvalsh;

impl BenchOp for Eigvalsh {
    fn name(&self) -> &'static str {
        "eigvalsh"
    }

    fn default_sizes(&self, quick: bool) -> Vec<usize> {
        // Quick stops at 200: with two threads on this loaded 2-core machine OpenBLAS's
        // drivers take 0.1–2.5 s a call (at n = 500), which alone would push `--quick` for
        // every op past 3 minutes.
        if quick {
            vec![100, 200]
        } else {
            vec![100, 500, 1000, 2000]
        }
    }

    /// `4n³/3` (the tridiagonal reduction).
    fn flops(&self, shape: &[usize]) -> Option<f64> {
        let n = *shape.first()? as f64;
        Some(4.0 * n * n * n / 3.0)
    }

    fn prepare(&self, dtype: Dtype, shape: &[usize], seed: u64) -> Box<dyn Prepared> {
        match dtype {
            Dtype::F32 => Box::new(EigvalshCase::<f32>::new(shape[0], seed)),
            Dtype::F64 => Box::new(EigvalshCase::<f64>::new(shape[0], seed)),
        }
    }
}

struct EigvalshCase<T> {
    n: usize,
    a: Vec<T>,
    /// Eigenvalues, indexed like [`Impl::ALL`].
    w: [Vec<T>; 3],
    /// OpenBLAS's copy of `A`.
    scratch: Vec<T>,
    ob_work: DcWork<T>,
    mem: FaerMem,
}

impl<T: BenchScalar> EigvalshCase<T> {
    fn new(n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let a: Vec<T> = narrow(&symmetric(&mut rng, n).data);
        let req = fevd::self_adjoint_evd_scratch::<T>(
            n,
            fevd::ComputeEigenvectors::No,
            crate::faer::par(2),
            Default::default(),
        );
        EigvalshCase {
            n,
            a,
            w: std::array::from_fn(|_| vec![T::nan(); n]),
            scratch: vec![T::nan(); n * n],
            ob_work: DcWork::default(),
            mem: FaerMem::new(req),
        }
    }
}

impl<T: BenchScalar> Prepared for EigvalshCase<T> {
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String> {
        let n = self.n;
        let w = &mut self.w[slot(imp)];
        match imp {
            Impl::Lapis => {
                let a = MatRef::from_col_major(&self.a, n, n).map_err(|e| e.to_string())?;
                lapis_factor::eigh::eigvalsh(a, Uplo::Lower, w, ctx.lapis_par())
                    .map_err(|e| e.to_string())
            }
            Impl::OpenBlas => {
                self.scratch.copy_from_slice(&self.a);
                lapack::syevd_lower(
                    ctx.openblas()?,
                    false,
                    n,
                    &mut self.scratch,
                    w,
                    &mut self.ob_work,
                )
            }
            Impl::Faer => {
                let a = ::faer::MatRef::from_column_major_slice(&self.a, n, n);
                fevd::self_adjoint_evd(
                    a,
                    ::faer::diag::DiagMut::from_slice_mut(w),
                    None,
                    ctx.faer_par(),
                    self.mem.stack(),
                    Default::default(),
                )
                .map_err(|e| format!("faer self_adjoint_evd: {e:?}"))
            }
        }
    }

    /// The gap of the two ascending spectra relative to `‖A‖₂` ([`spectrum_gap`]): both are
    /// within `c·n·ε·‖A‖₂` of the exact one whatever the conditioning (Weyl). Bound: `30·n·ε`,
    /// LAPACK's test threshold; observed `0.05–0.3·n·ε`.
    fn compare(&self, x: Impl, y: Impl) -> Verdict {
        Verdict {
            rel_err: spectrum_gap(&self.w[slot(x)], &self.w[slot(y)]),
            tol: 30.0 * self.n.max(1) as f64 * eps::<T>(),
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
        let n = 70;
        let mut case = EigvalshCase::<f64>::new(n, 5);
        case.run(Impl::Lapis, &ctx).unwrap();
        case.run(Impl::Faer, &ctx).unwrap();
        let v = case.compare(Impl::Faer, Impl::Lapis);
        assert!(v.ok(), "{v:?}");
        // The upper triangle is not read by anyone.
        case.a[n * 10 + 2] = f64::NAN;
        case.run(Impl::Lapis, &ctx).unwrap();
        case.run(Impl::Faer, &ctx).unwrap();
        assert!(case.compare(Impl::Faer, Impl::Lapis).ok());
        // The largest eigenvalue off by 1e-6 relative.
        case.w[slot(Impl::Faer)][n - 1] *= 1.0 + 1e-6;
        assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
        // Descending instead of ascending.
        case.run(Impl::Faer, &ctx).unwrap();
        case.w[slot(Impl::Faer)].reverse();
        assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
        assert_eq!(Eigvalsh.flops(&[3, 3]), Some(36.0));
    }
}
