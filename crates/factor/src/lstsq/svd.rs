//! Least squares by the SVD (the answer of LAPACK `gelsd` and of numpy's `lstsq`).

use lapis_kernels::{MatMut, MatRef, Par, Scalar, gemm};

use super::{LstsqInfo, resolve_rcond};
use crate::FactorError;
use crate::svd::svd;
use crate::util::all_finite;

/// Minimum-norm least squares `min ‖A·x − b‖₂` through the thin SVD `A = U·Σ·Vᵀ`:
/// `x = V·Σ_r⁺·Uᵀ·b`, where `Σ_r⁺` inverts the singular values `σ_i > rcond·σ_max` and drops
/// the rest — numpy's definition of the rank, exactly.
///
/// `a` is `m × n`, `b` is `m × nrhs`, the solution goes to `x` (`n × nrhs`) and the singular
/// values, descending, to `s` (`min(m, n)`). `rcond`: `None` means `max(m, n)·ε`, a negative
/// value means `ε`. Residuals follow numpy: `‖b_j − A·x_j‖₂²` per column when `rank == n` and
/// `m > n`, otherwise empty.
///
/// Errors: [`FactorError::Shape`] naming all shapes; [`FactorError::NonFinite`];
/// [`FactorError::InvalidArgument`] for a NaN `rcond`; the SVD's `NoConvergence`.
///
/// ```
/// use lapis_factor::lstsq::lstsq_svd;
/// use lapis_kernels::{MatMut, MatRef, Par};
/// // numpy: x, res, rank, s = np.linalg.lstsq([[1., 2.], [2., 4.]], [3., 6.])
/// let a = [1.0, 2.0, 2.0, 4.0];
/// let b = [3.0, 6.0];
/// let (mut x, mut s) = ([0.0f64; 2], [0.0f64; 2]);
/// let info = lstsq_svd(
///     MatRef::from_col_major(&a, 2, 2).unwrap(),
///     MatRef::from_col_major(&b, 2, 1).unwrap(),
///     MatMut::from_col_major(&mut x, 2, 1).unwrap(),
///     &mut s,
///     None,
///     Par::Seq,
/// )
/// .unwrap();
/// assert_eq!(info.rank, 1);
/// assert!((x[0] - 0.6).abs() < 1e-15 && (x[1] - 1.2).abs() < 1e-15);
/// assert!((s[0] - 5.0).abs() < 1e-14 && s[1].abs() < 1e-15);
/// ```
pub fn lstsq_svd<T: Scalar>(
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    mut x: MatMut<'_, T>,
    s: &mut [T],
    rcond: Option<T>,
    par: Par,
) -> Result<LstsqInfo<T>, FactorError> {
    let (m, n) = a.shape();
    let nrhs = b.ncols();
    let k = m.min(n);
    if b.nrows() != m || x.shape() != (n, nrhs) || s.len() != k {
        return Err(FactorError::Shape {
            op: "lstsq_svd",
            shapes: vec![
                ("a", (m, n)),
                ("b", b.shape()),
                ("x", x.shape()),
                ("s", (s.len(), 1)),
            ],
        });
    }
    let rcond = resolve_rcond(rcond, m, n)?;
    if !all_finite(a) || !all_finite(b) {
        return Err(FactorError::NonFinite);
    }
    if k == 0 {
        x.fill(T::zero());
        // n = 0 < m: nothing explains b, every b_j is its own residual (numpy's rule holds:
        // rank 0 == n and m > n).
        let residuals = if n == 0 && m > 0 {
            (0..nrhs).map(|j| column_sum_sq(b, j)).collect()
        } else {
            Vec::new()
        };
        return Ok(LstsqInfo { rank: 0, residuals });
    }
    let mut ubuf = vec![T::zero(); m * k];
    let mut vtbuf = vec![T::zero(); k * n];
    let mut u = MatMut::from_col_major(&mut ubuf, m, k).expect("m × k workspace");
    let mut vt = MatMut::from_col_major(&mut vtbuf, k, n).expect("k × n workspace");
    svd(a, s, Some(u.rb()), Some(vt.rb()), par)?;
    let cutoff = rcond * s[0];
    let rank = s.iter().take_while(|&&si| si > cutoff).count();
    // c = Σ_r⁺·Uᵀ·b, then x = Vᵀᵀ·c.
    let mut cbuf = vec![T::zero(); k * nrhs];
    let mut c = MatMut::from_col_major(&mut cbuf, k, nrhs).expect("k × nrhs workspace");
    gemm(T::one(), u.as_ref().transpose(), b, T::zero(), c.rb(), par)?;
    for i in 0..k {
        let scale = if i < rank { T::one() / s[i] } else { T::zero() };
        for j in 0..nrhs {
            let v = c.get(i, j);
            c.write(i, j, v * scale);
        }
    }
    gemm(
        T::one(),
        vt.as_ref().transpose(),
        c.as_ref(),
        T::zero(),
        x.rb(),
        par,
    )?;
    let residuals = if rank == n && m > n {
        // r = b − A·x, computed directly (‖b‖² − ‖Uᵀb‖² would cancel).
        let mut rbuf = b.to_col_major_vec();
        let mut r = MatMut::from_col_major(&mut rbuf, m, nrhs).expect("m × nrhs workspace");
        gemm(-T::one(), a, x.as_ref(), T::one(), r.rb(), par)?;
        (0..nrhs).map(|j| column_sum_sq(r.as_ref(), j)).collect()
    } else {
        Vec::new()
    };
    Ok(LstsqInfo { rank, residuals })
}

fn column_sum_sq<T: Scalar>(a: MatRef<'_, T>, j: usize) -> T {
    (0..a.nrows()).map(|i| a.get(i, j) * a.get(i, j)).sum()
}
