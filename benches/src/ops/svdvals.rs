//! `svdvals`: singular values only (numpy's `np.linalg.svd(a, compute_uv=False)`, scipy's
//! `svdvals`), shape `[m, n]` (sizes run square, `[n, n]`), `A` uniform in [-1, 1).
//!
//! * lapis: `lapis_factor::svd::svdvals` (reads `A`, no copy);
//! * OpenBLAS: `?gesdd_` with `jobz = 'N'` (numpy's driver; it destroys `A`, so every call
//!   copies it first);
//! * faer: `svd::svd` with neither `U` nor `V` (reads `A`, no copy).
//!
//! Flops: `4mn² − 4n³/3` for m ≥ n (`8n³/3` square; `m`, `n` swapped when m < n), the
//! bidiagonalization (`?gebrd`) that dominates every method; the `O(n²)` bidiagonal
//! singular value solve is not counted.

use ::faer::linalg::svd as fsvd;
use lapis_kernels::MatRef;

use super::check::{FaerMem, eps, narrow, random, slot};
use super::eigh::spectrum_gap;
use super::{BenchOp, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::BenchScalar;
use crate::lapack::{self, DcWork};
use crate::rng::Rng;

/// The `svdvals` op.
#[derive(Clone, Copy, Debug)]
pub struct Svdvals;

impl BenchOp for Svdvals {
    fn name(&self) -> &'static str {
        "svdvals"
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

    /// `4mn² − 4n³/3` with `m ≥ n` (the bidiagonalization).
    fn flops(&self, shape: &[usize]) -> Option<f64> {
        let (m, n) = (*shape.first()? as f64, *shape.get(1)? as f64);
        let (big, small) = if m >= n { (m, n) } else { (n, m) };
        Some(4.0 * big * small * small - 4.0 * small * small * small / 3.0)
    }

    fn prepare(&self, dtype: Dtype, shape: &[usize], seed: u64) -> Box<dyn Prepared> {
        match dtype {
            Dtype::F32 => Box::new(SvdvalsCase::<f32>::new(shape[0], shape[1], seed)),
            Dtype::F64 => Box::new(SvdvalsCase::<f64>::new(shape[0], shape[1], seed)),
        }
    }
}

struct SvdvalsCase<T> {
    m: usize,
    n: usize,
    a: Vec<T>,
    /// Singular values, indexed like [`Impl::ALL`].
    s: [Vec<T>; 3],
    /// OpenBLAS's copy of `A`.
    scratch: Vec<T>,
    ob_work: DcWork<T>,
    mem: FaerMem,
}

impl<T: BenchScalar> SvdvalsCase<T> {
    fn new(m: usize, n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let a: Vec<T> = narrow(&random(&mut rng, m, n).data);
        let req = fsvd::svd_scratch::<T>(
            m,
            n,
            fsvd::ComputeSvdVectors::No,
            fsvd::ComputeSvdVectors::No,
            crate::faer::par(2),
            Default::default(),
        );
        SvdvalsCase {
            m,
            n,
            a,
            s: std::array::from_fn(|_| vec![T::nan(); m.min(n)]),
            scratch: vec![T::nan(); m * n],
            ob_work: DcWork::default(),
            mem: FaerMem::new(req),
        }
    }
}

impl<T: BenchScalar> Prepared for SvdvalsCase<T> {
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String> {
        let (m, n) = (self.m, self.n);
        let s = &mut self.s[slot(imp)];
        match imp {
            Impl::Lapis => {
                let a = MatRef::from_col_major(&self.a, m, n).map_err(|e| e.to_string())?;
                lapis_factor::svd::svdvals(a, s, ctx.lapis_par()).map_err(|e| e.to_string())
            }
            Impl::OpenBlas => {
                self.scratch.copy_from_slice(&self.a);
                let ob = ctx.openblas()?;
                let sc = &mut self.scratch;
                lapack::gesdd(ob, false, m, n, sc, s, &mut [], &mut [], &mut self.ob_work)
            }
            Impl::Faer => {
                let a = ::faer::MatRef::from_column_major_slice(&self.a, m, n);
                fsvd::svd(
                    a,
                    ::faer::diag::DiagMut::from_slice_mut(s),
                    None,
                    None,
                    ctx.faer_par(),
                    self.mem.stack(),
                    Default::default(),
                )
                .map_err(|e| format!("faer svd: {e:?}"))
            }
        }
    }

    /// The gap of the two descending spectra relative to `σ_max` ([`spectrum_gap`]): both are
    /// within `c·max(m, n)·ε·σ_max` of the exact singular values whatever the conditioning
    /// (Weyl's theorem for singular values). Bound: `30·max(m, n)·ε`, LAPACK's test
    /// threshold; observed `0.1–0.8·n·ε`.
    fn compare(&self, x: Impl, y: Impl) -> Verdict {
        Verdict {
            rel_err: spectrum_gap(&self.s[slot(x)], &self.s[slot(y)]),
            tol: 30.0 * self.m.max(self.n).max(1) as f64 * eps::<T>(),
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
        for (m, n) in [(80, 80), (90, 40), (40, 90)] {
            let k = m.min(n);
            let mut case = SvdvalsCase::<f64>::new(m, n, 6);
            case.run(Impl::Lapis, &ctx).unwrap();
            case.run(Impl::Faer, &ctx).unwrap();
            let v = case.compare(Impl::Faer, Impl::Lapis);
            assert!(v.ok(), "{m}×{n}: {v:?}");
            // The largest singular value off by 1e-6 relative.
            case.s[slot(Impl::Faer)][0] *= 1.0 + 1e-6;
            assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
            // Ascending instead of descending.
            case.run(Impl::Faer, &ctx).unwrap();
            case.s[slot(Impl::Faer)].reverse();
            assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
            // A NaN anywhere.
            case.run(Impl::Faer, &ctx).unwrap();
            case.s[slot(Impl::Faer)][k - 1] = f64::NAN;
            assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
        }
        assert_eq!(Svdvals.flops(&[3, 3]), Some(72.0));
    }
}
