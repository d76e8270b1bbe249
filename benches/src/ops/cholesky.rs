//! `cholesky`: `A = L·Lᵀ` of a symmetric positive definite `A` (numpy's
//! `np.linalg.cholesky`), shape `[n, n]`. The input is `MᵀM + n·I` for `M` uniform in
//! [-1, 1) (well conditioned: κ₂ ≲ 3).
//!
//! * lapis: `lapis_factor::cholesky::factor` with `Uplo::Lower`;
//! * OpenBLAS: `?potrf_` with `uplo = 'L'`;
//! * faer: `cholesky::llt::factor::cholesky_in_place` (no regularization).
//!
//! Every call copies `A` first (the factorizations work in place).

use ::faer::linalg::cholesky::llt::factor as fllt;
use lapis_kernels::MatMut;

use super::check::{FaerMem, M64, Measures, eps, lower, narrow, random, slot, worst};
use super::{BenchOp, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::BenchScalar;
use crate::lapack;
use crate::rng::Rng;

/// The `cholesky` op.
#[derive(Clone, Copy, Debug)]
pub struct Cholesky;

impl BenchOp for Cholesky {
    fn name(&self) -> &'static str {
        "cholesky"
    }

    /// `n³/3`.
    fn flops(&self, shape: &[usize]) -> Option<f64> {
        let n = *shape.first()? as f64;
        Some(n * n * n / 3.0)
    }

    fn prepare(&self, dtype: Dtype, shape: &[usize], seed: u64) -> Box<dyn Prepared> {
        match dtype {
            Dtype::F32 => Box::new(CholCase::<f32>::new(shape[0], seed)),
            Dtype::F64 => Box::new(CholCase::<f64>::new(shape[0], seed)),
        }
    }
}

/// `MᵀM + n·I` for `M` uniform in [-1, 1), in f64.
pub fn spd(rng: &mut Rng, n: usize) -> M64 {
    let m = random(rng, n, n);
    let mut a = m.mul(true, &m, false);
    for i in 0..n {
        a.data[i + i * n] += n as f64;
    }
    a
}

struct CholCase<T> {
    n: usize,
    a: Vec<T>,
    a64: M64,
    l: [Vec<T>; 3],
    mem: FaerMem,
    berr: Measures,
}

impl<T: BenchScalar> CholCase<T> {
    fn new(n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let a: Vec<T> = narrow(&spd(&mut rng, n).data);
        let req = fllt::cholesky_in_place_scratch::<T>(n, crate::faer::par(2), Default::default());
        CholCase {
            n,
            a64: M64::from_slice(&a, n, n),
            a,
            l: std::array::from_fn(|_| vec![T::nan(); n * n]),
            mem: FaerMem::new(req),
            berr: Measures::default(),
        }
    }

    /// `max_ij |A − L·Lᵀ|_ij / √(a_ii·a_jj)` of `imp`'s lower factor.
    fn backward_error(&self, imp: Impl) -> f64 {
        self.berr.get(imp, || {
            let n = self.n;
            let l = lower(&self.l[slot(imp)], n);
            let llt = l.mul(false, &l, true);
            let mut w = 0.0f64;
            for j in 0..n {
                for i in j..n {
                    let d = (self.a64.at(i, j) - llt.at(i, j)).abs()
                        / (self.a64.at(i, i) * self.a64.at(j, j)).sqrt();
                    w = worst(w, d);
                }
            }
            w
        })
    }
}

impl<T: BenchScalar> Prepared for CholCase<T> {
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String> {
        let n = self.n;
        self.berr.clear(imp);
        let l = &mut self.l[slot(imp)];
        l.copy_from_slice(&self.a);
        match imp {
            Impl::Lapis => {
                let m = MatMut::from_col_major(l, n, n).map_err(|e| e.to_string())?;
                lapis_factor::cholesky::factor(
                    m,
                    lapis_factor::cholesky::Uplo::Lower,
                    ctx.lapis_par(),
                )
                .map_err(|e| e.to_string())
            }
            Impl::OpenBlas => lapack::potrf_lower(ctx.openblas()?, n, l),
            Impl::Faer => {
                let m = ::faer::MatMut::from_column_major_slice_mut(l, n, n);
                fllt::cholesky_in_place(
                    m,
                    Default::default(),
                    ctx.faer_par(),
                    self.mem.stack(),
                    Default::default(),
                )
                .map(|_| ())
                .map_err(|e| format!("faer llt: {e:?}"))
            }
        }
    }

    /// Both answers' backward errors (the larger one). For any summation order the computed
    /// factor satisfies `L·Lᵀ = A + ΔA` with `|ΔA| ≤ γₙ₊₁·|L|·|Lᵀ|` (Higham, Thm 10.3), and
    /// `(|L|·|Lᵀ|)_ij ≤ ‖l_i‖·‖l_j‖ ≈ √(a_ii·a_jj)`: the measure is below `γₙ₊₁ ≈ (n+1)·ε/2`
    /// whatever the conditioning; the bound is `(n+1)·ε`.
    fn compare(&self, x: Impl, y: Impl) -> Verdict {
        Verdict {
            rel_err: worst(self.backward_error(x), self.backward_error(y)),
            tol: (self.n + 1) as f64 * eps::<T>(),
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
        let mut case = CholCase::<f32>::new(45, 9);
        case.run(Impl::Lapis, &ctx).unwrap();
        case.run(Impl::Faer, &ctx).unwrap();
        let v = case.compare(Impl::Faer, Impl::Lapis);
        assert!(v.ok(), "{v:?}");
        // The upper triangle is not part of the answer.
        case.l[slot(Impl::Faer)][45 * 10 + 2] = f32::NAN;
        case.berr.clear(Impl::Faer);
        assert!(case.compare(Impl::Faer, Impl::Lapis).ok());
        case.l[slot(Impl::Faer)][45 * 2 + 10] *= 1.001;
        case.berr.clear(Impl::Faer);
        assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
    }
}
