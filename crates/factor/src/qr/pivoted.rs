//! `A·P = Q·R` with column pivoting (LAPACK `geqp3`, unblocked): at each step the remaining
//! column of largest norm is moved forward, with the column norms downdated and recomputed
//! when the downdate is unreliable (LAPACK Working Note 176, Drmač & Bujanović).

use lapis_kernels::{MatMut, Par, Scalar, nrm2};

use super::{check_tau, with_col_major};
use crate::FactorError;
use crate::householder::{apply_left, make_reflector};
use crate::util::all_finite;

/// Factors `a` (`m × n`, any shape and strides) as `A·P = Q·R` in place, choosing at step `i`
/// the remaining column of largest 2-norm (below row `i`), so that
/// `|r₀₀| ≥ |r₁₁| ≥ … ≥ |r_{k−1,k−1}|` and each `|r_ii|` dominates the rest of its row's
/// trailing block: the diagonal of `R` reveals the numerical rank.
///
/// Output as [`factor`](super::factor) (`R` above, reflectors below the diagonal, `tau` of
/// length `min(m, n)`), plus `perm` (length `n`): column `j` of `A·P` is column `perm[j]` of
/// `A`, i.e. `A[:, perm] = Q·R` (scipy's `qr(a, pivoting=True)`).
///
/// The norms of the trailing columns are downdated after each step,
/// `‖a_j‖ ← ‖a_j‖·√(1 − (|r_ij|/‖a_j‖)²)`, which loses accuracy by cancellation when most of
/// the column has been eliminated. Following LAWN 176, the norm is recomputed from the
/// remaining rows whenever `(1 − (|r_ij|/‖a_j‖)²)·(‖a_j‖/‖a_j‖₀)² ≤ √ε`, where `‖a_j‖₀` is the
/// norm at its last recomputation. Ties go to the first column. This version is unblocked
/// (GEMV + GER per step).
///
/// Errors (leaving `a` untouched): [`FactorError::Shape`] for a wrong `tau` or `perm` length,
/// [`FactorError::NonFinite`] when `a` holds NaN or an infinity.
///
/// ```
/// use lapis_factor::kernels::{MatMut, Par};
/// use lapis_factor::qr;
/// // scipy: q, r, p = scipy.linalg.qr(a, pivoting=True)
/// let mut a = [1.0f64, 3.0, 0.0, 4.0]; // [[1, 3], [0, 4]] row-major
/// let (mut tau, mut perm) = ([0.0; 2], [0; 2]);
/// qr::factor_pivoted(MatMut::from_row_major(&mut a, 2, 2).unwrap(), &mut tau, &mut perm, Par::Seq)
///     .unwrap();
/// assert_eq!(perm, [1, 0]); // column 1 has the larger norm (5)
/// assert!((a[0].abs() - 5.0).abs() < 1e-15 && a[0].abs() >= a[3].abs());
/// ```
pub fn factor_pivoted<T: Scalar>(
    a: MatMut<'_, T>,
    tau: &mut [T],
    perm: &mut [usize],
    par: Par,
) -> Result<(), FactorError> {
    let _ = par;
    let (m, n) = a.shape();
    let k = m.min(n);
    check_tau("qr::factor_pivoted", (m, n), tau.len(), k)?;
    if perm.len() != n {
        return Err(FactorError::Shape {
            op: "qr::factor_pivoted",
            shapes: vec![("a", (m, n)), ("perm", (perm.len(), 1))],
        });
    }
    if !all_finite(a.as_ref()) {
        return Err(FactorError::NonFinite);
    }
    for (j, p) in perm.iter_mut().enumerate() {
        *p = j;
    }
    if k == 0 {
        return Ok(());
    }
    with_col_major(a, |mut a| {
        let mut vn1: Vec<T> = (0..n).map(|j| nrm2(a.as_ref().col(j))).collect();
        let mut vn2 = vn1.clone();
        let mut work = Vec::with_capacity(n);
        let tol3z = T::EPS.sqrt();
        for i in 0..k {
            // Pivot: the first column of largest remaining norm (NaN-free by the check above).
            let mut p = i;
            for j in i + 1..n {
                if vn1[j] > vn1[p] {
                    p = j;
                }
            }
            if p != i {
                for r in 0..m {
                    let (x, y) = (a.get(r, i), a.get(r, p));
                    a.write(r, i, y);
                    a.write(r, p, x);
                }
                perm.swap(i, p);
                vn1[p] = vn1[i];
                vn2[p] = vn2[i];
            }
            // Reflector for column i, applied to the columns to its right.
            let sub = a.rb().submatrix(i, i, m - i, n - i);
            let (col, rest) = sub.split_at_col(1);
            let (mut diag, mut x) = col.split_at_row(1);
            let r = make_reflector(diag.get(0, 0), x.rb());
            diag.write(0, 0, r.beta);
            tau[i] = r.tau;
            apply_left(x.as_ref(), r.tau, rest, &mut work)?;
            // Downdate the trailing norms (LAWN 176).
            for j in i + 1..n {
                if vn1[j] == T::zero() {
                    continue;
                }
                let q = a.get(i, j).abs() / vn1[j];
                let t = ((T::one() - q) * (T::one() + q)).max(T::zero());
                let ratio = vn1[j] / vn2[j];
                if t * ratio * ratio <= tol3z {
                    vn1[j] = if i + 1 < m {
                        nrm2(a.as_ref().submatrix(i + 1, j, m - i - 1, 1))
                    } else {
                        T::zero()
                    };
                    vn2[j] = vn1[j];
                } else {
                    vn1[j] *= t.sqrt();
                }
            }
        }
        Ok(())
    })
}
