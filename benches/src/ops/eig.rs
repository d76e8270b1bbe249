//! `eig`: eigenvalues and right eigenvectors of a general real matrix (numpy's
//! `np.linalg.eig`), shape `[n, n]`, `A` uniform in [-1, 1).
//!
//! * lapis: `lapis_factor::eig::eig` with `vr` (reads `A`, writes `wr`, `wi`, `V`);
//! * OpenBLAS: `?geev_` with `jobvl = 'N'`, `jobvr = 'V'` (numpy's driver; it destroys `A`,
//!   so it works on a copy; workspace from LAPACK's query, kept across calls);
//! * faer: `evd::evd_real` with right eigenvectors only.
//!
//! Every implementation returns LAPACK's packed real form (a pair's real and imaginary parts in
//! consecutive columns). No flop count is recorded: the QR iteration's cost depends on the
//! convergence (≈ `10n³` for the Hessenberg reduction and the Schur form with `Z`, plus
//! `≈ n³` for the eigenvectors, by the usual estimate).

use ::faer::linalg::evd as fevd;
use lapis_kernels::{MatMut, MatRef};

use super::check::{FaerMem, M64, Measures, eps, narrow, random, slot, widen, worst};
use super::{BenchOp, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::BenchScalar;
use crate::lapack;
use crate::rng::Rng;

/// The `eig` op.
#[derive(Clone, Copy, Debug)]
pub struct Eig;

impl BenchOp for Eig {
    fn name(&self) -> &'static str {
        "eig"
    }

    fn default_sizes(&self, quick: bool) -> Vec<usize> {
        if quick {
            vec![100, 200]
        } else {
            vec![100, 500, 1000]
        }
    }

    /// Not recorded (see the module documentation).
    fn flops(&self, _shape: &[usize]) -> Option<f64> {
        None
    }

    fn prepare(&self, dtype: Dtype, shape: &[usize], seed: u64) -> Box<dyn Prepared> {
        match dtype {
            Dtype::F32 => Box::new(EigCase::<f32>::new(shape[0], seed)),
            Dtype::F64 => Box::new(EigCase::<f64>::new(shape[0], seed)),
        }
    }
}

struct EigCase<T> {
    n: usize,
    a: Vec<T>,
    a64: M64,
    /// Real and imaginary parts of the eigenvalues and the eigenvectors, indexed like
    /// [`Impl::ALL`].
    wr: [Vec<T>; 3],
    wi: [Vec<T>; 3],
    v: [Vec<T>; 3],
    /// OpenBLAS's copy of `A`.
    scratch: Vec<T>,
    ob_work: Vec<T>,
    mem: FaerMem,
    /// `‖A·V − V·Λ‖_F/(‖A‖_F·‖V‖_F)` per answer.
    err: Measures,
}

impl<T: BenchScalar> EigCase<T> {
    fn new(n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let a: Vec<T> = narrow(&random(&mut rng, n, n).data);
        let req = fevd::evd_scratch::<T>(
            n,
            fevd::ComputeEigenvectors::No,
            fevd::ComputeEigenvectors::Yes,
            crate::faer::par(2),
            Default::default(),
        );
        EigCase {
            n,
            a64: M64::from_slice(&a, n, n),
            a,
            wr: std::array::from_fn(|_| vec![T::nan(); n]),
            wi: std::array::from_fn(|_| vec![T::nan(); n]),
            v: std::array::from_fn(|_| vec![T::nan(); n * n]),
            scratch: vec![T::nan(); n * n],
            ob_work: Vec::new(),
            mem: FaerMem::new(req),
            err: Measures::default(),
        }
    }

    /// The residual of `imp`'s own answer in complex arithmetic on the packed form.
    fn own_error(&self, imp: Impl) -> f64 {
        self.err.get(imp, || {
            let n = self.n;
            let s = slot(imp);
            let v = M64::from_slice(&self.v[s], n, n);
            let (wr, wi) = (widen(&self.wr[s]), widen(&self.wi[s]));
            let mut r = self.a64.mul(false, &v, false);
            let mut j = 0;
            while j < n {
                if wi[j] == 0.0 || j + 1 == n {
                    for i in 0..n {
                        r.data[i + j * n] -= wr[j] * v.at(i, j);
                    }
                    j += 1;
                } else {
                    // (A − (a + ib))·(x + iy) = (Ax − ax + by) + i(Ay − ay − bx)
                    let (a, b) = (wr[j], wi[j]);
                    for i in 0..n {
                        let (x, y) = (v.at(i, j), v.at(i, j + 1));
                        r.data[i + j * n] -= a * x - b * y;
                        r.data[i + (j + 1) * n] -= a * y + b * x;
                    }
                    j += 2;
                }
            }
            let scale = self.a64.norm_fro() * v.norm_fro();
            if scale == 0.0 {
                r.norm_fro()
            } else {
                r.norm_fro() / scale
            }
        })
    }
}

/// The largest distance from an eigenvalue of `x` to the nearest unmatched one of `y` (greedy
/// matching), relative to `scale`.
fn spectrum_distance(x: (&[f64], &[f64]), y: (&[f64], &[f64]), scale: f64) -> f64 {
    let n = x.0.len();
    if y.0.len() != n {
        return f64::NAN;
    }
    let mut used = vec![false; n];
    let mut far = 0.0f64;
    for j in 0..n {
        let mut best = (usize::MAX, f64::INFINITY);
        for k in 0..n {
            let d = (x.0[j] - y.0[k]).hypot(x.1[j] - y.1[k]);
            if !used[k] && d < best.1 {
                best = (k, d);
            }
        }
        if best.0 == usize::MAX {
            return f64::NAN;
        }
        used[best.0] = true;
        far = worst(far, best.1);
    }
    if scale == 0.0 { far } else { far / scale }
}

impl<T: BenchScalar> Prepared for EigCase<T> {
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String> {
        let n = self.n;
        self.err.clear(imp);
        let s = slot(imp);
        let (wr, wi, v) = (&mut self.wr[s], &mut self.wi[s], &mut self.v[s]);
        match imp {
            Impl::Lapis => {
                let a = MatRef::from_col_major(&self.a, n, n).map_err(|e| e.to_string())?;
                let vm = MatMut::from_col_major(v, n, n).map_err(|e| e.to_string())?;
                lapis_factor::eig::eig(a, wr, wi, Some(vm), ctx.lapis_par())
                    .map_err(|e| e.to_string())
            }
            Impl::OpenBlas => {
                self.scratch.copy_from_slice(&self.a);
                lapack::geev(
                    ctx.openblas()?,
                    true,
                    n,
                    &mut self.scratch,
                    wr,
                    wi,
                    v,
                    &mut self.ob_work,
                )
            }
            Impl::Faer => {
                let a = ::faer::MatRef::from_column_major_slice(&self.a, n, n);
                let u = ::faer::MatMut::from_column_major_slice_mut(v, n, n);
                fevd::evd_real(
                    a,
                    ::faer::diag::DiagMut::from_slice_mut(wr),
                    ::faer::diag::DiagMut::from_slice_mut(wi),
                    None,
                    Some(u),
                    ctx.faer_par(),
                    self.mem.stack(),
                    Default::default(),
                )
                .map_err(|e| format!("faer evd_real: {e:?}"))
            }
        }
    }

    /// The larger of each answer's residual `‖A·V − V·Λ‖_F/(‖A‖_F·‖V‖_F)` (`O(n·ε)` for a
    /// backward-stable method, LAPACK's `?get22` ratio, whatever the conditioning) and the
    /// distance of the two spectra relative to `‖A‖_F`, multiplied by `√ε`: two backward-stable
    /// spectra differ by up to `κ·c·n·ε·‖A‖` with the eigenvalues' condition numbers `κ`, which
    /// for a random nonsymmetric matrix are modest but not 1, so condition numbers up to `1/√ε`
    /// are allowed. Bound: `30·n·ε`, LAPACK's test threshold.
    fn compare(&self, x: Impl, y: Impl) -> Verdict {
        let own = worst(self.own_error(x), self.own_error(y));
        let (sx, sy) = (slot(x), slot(y));
        let (wrx, wix) = (widen(&self.wr[sx]), widen(&self.wi[sx]));
        let (wry, wiy) = (widen(&self.wr[sy]), widen(&self.wi[sy]));
        let gap = spectrum_distance((&wrx, &wix), (&wry, &wiy), self.a64.norm_fro());
        Verdict {
            rel_err: worst(own, gap * eps::<T>().sqrt()),
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
        let n = 50;
        let mut case = EigCase::<f64>::new(n, 5);
        case.run(Impl::Lapis, &ctx).unwrap();
        case.run(Impl::Faer, &ctx).unwrap();
        let v = case.compare(Impl::Faer, Impl::Lapis);
        assert!(v.ok(), "{v:?}");
        // One eigenvector entry off by 1e-6 relative.
        case.v[slot(Impl::Faer)][n * 7 + 3] *= 1.0 + 1e-6;
        case.err.clear(Impl::Faer);
        assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
        // One eigenvalue's real part off by 1e-3: the residual catches it.
        case.run(Impl::Faer, &ctx).unwrap();
        case.wr[slot(Impl::Faer)][4] += 1e-3;
        case.err.clear(Impl::Faer);
        assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
    }
}
