//! Least squares by the SVD (the answer of LAPACK `gelsd` and of numpy's `lstsq`).

use lapis_kernels::{MatMut, MatRef, Par, Scalar, gemm};

use super::{LstsqInfo, resolve_rcond};
use crate::FactorError;
use crate::qr::{self, Side, Trans};
use crate::svd::{least_squares, svd};
use crate::util::{all_finite, upper_triangle};

/// Aspect ratio (long side over short side) from which the problem is first reduced to a
/// square one by QR (tall) or LQ (wide), as `gelsd` does from `1.6` (its `mnthr`): the SVD
/// then never forms the long `U` or `Vᵀ`, and the right-hand sides meet `Q` once.
const REDUCE_RATIO: (usize, usize) = (3, 2);

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
    let long = |big: usize, small: usize| big * REDUCE_RATIO.1 >= small * REDUCE_RATIO.0;
    if long(m, n) {
        return tall(a, b, x, s, rcond, par);
    }
    if long(n, m) {
        return wide(a, b, x, s, rcond, par);
    }
    let rank = if m >= n {
        least_squares(a, b, x.rb(), s, rcond, par)?
    } else {
        // Slightly wide (n < 1.5·m): through the explicit thin SVD.
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
        rank
    };
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

/// `m ≫ n`: `A = Q·R`, so `‖A·x − b‖² = ‖R·x − (Qᵀb)[..n]‖² + ‖(Qᵀb)[n..]‖²`; the
/// minimum-norm minimizer is that of the square `R`, whose singular values are `A`'s, and
/// the residual of a full-rank solution is the second term, summed from the transformed `b`
/// directly (no cancellation; `gelsd` reports the same).
fn tall<T: Scalar>(
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    x: MatMut<'_, T>,
    s: &mut [T],
    rcond: T,
    par: Par,
) -> Result<LstsqInfo<T>, FactorError> {
    let (m, n) = a.shape();
    let nrhs = b.ncols();
    let mut qr_buf = a.to_col_major_vec();
    let mut tau = vec![T::zero(); n];
    let mut f = MatMut::from_col_major(&mut qr_buf, m, n).expect("m × n workspace");
    qr::factor(f.rb(), &mut tau, par)?;
    let f = f.into_ref();
    let mut c_buf = b.to_col_major_vec();
    let mut c = MatMut::from_col_major(&mut c_buf, m, nrhs).expect("m × nrhs workspace");
    qr::apply_q(Side::Left, Trans::Yes, f, &tau, c.rb(), par)?;
    let r_buf = upper_triangle(f.submatrix(0, 0, n, n));
    let r = MatRef::from_col_major(&r_buf, n, n).expect("n × n workspace");
    let c = c.into_ref();
    let info = lstsq_svd(r, c.submatrix(0, 0, n, nrhs), x, s, Some(rcond), par)?;
    let residuals = if info.rank == n {
        let tail = c.submatrix(n, 0, m - n, nrhs);
        (0..nrhs).map(|j| column_sum_sq(tail, j)).collect()
    } else {
        Vec::new()
    };
    Ok(LstsqInfo {
        rank: info.rank,
        residuals,
    })
}

/// `n ≫ m`: `Aᵀ = Q·R`, so `A = Rᵀ·Qᵀ` and, `Q` having orthonormal columns, the
/// minimum-norm `x` is `Q·y` with `y` the minimum-norm solution of the square `Rᵀ·y ≈ b`
/// (every minimizer's component outside `range(Q)` only adds norm). numpy reports no
/// residuals when `m < n`.
fn wide<T: Scalar>(
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    mut x: MatMut<'_, T>,
    s: &mut [T],
    rcond: T,
    par: Par,
) -> Result<LstsqInfo<T>, FactorError> {
    let (m, n) = a.shape();
    let nrhs = b.ncols();
    let mut qr_buf = a.transpose().to_col_major_vec();
    let mut tau = vec![T::zero(); m];
    let mut f = MatMut::from_col_major(&mut qr_buf, n, m).expect("n × m workspace");
    qr::factor(f.rb(), &mut tau, par)?;
    let f = f.into_ref();
    let r_buf = upper_triangle(f.submatrix(0, 0, m, m));
    let rt = MatRef::from_col_major(&r_buf, m, m)
        .expect("m × m workspace")
        .transpose();
    let mut y_buf = vec![T::zero(); n * nrhs];
    let mut y = MatMut::from_col_major(&mut y_buf, n, nrhs).expect("n × nrhs workspace");
    let info = lstsq_svd(rt, b, y.rb().submatrix(0, 0, m, nrhs), s, Some(rcond), par)?;
    qr::apply_q(Side::Left, Trans::No, f, &tau, y.rb(), par)?;
    x.copy_from(y.as_ref());
    Ok(LstsqInfo {
        rank: info.rank,
        residuals: Vec::new(),
    })
}

fn column_sum_sq<T: Scalar>(a: MatRef<'_, T>, j: usize) -> T {
    (0..a.nrows()).map(|i| a.get(i, j) * a.get(i, j)).sum()
}
