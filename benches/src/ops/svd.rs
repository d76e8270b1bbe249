//! `svd`: the thin singular value decomposition with vectors (numpy's
//! `np.linalg.svd(a, full_matrices=False)`), shape `[m, n]` (sizes run square, `[n, n]`),
//! `A` uniform in [-1, 1). `k = min(m, n)`.
//!
//! * lapis: `lapis_factor::svd::svd` with `U` `m × k` and `Vᵀ` `k × n` (reads `A`, no copy);
//! * OpenBLAS: `?gesdd_` with `jobz = 'S'` (numpy's driver; it destroys `A`, so every call
//!   copies it first; workspace from LAPACK's query, kept across calls);
//! * faer: `svd::svd` with `ComputeSvdVectors::Thin` for both sides (reads `A`; it returns
//!   `V`, `n × k`, rather than `Vᵀ` — the check reads it accordingly).
//!
//! No flop count is recorded: the cost of divide and conquer depends on deflation
//! (`8n³/3` for the bidiagonalization of a square matrix, several `n³` more for the vectors).

use ::faer::linalg::svd as fsvd;
use lapis_kernels::{MatMut, MatRef};

use super::check::{FaerMem, M64, Measures, eps, narrow, random, slot, widen, worst};
use super::eigh::{orthogonality, spectrum_gap};
use super::{BenchOp, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::BenchScalar;
use crate::lapack::{self, DcWork};
use crate::rng::Rng;

/// The `svd` op.
#[derive(Clone, Copy, Debug)]
pub struct Svd;

impl BenchOp for Svd {
    fn name(&self) -> &'static str {
        "svd"
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

    /// Not recorded (see the module documentation).
    fn flops(&self, _shape: &[usize]) -> Option<f64> {
        None
    }

    fn prepare(&self, dtype: Dtype, shape: &[usize], seed: u64) -> Box<dyn Prepared> {
        match dtype {
            Dtype::F32 => Box::new(SvdCase::<f32>::new(shape[0], shape[1], seed)),
            Dtype::F64 => Box::new(SvdCase::<f64>::new(shape[0], shape[1], seed)),
        }
    }
}

struct SvdCase<T> {
    m: usize,
    n: usize,
    a: Vec<T>,
    a64: M64,
    /// Singular values, indexed like [`Impl::ALL`].
    s: [Vec<T>; 3],
    /// `U`, `m × k`.
    u: [Vec<T>; 3],
    /// `Vᵀ`, `k × n` — for faer `V`, `n × k`.
    vt: [Vec<T>; 3],
    /// OpenBLAS's copy of `A`.
    scratch: Vec<T>,
    ob_work: DcWork<T>,
    mem: FaerMem,
    /// `max(‖A − U·Σ·Vᵀ‖_F / ‖A‖_F, ‖UᵀU − I‖_F, ‖VᵀV − I‖_F)` per answer.
    err: Measures,
}

impl<T: BenchScalar> SvdCase<T> {
    fn new(m: usize, n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let a: Vec<T> = narrow(&random(&mut rng, m, n).data);
        let k = m.min(n);
        let req = fsvd::svd_scratch::<T>(
            m,
            n,
            fsvd::ComputeSvdVectors::Thin,
            fsvd::ComputeSvdVectors::Thin,
            crate::faer::par(2),
            Default::default(),
        );
        SvdCase {
            m,
            n,
            a64: M64::from_slice(&a, m, n),
            a,
            s: std::array::from_fn(|_| vec![T::nan(); k]),
            u: std::array::from_fn(|_| vec![T::nan(); m * k]),
            vt: std::array::from_fn(|_| vec![T::nan(); k * n]),
            scratch: vec![T::nan(); m * n],
            ob_work: DcWork::default(),
            mem: FaerMem::new(req),
            err: Measures::default(),
        }
    }

    /// `V` (`n × k`, f64) of `imp`'s answer.
    fn v_of(&self, imp: Impl) -> M64 {
        let (n, k) = (self.n, self.m.min(self.n));
        let buf = &self.vt[slot(imp)];
        if imp == Impl::Faer {
            return M64::from_slice(buf, n, k);
        }
        let mut v = M64::zeros(n, k);
        for j in 0..k {
            for i in 0..n {
                v.data[i + j * n] = lapis_kernels::Scalar::to_f64(buf[j + i * k]);
            }
        }
        v
    }

    /// The reconstruction error and both orthogonalities of `imp`'s own answer (the largest).
    fn own_error(&self, imp: Impl) -> f64 {
        self.err.get(imp, || {
            let (m, k) = (self.m, self.m.min(self.n));
            let u = M64::from_slice(&self.u[slot(imp)], m, k);
            let v = self.v_of(imp);
            let s = widen(&self.s[slot(imp)]);
            let mut us = u.clone();
            for j in 0..k {
                for i in 0..m {
                    us.data[i + j * m] *= s[j];
                }
            }
            let mut r = us.mul(false, &v, true);
            for (x, a) in r.data.iter_mut().zip(&self.a64.data) {
                *x -= a;
            }
            let anorm = self.a64.norm_fro();
            let rec = if anorm == 0.0 {
                r.norm_fro()
            } else {
                r.norm_fro() / anorm
            };
            worst(rec, worst(orthogonality(&u), orthogonality(&v)))
        })
    }
}

impl<T: BenchScalar> Prepared for SvdCase<T> {
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String> {
        let (m, n) = (self.m, self.n);
        let k = m.min(n);
        self.err.clear(imp);
        let i = slot(imp);
        let (s, u, vt) = (&mut self.s[i], &mut self.u[i], &mut self.vt[i]);
        match imp {
            Impl::Lapis => {
                let a = MatRef::from_col_major(&self.a, m, n).map_err(|e| e.to_string())?;
                let u = MatMut::from_col_major(u, m, k).map_err(|e| e.to_string())?;
                let vt = MatMut::from_col_major(vt, k, n).map_err(|e| e.to_string())?;
                lapis_factor::svd::svd(a, s, Some(u), Some(vt), ctx.lapis_par())
                    .map_err(|e| e.to_string())
            }
            Impl::OpenBlas => {
                self.scratch.copy_from_slice(&self.a);
                let ob = ctx.openblas()?;
                lapack::gesdd(
                    ob,
                    true,
                    m,
                    n,
                    &mut self.scratch,
                    s,
                    u,
                    vt,
                    &mut self.ob_work,
                )
            }
            Impl::Faer => {
                let a = ::faer::MatRef::from_column_major_slice(&self.a, m, n);
                let u = ::faer::MatMut::from_column_major_slice_mut(u, m, k);
                let v = ::faer::MatMut::from_column_major_slice_mut(vt, n, k);
                fsvd::svd(
                    a,
                    ::faer::diag::DiagMut::from_slice_mut(s),
                    Some(u),
                    Some(v),
                    ctx.faer_par(),
                    self.mem.stack(),
                    Default::default(),
                )
                .map_err(|e| format!("faer svd: {e:?}"))
            }
        }
    }

    /// The largest of: each answer's reconstruction error `‖A − U·Σ·Vᵀ‖_F / ‖A‖_F` and
    /// orthogonalities `‖UᵀU − I‖_F`, `‖VᵀV − I‖_F` (all `O(max(m, n)·ε)` for a
    /// backward-stable method — LAPACK's `?bdt01`/`?ort01` test ratios — whatever the
    /// conditioning; the vectors of close singular values are not comparable between
    /// answers), and the gap of the two descending spectra relative to `σ_max`
    /// ([`spectrum_gap`]; Weyl's theorem for singular values). Bound: `30·max(m, n)·ε`,
    /// LAPACK's own test threshold (its ratios are divided by `n·ε` and must stay below 30);
    /// observed: ≈ `1·n·ε` for the orthogonalities, `0.1–0.8·n·ε` for the gap.
    fn compare(&self, x: Impl, y: Impl) -> Verdict {
        let own = worst(self.own_error(x), self.own_error(y));
        let gap = spectrum_gap(&self.s[slot(x)], &self.s[slot(y)]);
        Verdict {
            rel_err: worst(own, gap),
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
        for (m, n) in [(50, 50), (60, 35), (35, 60)] {
            let k = m.min(n);
            let mut case = SvdCase::<f64>::new(m, n, 8);
            case.run(Impl::Lapis, &ctx).unwrap();
            case.run(Impl::Faer, &ctx).unwrap();
            let v = case.compare(Impl::Faer, Impl::Lapis);
            assert!(v.ok(), "{m}×{n}: {v:?}");
            // One entry of V off by 1e-6 relative (faer's V is n × k).
            case.vt[slot(Impl::Faer)][n * 3 + 4] *= 1.0 + 1e-6;
            case.err.clear(Impl::Faer);
            assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
            // One entry of lapis's Vᵀ (k × n), seen from either side of the comparison.
            case.run(Impl::Faer, &ctx).unwrap();
            case.vt[slot(Impl::Lapis)][k * 4 + 3] *= 1.0 + 1e-6;
            case.err.clear(Impl::Lapis);
            assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
            case.run(Impl::Lapis, &ctx).unwrap();
            assert!(case.compare(Impl::Faer, Impl::Lapis).ok());
            // One singular value off by 1e-6 relative.
            case.s[slot(Impl::Faer)][k / 2] *= 1.0 + 1e-6;
            case.err.clear(Impl::Faer);
            assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
            // A sign flip of a pair of singular vectors is a valid answer; of one alone not.
            case.run(Impl::Faer, &ctx).unwrap();
            for x in &mut case.u[slot(Impl::Faer)][m * 2..m * 3] {
                *x = -*x;
            }
            case.err.clear(Impl::Faer);
            assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
            for x in &mut case.vt[slot(Impl::Faer)][n * 2..n * 3] {
                *x = -*x;
            }
            case.err.clear(Impl::Faer);
            assert!(case.compare(Impl::Faer, Impl::Lapis).ok());
        }
    }
}
