//! `randomized_svd`: the top `k = 10` singular triplets by random sampling (scikit-learn's
//! `randomized_svd(a, 10)`), against the **full** thin SVD a user would otherwise compute.
//! Shape `[m, n]` (sizes run square). The issue's target is "≥ 10× faster than the full
//! SVD", so the peers run the full thing and a ratio below 0.1 meets it:
//!
//! * lapis: `lapis_factor::svd::randomized_svd` with `U` (`m × k`) and `Vᵀ` (`k × n`),
//!   default parameters (oversampling 10, 4 power iterations);
//! * OpenBLAS: `?gesdd_` with `jobz = 'S'` (numpy's `svd(a, full_matrices=False)`);
//! * faer: `svd::svd` with thin `U` and `V`.
//!
//! `A` has a decaying spectrum, the case randomized SVD is for: a rank-20 sum of random
//! outer products with weights `2^(−i/2)`, plus uniform noise of size `1e-5`.
//!
//! No flop count: the algorithms differ.

use ::faer::linalg::svd as fsvd;
use lapis_kernels::{MatMut, MatRef};

use super::check::{FaerMem, M64, eps, narrow, random, slot, widen};
use super::{BenchOp, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::BenchScalar;
use crate::lapack::{self, DcWork};
use crate::rng::Rng;

/// Triplets wanted.
const K: usize = 10;
/// Rank of the signal part of `A`.
const RANK: usize = 20;

/// The `randomized_svd` op.
#[derive(Clone, Copy, Debug)]
pub struct RandomizedSvd;

impl BenchOp for RandomizedSvd {
    fn name(&self) -> &'static str {
        "randomized_svd"
    }

    fn default_sizes(&self, quick: bool) -> Vec<usize> {
        if quick {
            vec![200]
        } else {
            vec![500, 1000, 2000]
        }
    }

    fn flops(&self, _shape: &[usize]) -> Option<f64> {
        None
    }

    fn prepare(&self, dtype: Dtype, shape: &[usize], seed: u64) -> Box<dyn Prepared> {
        match dtype {
            Dtype::F32 => Box::new(RsvdCase::<f32>::new(shape[0], shape[1], seed)),
            Dtype::F64 => Box::new(RsvdCase::<f64>::new(shape[0], shape[1], seed)),
        }
    }
}

struct RsvdCase<T> {
    m: usize,
    n: usize,
    a: Vec<T>,
    /// Singular values, indexed like [`Impl::ALL`]: `K` for lapis, `min(m, n)` for the peers.
    s: [Vec<T>; 3],
    u: [Vec<T>; 3],
    vt: [Vec<T>; 3],
    scratch: Vec<T>,
    ob_work: DcWork<T>,
    mem: FaerMem,
}

/// A rank-[`RANK`] `m × n` signal with weights `2^(−i/2)` plus uniform noise of size `1e-5`.
fn decaying(rng: &mut Rng, m: usize, n: usize) -> M64 {
    let mut x = random(rng, m, RANK);
    let y = random(rng, n, RANK);
    for i in 0..RANK {
        let w = 2f64.powf(-(i as f64) / 2.0) / (n as f64).sqrt();
        for v in &mut x.data[i * m..(i + 1) * m] {
            *v *= w;
        }
    }
    let mut a = x.mul(false, &y, true);
    for v in &mut a.data {
        *v += 1e-5 * rng.uniform();
    }
    a
}

impl<T: BenchScalar> RsvdCase<T> {
    fn new(m: usize, n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let a: Vec<T> = narrow(&decaying(&mut rng, m, n).data);
        let k = m.min(n);
        let req = fsvd::svd_scratch::<T>(
            m,
            n,
            fsvd::ComputeSvdVectors::Thin,
            fsvd::ComputeSvdVectors::Thin,
            crate::faer::par(2),
            Default::default(),
        );
        let width = |imp: usize| if imp == slot(Impl::Lapis) { K } else { k };
        RsvdCase {
            m,
            n,
            a,
            s: std::array::from_fn(|i| vec![T::nan(); width(i)]),
            u: std::array::from_fn(|i| vec![T::nan(); m * width(i)]),
            vt: std::array::from_fn(|i| vec![T::nan(); width(i) * n]),
            scratch: vec![T::nan(); m * n],
            ob_work: DcWork::default(),
            mem: FaerMem::new(req),
        }
    }
}

impl<T: BenchScalar> Prepared for RsvdCase<T> {
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String> {
        let (m, n) = (self.m, self.n);
        let k = m.min(n);
        let i = slot(imp);
        let (s, u, vt) = (&mut self.s[i], &mut self.u[i], &mut self.vt[i]);
        match imp {
            Impl::Lapis => {
                let a = MatRef::from_col_major(&self.a, m, n).map_err(|e| e.to_string())?;
                let u = MatMut::from_col_major(u, m, K).map_err(|e| e.to_string())?;
                let vt = MatMut::from_col_major(vt, K, n).map_err(|e| e.to_string())?;
                let params = lapis_factor::svd::RandomizedSvdParams::default();
                lapis_factor::svd::randomized_svd(a, s, Some(u), Some(vt), &params, ctx.lapis_par())
                    .map_err(|e| e.to_string())
            }
            Impl::OpenBlas => {
                self.scratch.copy_from_slice(&self.a);
                let ob = ctx.openblas()?;
                let sc = &mut self.scratch;
                lapack::gesdd(ob, true, m, n, sc, s, u, vt, &mut self.ob_work)
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

    /// Two full spectra: their gap relative to `σ₁` within `30·max(m, n)·ε` (Weyl).
    /// The randomized top `K` against a full spectrum `σ`: with `Q` the sampled basis of
    /// `l = K + 10` columns, `σ̃ᵢ = σᵢ(QᵀA)` and `σᵢ² − ‖(I − QQᵀ)A‖² ≤ σ̃ᵢ² ≤ σᵢ²`, and
    /// after the power iterations `‖(I − QQᵀ)A‖` is within a small factor of `σ_{l+1}`
    /// (Halko et al. 2011, Thm 10.8 / Cor 10.10; the factor is taken as 4). So
    /// `|σ̃ᵢ − σᵢ| ≤ 16·σ_{l+1}²/σᵢ` plus the rounding of both, `30·max(m, n)·ε·σ₁`; the
    /// verdict is the worst ratio of error to that bound, against 1.
    fn compare(&self, x: Impl, y: Impl) -> Verdict {
        let (sx, sy) = (widen(&self.s[slot(x)]), widen(&self.s[slot(y)]));
        let round = 30.0 * self.m.max(self.n).max(1) as f64 * eps::<T>();
        if sx.len() == sy.len() {
            let scale = sx.iter().chain(&sy).fold(0.0f64, |m, v| m.max(v.abs()));
            let gap = sx
                .iter()
                .zip(&sy)
                .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
            let rel = if scale == 0.0 { gap } else { gap / scale };
            return Verdict {
                rel_err: if rel.is_nan() { f64::INFINITY } else { rel },
                tol: round,
            };
        }
        let (short, full) = if sx.len() < sy.len() {
            (&sx, &sy)
        } else {
            (&sy, &sx)
        };
        let tail = full.get(K + 10).copied().unwrap_or(0.0);
        let worst = short.iter().zip(full.iter()).fold(0.0f64, |w, (r, e)| {
            let bound = 16.0 * tail * tail / e + round * full[0];
            let ratio = (r - e).abs() / bound;
            if ratio.is_nan() {
                f64::INFINITY
            } else {
                w.max(ratio)
            }
        });
        Verdict {
            rel_err: worst,
            tol: 1.0,
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
        for (m, n) in [(120, 120), (150, 90)] {
            let mut case = RsvdCase::<f64>::new(m, n, 3);
            case.run(Impl::Lapis, &ctx).unwrap();
            case.run(Impl::Faer, &ctx).unwrap();
            let v = case.compare(Impl::Lapis, Impl::Faer);
            assert!(v.ok(), "{m}×{n}: {v:?}");
            assert!(case.compare(Impl::Faer, Impl::Lapis).ok());
            // The fifth value off by 1e-4 relative: far outside the bound on this spectrum.
            case.s[slot(Impl::Lapis)][4] *= 1.0 + 1e-4;
            assert!(!case.compare(Impl::Lapis, Impl::Faer).ok());
            case.run(Impl::Lapis, &ctx).unwrap();
            case.s[slot(Impl::Lapis)][9] = f64::NAN;
            assert!(!case.compare(Impl::Lapis, Impl::Faer).ok());
        }
    }
}
