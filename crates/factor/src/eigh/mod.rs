//! Symmetric eigendecomposition: `A = V·Λ·Vᵀ` with `Λ = diag(w)` real, ascending, and `V`
//! orthogonal (numpy's `eigh` / `eigvalsh`, LAPACK `syevd`).
//!
//! Three stages: a blocked Householder reduction `A = Q·T·Qᵀ` to a symmetric tridiagonal `T`
//! (`sytrd`/`latrd`: SYMV panels and a rank-`2·nb` GEMM update of the lower triangle); the
//! eigenproblem of `T`; and the back-transformation `V = Q·Z`. For values only, `T` is solved by
//! root-free QL/QR ([`tridiagonal_eigvals`], `sterf`). For vectors of order above
//! [`EighParams::divide_conquer_threshold`], by divide and conquer ([`tridiagonal_eigh_dc`],
//! `stedc`, falling back to QL automatically if it ever fails) and `V = Q·Z` by compact-WY
//! blocks (GEMM); for small orders, by implicit QL/QR with Wilkinson shifts whose rotations are
//! accumulated into the explicit `Q` ([`tridiagonal_eigh`], `steqr`). Inputs whose largest entry
//! is near overflow or underflow are scaled by a power of two first (exact), so `1e300`- and
//! `1e-300`-sized matrices work.

mod divide_conquer;
mod tridiag;
mod tridiag_eig;

pub use divide_conquer::tridiagonal_eigh_dc;
pub use tridiag_eig::{tridiagonal_eigh, tridiagonal_eigvals};

use lapis_kernels::{MatMut, MatRef, Par, Scalar, Side, Uplo};

use crate::FactorError;
use crate::householder::Trans;
use crate::plane::{scale_pow2, sym_range_exponent};

/// Tuning of [`eigh_with_params`]; changing it never changes what is computed beyond rounding.
///
/// ```
/// use lapis_factor::eigh::EighParams;
/// assert!(EighParams::default().divide_conquer_threshold >= 1);
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct EighParams {
    /// Eigenvectors of matrices of order above this come from divide and conquer
    /// ([`tridiagonal_eigh_dc`]) followed by a GEMM-based back-transformation; at or below it,
    /// from implicit QL rotations accumulated into the explicit `Q` ([`tridiagonal_eigh`]).
    /// `usize::MAX` forces QL everywhere.
    pub divide_conquer_threshold: usize,
}

impl Default for EighParams {
    fn default() -> Self {
        EighParams {
            divide_conquer_threshold: 32,
        }
    }
}

/// Eigenvalues (ascending, in `w`) and, with `vectors`, orthonormal eigenvectors of the
/// symmetric `a` (`n × n`, any strides), of which only the triangle `uplo` is read.
///
/// With `vectors`, `a` is overwritten by `V` (column `j` is the eigenvector of `w[j]`), so that
/// `A = V·diag(w)·Vᵀ`; without, `a` is left unchanged. `w.len()` must be `n`.
///
/// Errors: [`FactorError::NotSquare`], [`FactorError::Shape`] (`w`), [`FactorError::NonFinite`]
/// (NaN or infinity in the triangle read; `a` untouched), [`FactorError::NoConvergence`].
///
/// ```
/// use lapis_factor::eigh::eigh;
/// use lapis_factor::kernels::{MatMut, Par, Uplo};
/// // numpy: w, v = np.linalg.eigh(a)
/// let mut a = [2.0f64, 1.0, 1.0, 2.0]; // [[2, 1], [1, 2]]
/// let mut w = [0.0; 2];
/// eigh(MatMut::from_row_major(&mut a, 2, 2).unwrap(), Uplo::Lower, &mut w, true, Par::Seq).unwrap();
/// assert!((w[0] - 1.0).abs() < 1e-15 && (w[1] - 3.0).abs() < 1e-15);
/// // v[:, 1] = ±(1, 1)/√2
/// assert!((a[1].abs() - 0.5f64.sqrt()).abs() < 1e-15 && (a[1] - a[3]).abs() < 1e-15);
/// ```
pub fn eigh<T: Scalar>(
    a: MatMut<'_, T>,
    uplo: Uplo,
    w: &mut [T],
    vectors: bool,
    par: Par,
) -> Result<(), FactorError> {
    eigh_with_params(a, uplo, w, vectors, par, &EighParams::default())
}

/// [`eigh`] with explicit tuning parameters.
///
/// ```
/// use lapis_factor::eigh::{eigh_with_params, EighParams};
/// use lapis_factor::kernels::{MatMut, Par, Uplo};
/// let params = EighParams { divide_conquer_threshold: usize::MAX }; // QL only
/// let mut a = [4.0f64, 0.0, 0.0, -1.0];
/// let mut w = [0.0; 2];
/// eigh_with_params(MatMut::from_col_major(&mut a, 2, 2).unwrap(), Uplo::Lower, &mut w, true, Par::Seq, &params)
///     .unwrap();
/// assert_eq!(w, [-1.0, 4.0]);
/// assert_eq!(a, [0.0, 1.0, 1.0, 0.0]);
/// ```
pub fn eigh_with_params<T: Scalar>(
    mut a: MatMut<'_, T>,
    uplo: Uplo,
    w: &mut [T],
    vectors: bool,
    par: Par,
    params: &EighParams,
) -> Result<(), FactorError> {
    let reduced = Reduced::new(a.as_ref(), uplo, w, par)?;
    if !vectors {
        return reduced.values(w);
    }
    let n = w.len();
    if a.row_stride() == 1 {
        // The vectors are built where they belong: the triangle has been copied out, and a
        // buffer of n² more would cost its page faults and a copy back.
        reduced.vectors(w, a, par, params)
    } else {
        let mut v = vec![T::zero(); n * n];
        let vm = MatMut::from_col_major(&mut v, n, n).expect("workspace");
        reduced.vectors(w, vm, par, params)?;
        a.copy_from(MatRef::from_col_major(&v, n, n).expect("workspace"));
        Ok(())
    }
}

/// A symmetric matrix reduced to tridiagonal form `Qᵀ·A·Q = T` (LAPACK `sytrd`), scaled
/// into the safe range by `2^exponent`: the diagonal of `T` waits in the caller's `w`.
struct Reduced<T> {
    n: usize,
    /// Column-major `n × n`: the reflectors of `Q` below the subdiagonal.
    buf: Vec<T>,
    e: Vec<T>,
    tau: Vec<T>,
    exponent: i32,
}

impl<T: Scalar> Reduced<T> {
    /// Checks `a` and `w`, copies the triangle `uplo` of `a`, scales it and reduces it; the
    /// diagonal of `T` goes to `w`.
    fn new(a: MatRef<'_, T>, uplo: Uplo, w: &mut [T], par: Par) -> Result<Self, FactorError> {
        let n = crate::util::check_square(a)?;
        if w.len() != n {
            return Err(FactorError::Shape {
                op: "eigh::eigh",
                shapes: vec![("a", (n, n)), ("w", (w.len(), 1))],
            });
        }
        // Column-major copy of the triangle `uplo` as a lower triangle (the reduction reads
        // and updates only that one), column by column along the source's unit stride when it
        // has one.
        let low = match uplo {
            Uplo::Lower => a,
            Uplo::Upper => a.transpose(),
        };
        if !crate::util::lower_finite(low) {
            return Err(FactorError::NonFinite);
        }
        let mut buf = vec![T::zero(); n * n];
        let mut anorm = T::zero();
        {
            let mut dst = MatMut::from_col_major(&mut buf, n, n).expect("workspace");
            for j in 0..n {
                dst.rb()
                    .submatrix(j, j, n - j, 1)
                    .copy_from(low.submatrix(j, j, n - j, 1));
            }
        }
        for j in 0..n {
            anorm = buf[j * n + j..(j + 1) * n]
                .iter()
                .fold(anorm, |m, x| m.max(x.abs()));
        }
        let exponent = sym_range_exponent(anorm);
        scale_pow2(&mut buf, exponent);
        let mut e = vec![T::zero(); n.saturating_sub(1)];
        let mut tau = vec![T::zero(); n.saturating_sub(1)];
        if n > 0 {
            tridiag::tridiagonalize(
                MatMut::from_col_major(&mut buf, n, n).expect("workspace"),
                w,
                &mut e,
                &mut tau,
                par,
            )?;
        }
        Ok(Reduced {
            n,
            buf,
            e,
            tau,
            exponent,
        })
    }

    /// The eigenvalues into `w` (ascending), from the diagonal [`Reduced::new`] left there.
    fn values(mut self, w: &mut [T]) -> Result<(), FactorError> {
        tridiagonal_eigvals(w, &mut self.e)?;
        scale_pow2(w, -self.exponent);
        Ok(())
    }

    /// The eigenvalues into `w` and their vectors into `v` (`n × n`, any strides, contents
    /// ignored).
    fn vectors(
        mut self,
        w: &mut [T],
        mut v: MatMut<'_, T>,
        par: Par,
        params: &EighParams,
    ) -> Result<(), FactorError> {
        let n = self.n;
        if n == 0 {
            return Ok(());
        }
        let refl = MatRef::from_col_major(&self.buf, n, n)
            .expect("workspace")
            .submatrix(1, 0, n - 1, n - 1);
        if n > params.divide_conquer_threshold {
            // Z from divide and conquer, then V = Q·Z = diag(1, Q')·Z through compact WY
            // blocks.
            tridiagonal_eigh_dc(w, &mut self.e, v.rb(), par)?;
            crate::qr::apply_q(
                Side::Left,
                Trans::No,
                refl,
                &self.tau,
                v.submatrix(1, 0, n - 1, n),
                par,
            )?;
        } else {
            // QL rotations accumulated into the explicit Q = diag(1, Q').
            v.fill(T::zero());
            v.write(0, 0, T::one());
            if n > 1 {
                crate::qr::form_q(refl, &self.tau, v.rb().submatrix(1, 1, n - 1, n - 1), par)?;
            }
            tridiagonal_eigh(w, &mut self.e, Some(v))?;
        }
        scale_pow2(w, -self.exponent);
        Ok(())
    }
}

/// Eigenvalues only (numpy's `eigvalsh`, LAPACK `syev` with `jobz = 'N'`): [`eigh`] without
/// vectors, reading the triangle `uplo` of `a`.
///
/// ```
/// use lapis_factor::eigh::eigvalsh;
/// use lapis_factor::kernels::{MatRef, Par, Uplo};
/// // numpy: np.linalg.eigvalsh([[1, 2], [2, 1]])
/// let a = [1.0f64, 2.0, 2.0, 1.0];
/// let mut w = [0.0; 2];
/// eigvalsh(MatRef::from_row_major(&a, 2, 2).unwrap(), Uplo::Upper, &mut w, Par::Seq).unwrap();
/// assert!((w[0] + 1.0).abs() < 1e-15 && (w[1] - 3.0).abs() < 1e-15);
/// ```
pub fn eigvalsh<T: Scalar>(
    a: MatRef<'_, T>,
    uplo: Uplo,
    w: &mut [T],
    par: Par,
) -> Result<(), FactorError> {
    Reduced::new(a, uplo, w, par)?.values(w)
}
