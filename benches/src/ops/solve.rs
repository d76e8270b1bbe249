//! `solve`: `A·x = b` for one right-hand side (numpy's `np.linalg.solve(a, b)` with a 1-D
//! `b`), shape `[n, n]`: LU with partial pivoting, then the two triangular solves.
//!
//! * lapis: `lapis_factor::lu::factor` + `lu::solve`;
//! * OpenBLAS: `?gesv_` with `nrhs = 1` (what numpy calls);
//! * faer: `lu::partial_pivoting::factor::lu_in_place` + `solve::solve_in_place`.
//!
//! Every call copies `A` and `b` into the implementation's buffers first (the factorization
//! works in place, as numpy's copy does); the copy is `n²` against `2n³/3` flops.

use ::faer::linalg::lu::partial_pivoting as flu;
use lapis_kernels::{MatMut, MatRef};

use super::check::{FaerMem, M64, Measures, eps, random, slot, worst};
use super::{BenchOp, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::BenchScalar;
use crate::lapack::{self, IntBuf};
use crate::rng::Rng;

/// The `solve` op.
#[derive(Clone, Copy, Debug)]
pub struct Solve;

impl BenchOp for Solve {
    fn name(&self) -> &'static str {
        "solve"
    }

    /// LU `2n³/3` plus the two triangular solves `2n²`.
    fn flops(&self, shape: &[usize]) -> Option<f64> {
        let n = *shape.first()? as f64;
        Some(2.0 * n * n * n / 3.0 + 2.0 * n * n)
    }

    fn prepare(&self, dtype: Dtype, shape: &[usize], seed: u64) -> Box<dyn Prepared> {
        match dtype {
            Dtype::F32 => Box::new(SolveCase::<f32>::new(shape[0], seed)),
            Dtype::F64 => Box::new(SolveCase::<f64>::new(shape[0], seed)),
        }
    }
}

struct SolveCase<T> {
    n: usize,
    a: Vec<T>,
    b: Vec<T>,
    a64: M64,
    b64: M64,
    /// Factor buffers and solutions, indexed like [`Impl::ALL`].
    lu: [Vec<T>; 3],
    x: [Vec<T>; 3],
    ipiv: Vec<usize>,
    ob_ipiv: IntBuf,
    perm: Vec<usize>,
    perm_inv: Vec<usize>,
    mem: FaerMem,
    berr: Measures,
}

impl<T: BenchScalar> SolveCase<T> {
    fn new(n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let a64 = random(&mut rng, n, n);
        let b64 = random(&mut rng, n, 1);
        let a: Vec<T> = super::check::narrow(&a64.data);
        let b: Vec<T> = super::check::narrow(&b64.data);
        let par = crate::faer::par(2);
        let req = flu::factor::lu_in_place_scratch::<usize, T>(n, n, par, Default::default())
            .or(flu::solve::solve_in_place_scratch::<usize, T>(n, 1, par));
        SolveCase {
            n,
            a64: M64::from_slice(&a, n, n),
            b64: M64::from_slice(&b, n, 1),
            a,
            b,
            lu: std::array::from_fn(|_| vec![T::nan(); n * n]),
            x: std::array::from_fn(|_| vec![T::nan(); n]),
            ipiv: vec![0; n],
            ob_ipiv: IntBuf::new(n),
            perm: vec![0; n],
            perm_inv: vec![0; n],
            mem: FaerMem::new(req),
            berr: Measures::default(),
        }
    }

    /// Normwise backward error `‖b − A·x‖∞ / (‖A‖∞·‖x‖∞ + ‖b‖∞)` of `imp`'s answer.
    fn backward_error(&self, imp: Impl) -> f64 {
        self.berr.get(imp, || {
            let x = M64::from_slice(&self.x[slot(imp)], self.n, 1);
            let ax = self.a64.mul(false, &x, false);
            let r = M64 {
                rows: self.n,
                cols: 1,
                data: self
                    .b64
                    .data
                    .iter()
                    .zip(&ax.data)
                    .map(|(b, y)| b - y)
                    .collect(),
            };
            let den = self.a64.norm_inf() * x.norm_inf() + self.b64.norm_inf();
            r.norm_inf() / den
        })
    }
}

impl<T: BenchScalar> Prepared for SolveCase<T> {
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String> {
        let n = self.n;
        let s = slot(imp);
        self.berr.clear(imp);
        self.lu[s].copy_from_slice(&self.a);
        self.x[s].copy_from_slice(&self.b);
        let (lu, x) = (&mut self.lu[s], &mut self.x[s]);
        match imp {
            Impl::Lapis => {
                let par = ctx.lapis_par();
                let m = MatMut::from_col_major(lu, n, n).map_err(|e| e.to_string())?;
                let st =
                    lapis_factor::lu::factor(m, &mut self.ipiv, par).map_err(|e| e.to_string())?;
                if let Some(i) = st.first_zero_pivot {
                    return Err(format!("lu::factor: zero pivot {i}"));
                }
                let f = MatRef::from_col_major(lu, n, n).map_err(|e| e.to_string())?;
                let rhs = MatMut::from_col_major(x, n, 1).map_err(|e| e.to_string())?;
                lapis_factor::lu::solve(f, &self.ipiv, rhs, par).map_err(|e| e.to_string())
            }
            Impl::OpenBlas => lapack::gesv(ctx.openblas()?, n, 1, lu, &mut self.ob_ipiv, x),
            Impl::Faer => {
                let par = ctx.faer_par();
                let m = ::faer::MatMut::from_column_major_slice_mut(lu, n, n);
                let (_, perm) = flu::factor::lu_in_place(
                    m,
                    &mut self.perm,
                    &mut self.perm_inv,
                    par,
                    self.mem.stack(),
                    Default::default(),
                );
                let f = ::faer::MatRef::from_column_major_slice(lu, n, n);
                let rhs = ::faer::MatMut::from_column_major_slice_mut(x, n, 1);
                flu::solve::solve_in_place(f, f, perm, rhs, par, self.mem.stack());
                Ok(())
            }
        }
    }

    /// Both answers' normwise backward errors (the larger one): LU with partial pivoting
    /// solves `(A + ΔA)·x = b` with `‖ΔA‖∞ ≤ γ₃ₙ·ρ·‖A‖∞` (ρ the growth factor, small for
    /// random matrices), so `2·n·ε` bounds it without reference to the condition number.
    fn compare(&self, x: Impl, y: Impl) -> Verdict {
        Verdict {
            rel_err: worst(self.backward_error(x), self.backward_error(y)),
            tol: 2.0 * self.n.max(1) as f64 * eps::<T>(),
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
        let mut case = SolveCase::<f64>::new(67, 3);
        case.run(Impl::Lapis, &ctx).unwrap();
        case.run(Impl::Faer, &ctx).unwrap();
        let v = case.compare(Impl::Faer, Impl::Lapis);
        assert!(v.ok() && v.rel_err < 1e-14, "{v:?}");
        case.x[slot(Impl::Faer)][3] += 1e-6;
        case.berr.clear(Impl::Faer);
        assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
        assert_eq!(Solve.flops(&[3, 3]), Some(18.0 + 18.0));
    }
}
