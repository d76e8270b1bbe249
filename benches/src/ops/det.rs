//! `det`: the determinant (numpy's `np.linalg.det`), shape `[n, n]`: LU with partial
//! pivoting and the signed product of `U`'s diagonal.
//!
//! * lapis: `lapis_factor::lu::factor` + `lu::det`;
//! * OpenBLAS: `?getrf_`, then the product of the diagonal and the pivots' sign;
//! * faer: `lu::partial_pivoting::factor::lu_in_place`, then the same product.
//!
//! The products are taken in f64 with exact power-of-two rescaling, as lapis's `det` does
//! (numpy sums logarithms); either way the `O(n)` product is nothing next to the `2n³/3` of
//! the factorization.
//!
//! The input is a random **orthogonal** matrix (the `Q` of a uniform random matrix, rounded
//! to the dtype): its determinant is ±1 (up to the rounding of the input), so it neither
//! overflows nor underflows at any n — the determinant of an n×n uniform random matrix
//! overflows f64 from n ≈ 300 — and κ₂ = 1, so the relative difference of two answers is
//! bounded by a multiple of `n·ε`. LU of such a matrix pivots like that of any random one.
//! Every call copies `A` first.

use ::faer::linalg::lu::partial_pivoting as flu;
use lapis_kernels::{MatMut, MatRef, Par};

use super::check::{FaerMem, M64, eps, narrow, random, scaled_product, slot};
use super::{BenchOp, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::BenchScalar;
use crate::lapack::{self, IntBuf};
use crate::rng::Rng;

/// The `det` op.
#[derive(Clone, Copy, Debug)]
pub struct Det;

impl BenchOp for Det {
    fn name(&self) -> &'static str {
        "det"
    }

    /// `2n³/3` (the LU; the product of the diagonal is `O(n)`).
    fn flops(&self, shape: &[usize]) -> Option<f64> {
        let n = *shape.first()? as f64;
        Some(2.0 * n * n * n / 3.0)
    }

    fn prepare(&self, dtype: Dtype, shape: &[usize], seed: u64) -> Box<dyn Prepared> {
        match dtype {
            Dtype::F32 => Box::new(DetCase::<f32>::new(shape[0], seed)),
            Dtype::F64 => Box::new(DetCase::<f64>::new(shape[0], seed)),
        }
    }
}

/// The `Q` factor of an `n × n` uniform random matrix, in f64 (NaN if the QR failed).
pub fn random_orthogonal(rng: &mut Rng, n: usize) -> M64 {
    let mut a = random(rng, n, n);
    let mut tau = vec![0.0; n];
    let mut q = M64::zeros(n, n);
    let ok = MatMut::from_col_major(&mut a.data, n, n)
        .map_err(|e| e.to_string())
        .and_then(|m| lapis_factor::qr::factor(m, &mut tau, Par::Seq).map_err(|e| e.to_string()))
        .and_then(|()| {
            let f = MatRef::from_col_major(&a.data, n, n).map_err(|e| e.to_string())?;
            let out = MatMut::from_col_major(&mut q.data, n, n).map_err(|e| e.to_string())?;
            lapis_factor::qr::form_q(f, &tau, out, Par::Seq).map_err(|e| e.to_string())
        });
    if ok.is_err() {
        q.data.fill(f64::NAN);
    }
    q
}

struct DetCase<T> {
    n: usize,
    a: Vec<T>,
    lu: [Vec<T>; 3],
    det: [f64; 3],
    ipiv: Vec<usize>,
    ob_ipiv: IntBuf,
    perm: Vec<usize>,
    perm_inv: Vec<usize>,
    mem: FaerMem,
}

impl<T: BenchScalar> DetCase<T> {
    fn new(n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let a: Vec<T> = narrow(&random_orthogonal(&mut rng, n).data);
        let req = flu::factor::lu_in_place_scratch::<usize, T>(
            n,
            n,
            crate::faer::par(2),
            Default::default(),
        );
        DetCase {
            n,
            a,
            lu: std::array::from_fn(|_| vec![T::nan(); n * n]),
            det: [f64::NAN; 3],
            ipiv: vec![0; n],
            ob_ipiv: IntBuf::new(n),
            perm: vec![0; n],
            perm_inv: vec![0; n],
            mem: FaerMem::new(req),
        }
    }
}

/// The diagonal of the column-major `n × n` `lu`, in f64.
fn diagonal<T: BenchScalar>(lu: &[T], n: usize) -> impl Iterator<Item = f64> + '_ {
    (0..n).map(move |i| lapis_kernels::Scalar::to_f64(lu[i + i * n]))
}

impl<T: BenchScalar> Prepared for DetCase<T> {
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String> {
        let n = self.n;
        let s = slot(imp);
        self.det[s] = f64::NAN;
        let lu = &mut self.lu[s];
        lu.copy_from_slice(&self.a);
        self.det[s] = match imp {
            Impl::Lapis => {
                let m = MatMut::from_col_major(lu, n, n).map_err(|e| e.to_string())?;
                lapis_factor::lu::factor(m, &mut self.ipiv, ctx.lapis_par())
                    .map_err(|e| e.to_string())?;
                let f = MatRef::from_col_major(lu, n, n).map_err(|e| e.to_string())?;
                let d = lapis_factor::lu::det(f, &self.ipiv).map_err(|e| e.to_string())?;
                lapis_kernels::Scalar::to_f64(d)
            }
            Impl::OpenBlas => {
                let ob = ctx.openblas()?;
                lapack::getrf(ob, n, n, lu, &mut self.ob_ipiv)?;
                scaled_product(self.ob_ipiv.odd_permutation(ob, n), diagonal(lu, n))
            }
            Impl::Faer => {
                let m = ::faer::MatMut::from_column_major_slice_mut(lu, n, n);
                let (info, _) = flu::factor::lu_in_place(
                    m,
                    &mut self.perm,
                    &mut self.perm_inv,
                    ctx.faer_par(),
                    self.mem.stack(),
                    Default::default(),
                );
                scaled_product(info.transposition_count % 2 == 1, diagonal(lu, n))
            }
        };
        Ok(())
    }

    /// `|det_x − det_y| / |det_y|`, bounded by `2·n·ε`: each answer is the determinant of
    /// `A + ΔA` with `‖ΔA‖ ≲ n·ε·ρ·‖A‖` (ρ the growth factor) times `1 + n·ε/2` for the
    /// product, and `|det(A + ΔA)/det A − 1| ≈ |tr(A⁻¹ΔA)|`, which κ₂(A) = 1 keeps at the
    /// size of `ΔA` (its random-signed terms make it far smaller in practice).
    fn compare(&self, x: Impl, y: Impl) -> Verdict {
        let (dx, dy) = (self.det[slot(x)], self.det[slot(y)]);
        let rel = (dx - dy).abs() / dy.abs();
        Verdict {
            rel_err: if rel.is_nan() { f64::NAN } else { rel },
            tol: 2.0 * self.n.max(1) as f64 * eps::<T>(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn determinant_is_unit_and_lapis_and_faer_agree() {
        let ctx = Ctx {
            threads: 1,
            openblas: None,
        };
        let mut case = DetCase::<f64>::new(90, 1);
        case.run(Impl::Lapis, &ctx).unwrap();
        case.run(Impl::Faer, &ctx).unwrap();
        let d = case.det[slot(Impl::Lapis)];
        assert!((d.abs() - 1.0).abs() < 1e-12, "{d}");
        let v = case.compare(Impl::Faer, Impl::Lapis);
        assert!(v.ok(), "{v:?}");
        case.det[slot(Impl::Faer)] = -d;
        assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
    }
}
