//! `inv`: `A⁻¹` (numpy's `np.linalg.inv`), shape `[n, n]`, `A` uniform in [-1, 1).
//!
//! * lapis: `lapis_factor::lu::factor` + `lu::inverse` (getri-style, in place);
//! * OpenBLAS: `?getrf_` + `?getri_` (workspace from LAPACK's query, kept across calls);
//! * faer: `lu::partial_pivoting::factor::lu_in_place` + `inverse::inverse` (into a second
//!   buffer, as its API requires).
//!
//! numpy itself calls `?gesv_` with an identity right-hand side (`2n³/3 + 2n³` flops); the
//! LAPACK way timed here is cheaper (`2n³/3 + 4n³/3`) and is the count used: `2n³`.
//! Every call copies `A` first.

use ::faer::linalg::lu::partial_pivoting as flu;
use lapis_kernels::MatMut;

use super::check::{FaerMem, M64, Measures, eps, narrow, random, slot, worst};
use super::{BenchOp, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::BenchScalar;
use crate::lapack::{self, IntBuf};
use crate::rng::Rng;

/// The `inv` op.
#[derive(Clone, Copy, Debug)]
pub struct Inv;

impl BenchOp for Inv {
    fn name(&self) -> &'static str {
        "inv"
    }

    /// LU `2n³/3` + inverse from LU `4n³/3` = `2n³`.
    fn flops(&self, shape: &[usize]) -> Option<f64> {
        let n = *shape.first()? as f64;
        Some(2.0 * n * n * n)
    }

    fn prepare(&self, dtype: Dtype, shape: &[usize], seed: u64) -> Box<dyn Prepared> {
        match dtype {
            Dtype::F32 => Box::new(InvCase::<f32>::new(shape[0], seed)),
            Dtype::F64 => Box::new(InvCase::<f64>::new(shape[0], seed)),
        }
    }
}

struct InvCase<T> {
    n: usize,
    a: Vec<T>,
    a64: M64,
    /// The inverses, indexed like [`Impl::ALL`].
    x: [Vec<T>; 3],
    /// faer's LU factors.
    faer_lu: Vec<T>,
    ipiv: Vec<usize>,
    ob_ipiv: IntBuf,
    ob_work: Vec<T>,
    perm: Vec<usize>,
    perm_inv: Vec<usize>,
    mem: FaerMem,
    resid: Measures,
}

impl<T: BenchScalar> InvCase<T> {
    fn new(n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let a: Vec<T> = narrow(&random(&mut rng, n, n).data);
        let par = crate::faer::par(2);
        let req = flu::factor::lu_in_place_scratch::<usize, T>(n, n, par, Default::default())
            .or(flu::inverse::inverse_scratch::<usize, T>(n, par));
        InvCase {
            n,
            a64: M64::from_slice(&a, n, n),
            a,
            x: std::array::from_fn(|_| vec![T::nan(); n * n]),
            faer_lu: vec![T::nan(); n * n],
            ipiv: vec![0; n],
            ob_ipiv: IntBuf::new(n),
            ob_work: Vec::new(),
            perm: vec![0; n],
            perm_inv: vec![0; n],
            mem: FaerMem::new(req),
            resid: Measures::default(),
        }
    }

    /// LAPACK's test ratio (`dget03`) without its `n·ε`: `‖I − A·X‖₁ / (‖A‖₁·‖X‖₁)`.
    fn residual(&self, imp: Impl) -> f64 {
        self.resid.get(imp, || {
            let n = self.n;
            let x = M64::from_slice(&self.x[slot(imp)], n, n);
            let mut r = self.a64.mul(false, &x, false);
            for i in 0..n {
                r.data[i + i * n] -= 1.0;
            }
            r.norm1() / (self.a64.norm1() * x.norm1())
        })
    }
}

impl<T: BenchScalar> Prepared for InvCase<T> {
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String> {
        let n = self.n;
        self.resid.clear(imp);
        let x = &mut self.x[slot(imp)];
        match imp {
            Impl::Lapis => {
                x.copy_from_slice(&self.a);
                let par = ctx.lapis_par();
                let m = MatMut::from_col_major(x, n, n).map_err(|e| e.to_string())?;
                lapis_factor::lu::factor(m, &mut self.ipiv, par).map_err(|e| e.to_string())?;
                let m = MatMut::from_col_major(x, n, n).map_err(|e| e.to_string())?;
                lapis_factor::lu::inverse(m, &self.ipiv, par).map_err(|e| e.to_string())
            }
            Impl::OpenBlas => {
                x.copy_from_slice(&self.a);
                let ob = ctx.openblas()?;
                lapack::getrf(ob, n, n, x, &mut self.ob_ipiv)?;
                lapack::getri(ob, n, x, &mut self.ob_ipiv, &mut self.ob_work)
            }
            Impl::Faer => {
                let par = ctx.faer_par();
                self.faer_lu.copy_from_slice(&self.a);
                let m = ::faer::MatMut::from_column_major_slice_mut(&mut self.faer_lu, n, n);
                let (_, perm) = flu::factor::lu_in_place(
                    m,
                    &mut self.perm,
                    &mut self.perm_inv,
                    par,
                    self.mem.stack(),
                    Default::default(),
                );
                let f = ::faer::MatRef::from_column_major_slice(&self.faer_lu, n, n);
                let out = ::faer::MatMut::from_column_major_slice_mut(x, n, n);
                flu::inverse::inverse(out, f, f, perm, par, self.mem.stack());
                Ok(())
            }
        }
    }

    /// Both answers' residual ratios (the larger one), bounded by `n·ε`. LAPACK's own test
    /// suite accepts `dget03`'s ratio `‖I − A·X‖₁ / (n·‖A‖₁·‖X‖₁·ε)` below 30; this bound is
    /// 30 times tighter and still leaves a wide margin on random matrices (the measure scales
    /// with ε and the growth factor, not with the condition number).
    fn compare(&self, x: Impl, y: Impl) -> Verdict {
        Verdict {
            rel_err: worst(self.residual(x), self.residual(y)),
            tol: self.n.max(1) as f64 * eps::<T>(),
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
        let mut case = InvCase::<f64>::new(70, 11);
        case.run(Impl::Lapis, &ctx).unwrap();
        case.run(Impl::Faer, &ctx).unwrap();
        let v = case.compare(Impl::Faer, Impl::Lapis);
        assert!(v.ok(), "{v:?}");
        case.x[slot(Impl::Faer)].swap(0, 1);
        case.resid.clear(Impl::Faer);
        assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
    }
}
