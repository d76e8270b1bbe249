//! `eigh`: eigenvalues and eigenvectors of a symmetric matrix (numpy's `np.linalg.eigh`),
//! shape `[n, n]`. The input is `(M + Mᵀ)/2` for `M` uniform in [-1, 1), stored in full
//! (every implementation reads the lower triangle only).
//!
//! * lapis: `lapis_factor::eigh::eigh` with `Uplo::Lower` and `vectors = true` (`A` is
//!   overwritten by `V`);
//! * OpenBLAS: `?syevd_` with `jobz = 'V'`, `uplo = 'L'` (numpy's driver; workspaces from
//!   LAPACK's query, kept across calls);
//! * faer: `evd::self_adjoint_evd` with `ComputeEigenvectors::Yes` (reads `A`, writes `V`
//!   to its own buffer, so it needs no copy of `A`).
//!
//! lapis and OpenBLAS copy `A` into their output buffer first. No flop count is recorded:
//! the cost of divide and conquer depends on deflation (`4n³/3` for the tridiagonal
//! reduction, up to `≈ 4n³` more for the eigenvectors and their back-transformation).

use ::faer::linalg::evd as fevd;
use lapis_kernels::{MatMut, Uplo};

use super::check::{FaerMem, M64, Measures, eps, narrow, random, slot, worst};
use super::{BenchOp, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::BenchScalar;
use crate::lapack::{self, DcWork};
use crate::rng::Rng;

/// The `eigh` op.
#[derive(Clone, Copy, Debug)]
pub struct Eigh;

impl BenchOp for Eigh {
    fn name(&self) -> &'static str {
        "eigh"
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
            Dtype::F32 => Box::new(EighCase::<f32>::new(shape[0], seed)),
            Dtype::F64 => Box::new(EighCase::<f64>::new(shape[0], seed)),
        }
    }
}

/// `(M + Mᵀ)/2` for `M` uniform in [-1, 1), in f64 (exactly symmetric).
pub fn symmetric(rng: &mut Rng, n: usize) -> M64 {
    let m = random(rng, n, n);
    let mut a = M64::zeros(n, n);
    for j in 0..n {
        for i in 0..n {
            a.data[i + j * n] = 0.5 * (m.at(i, j) + m.at(j, i));
        }
    }
    a
}

/// `max_i |x_i − y_i| / max(‖x‖∞, ‖y‖∞)`: the distance of two sorted spectra relative to the
/// largest magnitude in either (`‖A‖₂` for eigenvalues, `σ_max` for singular values). By
/// Weyl's theorem a backward-stable answer, the exact spectrum of `A + ΔA` with
/// `‖ΔA‖₂ ≤ c·n·ε·‖A‖₂`, moves no value by more than that, whatever the conditioning.
/// A wrong answer cannot hide behind its own normalizer: it is at least lapis's.
pub fn spectrum_gap<T: BenchScalar>(x: &[T], y: &[T]) -> f64 {
    let (x, y) = (super::check::widen(x), super::check::widen(y));
    let scale = x.iter().chain(&y).fold(0.0f64, |m, v| worst(m, v.abs()));
    let gap = x
        .iter()
        .zip(&y)
        .fold(0.0f64, |m, (a, b)| worst(m, (a - b).abs()));
    if x.len() != y.len() {
        f64::NAN
    } else if scale == 0.0 {
        gap
    } else {
        gap / scale
    }
}

/// `‖QᵀQ − I‖_F` of the column-major `rows × cols` `q` (orthonormal columns expected).
pub fn orthogonality(q: &M64) -> f64 {
    let mut g = q.mul(true, q, false);
    for i in 0..q.cols {
        g.data[i + i * q.cols] -= 1.0;
    }
    g.norm_fro()
}

struct EighCase<T> {
    n: usize,
    a: Vec<T>,
    a64: M64,
    /// Eigenvalues, indexed like [`Impl::ALL`].
    w: [Vec<T>; 3],
    /// Eigenvectors (lapis and OpenBLAS: also their copy of `A`).
    v: [Vec<T>; 3],
    ob_work: DcWork<T>,
    mem: FaerMem,
    /// `max(‖A·V − V·Λ‖_F / ‖A‖_F, ‖VᵀV − I‖_F)` per answer.
    err: Measures,
}

impl<T: BenchScalar> EighCase<T> {
    fn new(n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let a: Vec<T> = narrow(&symmetric(&mut rng, n).data);
        let req = fevd::self_adjoint_evd_scratch::<T>(
            n,
            fevd::ComputeEigenvectors::Yes,
            crate::faer::par(2),
            Default::default(),
        );
        EighCase {
            n,
            a64: M64::from_slice(&a, n, n),
            a,
            w: std::array::from_fn(|_| vec![T::nan(); n]),
            v: std::array::from_fn(|_| vec![T::nan(); n * n]),
            ob_work: DcWork::default(),
            mem: FaerMem::new(req),
            err: Measures::default(),
        }
    }

    /// The residual and orthogonality of `imp`'s own answer (the larger one).
    fn own_error(&self, imp: Impl) -> f64 {
        self.err.get(imp, || {
            let n = self.n;
            let v = M64::from_slice(&self.v[slot(imp)], n, n);
            let w = super::check::widen(&self.w[slot(imp)]);
            let mut r = self.a64.mul(false, &v, false);
            for j in 0..n {
                for i in 0..n {
                    r.data[i + j * n] -= v.at(i, j) * w[j];
                }
            }
            let anorm = self.a64.norm_fro();
            let res = if anorm == 0.0 {
                r.norm_fro()
            } else {
                r.norm_fro() / anorm
            };
            worst(res, orthogonality(&v))
        })
    }
}

impl<T: BenchScalar> Prepared for EighCase<T> {
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String> {
        let n = self.n;
        self.err.clear(imp);
        let (w, v) = (&mut self.w[slot(imp)], &mut self.v[slot(imp)]);
        match imp {
            Impl::Lapis => {
                v.copy_from_slice(&self.a);
                let m = MatMut::from_col_major(v, n, n).map_err(|e| e.to_string())?;
                lapis_factor::eigh::eigh(m, Uplo::Lower, w, true, ctx.lapis_par())
                    .map_err(|e| e.to_string())
            }
            Impl::OpenBlas => {
                v.copy_from_slice(&self.a);
                lapack::syevd_lower(ctx.openblas()?, true, n, v, w, &mut self.ob_work)
            }
            Impl::Faer => {
                let a = ::faer::MatRef::from_column_major_slice(&self.a, n, n);
                let u = ::faer::MatMut::from_column_major_slice_mut(v, n, n);
                fevd::self_adjoint_evd(
                    a,
                    ::faer::diag::DiagMut::from_slice_mut(w),
                    Some(u),
                    ctx.faer_par(),
                    self.mem.stack(),
                    Default::default(),
                )
                .map_err(|e| format!("faer self_adjoint_evd: {e:?}"))
            }
        }
    }

    /// The largest of: each answer's residual `‖A·V − V·Λ‖_F / ‖A‖_F` and orthogonality
    /// `‖VᵀV − I‖_F` (both `O(n·ε)` for a backward-stable method — LAPACK's `?syt21` test
    /// ratios — whatever the conditioning or the clustering of the eigenvalues, which would
    /// make a comparison of the vectors themselves meaningless), and the gap of the two
    /// spectra ([`spectrum_gap`], Weyl). Bound: `30·n·ε`, LAPACK's own test threshold (its
    /// ratios are divided by `n·ε` and must stay below 30); observed: ≈ `0.5–1.3·n·ε` for the
    /// orthogonality, `0.05–0.3·n·ε` for the gap.
    fn compare(&self, x: Impl, y: Impl) -> Verdict {
        let own = worst(self.own_error(x), self.own_error(y));
        let gap = spectrum_gap(&self.w[slot(x)], &self.w[slot(y)]);
        Verdict {
            rel_err: worst(own, gap),
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
        let n = 60;
        let mut case = EighCase::<f64>::new(n, 3);
        case.run(Impl::Lapis, &ctx).unwrap();
        case.run(Impl::Faer, &ctx).unwrap();
        let v = case.compare(Impl::Faer, Impl::Lapis);
        assert!(v.ok(), "{v:?}");
        // One eigenvector entry off by 1e-6 relative.
        case.v[slot(Impl::Faer)][n * 7 + 3] *= 1.0 + 1e-6;
        case.err.clear(Impl::Faer);
        assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
        case.run(Impl::Faer, &ctx).unwrap();
        assert!(case.compare(Impl::Faer, Impl::Lapis).ok());
        // One eigenvalue off by 1e-6 relative: both the residual and the gap catch it.
        case.w[slot(Impl::Faer)][5] *= 1.0 + 1e-6;
        case.err.clear(Impl::Faer);
        assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
        assert!(spectrum_gap(&case.w[0], &case.w[2]) > n as f64 * f64::EPSILON);
        // A sign flip of a whole eigenvector is a valid answer.
        case.run(Impl::Faer, &ctx).unwrap();
        for x in &mut case.v[slot(Impl::Faer)][n * 4..n * 5] {
            *x = -*x;
        }
        case.err.clear(Impl::Faer);
        assert!(case.compare(Impl::Faer, Impl::Lapis).ok());
        // Two eigenvalues swapped (their vectors kept) are not.
        case.w[slot(Impl::Faer)].swap(0, n - 1);
        case.err.clear(Impl::Faer);
        assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
    }
}
