//! Hermitian eigendecomposition: `A = V·Λ·Vᴴ` with `Λ = diag(w)` real, ascending, and `V`
//! unitary (numpy's `eigh` / `eigvalsh` of a complex matrix, LAPACK `zheevd`).
//!
//! The unitary reduction `A = Q·T·Qᴴ` (`super::hetrd`) leaves a **real** symmetric
//! tridiagonal `T`, so the real tridiagonal solvers of [`crate::eigh`] finish the job: values
//! by root-free QL/QR, vectors `Z` (real) by divide and conquer above
//! [`EighParams::divide_conquer_threshold`] or by implicit QL below it. The eigenvectors are
//! `V = Q·Z`, by applying `Q`'s compact-WY blocks to `Z` (with a zero imaginary plane).
//! As in the real case, matrices whose largest entry is near overflow or underflow are scaled
//! by a power of two first.

use lapis_kernels::{MatMut, Par, Scalar, Uplo};
use num_complex::Complex;

use super::block::{apply_block_left, block_t};
use super::qr::BLOCK;
use super::{CMat, CMatMut, CMatRef, abs};
use crate::FactorError;
pub use crate::eigh::EighParams;
use crate::eigh::{tridiagonal_eigh, tridiagonal_eigh_dc, tridiagonal_eigvals};
use crate::plane::{scale_pow2, sym_range_exponent};

/// Eigenvalues (ascending, in `w`) and, with `vectors`, orthonormal eigenvectors of the
/// Hermitian `a` (`n × n`), of which only the triangle `uplo` is read and the imaginary parts
/// of the diagonal are ignored (as LAPACK does).
///
/// With `vectors`, `a` is overwritten by `V` (column `j` the eigenvector of `w[j]`), so that
/// `A = V·diag(w)·Vᴴ`; without, `a` is unchanged. `w.len()` must be `n`.
///
/// Errors: [`FactorError::NotSquare`], [`FactorError::Shape`] (`w`),
/// [`FactorError::NonFinite`] (NaN or infinity in the triangle read; `a` untouched),
/// [`FactorError::NoConvergence`].
///
/// ```
/// use lapis_factor::complex::{CMat, eigh::eigh};
/// use lapis_factor::kernels::{Par, Uplo};
/// // numpy: np.linalg.eigh([[2, -1j], [1j, 2]])  -> w = [1, 3]
/// let mut a = CMat::from_interleaved(&[2.0, 0.0, 0.0, -1.0, 0.0, 1.0, 2.0, 0.0], 2, 2, 4, 2);
/// let mut w = [0.0f64; 2];
/// eigh(a.as_mut(), Uplo::Lower, &mut w, true, Par::Seq).unwrap();
/// assert!((w[0] - 1.0).abs() < 1e-15 && (w[1] - 3.0).abs() < 1e-15);
/// ```
pub fn eigh<T: Scalar>(
    a: CMatMut<'_, T>,
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
/// use lapis_factor::complex::{CMat, Complex, eigh::{eigh_with_params, EighParams}};
/// use lapis_factor::kernels::{Par, Uplo};
/// let params = EighParams { divide_conquer_threshold: usize::MAX }; // QL only
/// let mut a = CMat::from_interleaved(&[4.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0], 2, 2, 4, 2);
/// let mut w = [0.0f64; 2];
/// eigh_with_params(a.as_mut(), Uplo::Upper, &mut w, true, Par::Seq, &params).unwrap();
/// assert_eq!(w, [-1.0, 4.0]);
/// assert_eq!(a.as_ref().get(1, 0).norm(), 1.0);
/// ```
pub fn eigh_with_params<T: Scalar>(
    mut a: CMatMut<'_, T>,
    uplo: Uplo,
    w: &mut [T],
    vectors: bool,
    par: Par,
    params: &EighParams,
) -> Result<(), FactorError> {
    if let Some(v) = decompose(a.as_ref(), uplo, w, vectors, par, params)? {
        a.copy_from(v.as_ref());
    }
    Ok(())
}

/// Eigenvalues only of the Hermitian `a` (numpy's `eigvalsh`, LAPACK `zheev` with
/// `jobz = 'N'`), reading the triangle `uplo`.
///
/// ```
/// use lapis_factor::complex::{CMat, eigh::eigvalsh};
/// use lapis_factor::kernels::{Par, Uplo};
/// // numpy: np.linalg.eigvalsh([[1, 2j], [-2j, 1]], UPLO='U')  -> [-1, 3]
/// let a = CMat::from_interleaved(&[1.0, 0.0, 0.0, 2.0, 0.0, -2.0, 1.0, 0.0], 2, 2, 4, 2);
/// let mut w = [0.0f64; 2];
/// eigvalsh(a.as_ref(), Uplo::Upper, &mut w, Par::Seq).unwrap();
/// assert!((w[0] + 1.0).abs() < 1e-15 && (w[1] - 3.0).abs() < 1e-15);
/// ```
pub fn eigvalsh<T: Scalar>(
    a: CMatRef<'_, T>,
    uplo: Uplo,
    w: &mut [T],
    par: Par,
) -> Result<(), FactorError> {
    decompose(a, uplo, w, false, par, &EighParams::default()).map(|_| ())
}

/// The work of [`eigh`]: eigenvalues into `w`, and the eigenvectors when `vectors`.
fn decompose<T: Scalar>(
    a: CMatRef<'_, T>,
    uplo: Uplo,
    w: &mut [T],
    vectors: bool,
    par: Par,
    params: &EighParams,
) -> Result<Option<CMat<T>>, FactorError> {
    let (m, n) = a.shape();
    if m != n {
        return Err(FactorError::NotSquare { nrows: m, ncols: n });
    }
    if w.len() != n {
        return Err(FactorError::Shape {
            op: "complex::eigh::eigh",
            shapes: vec![("a", (n, n)), ("w", (w.len(), 1))],
        });
    }
    // The full Hermitian matrix from the triangle `uplo`, diagonal made real, as two
    // column-major planes.
    let (mut hre, mut him) = (vec![T::zero(); n * n], vec![T::zero(); n * n]);
    let mut anorm = T::zero();
    for j in 0..n {
        let djj = a.get(j, j).re;
        if !djj.is_finite() {
            return Err(FactorError::NonFinite);
        }
        anorm = anorm.max(djj.abs());
        hre[j + j * n] = djj;
        for i in j + 1..n {
            // Lower element (i, j), read directly or as the conjugate of (j, i).
            let x = match uplo {
                Uplo::Lower => a.get(i, j),
                Uplo::Upper => a.get(j, i).conj(),
            };
            if !(x.re.is_finite() && x.im.is_finite()) {
                return Err(FactorError::NonFinite);
            }
            anorm = anorm.max(abs(x));
            (hre[i + j * n], him[i + j * n]) = (x.re, x.im);
            (hre[j + i * n], him[j + i * n]) = (x.re, -x.im);
        }
    }
    if n == 0 {
        return Ok(vectors.then(|| CMat::zeros(0, 0)));
    }
    // A power of two, so the scaling is exact.
    let exponent = sym_range_exponent(anorm);
    scale_pow2(&mut hre, exponent);
    scale_pow2(&mut him, exponent);
    let mut h = CMatMut::new(
        MatMut::from_col_major(&mut hre, n, n).expect("workspace"),
        MatMut::from_col_major(&mut him, n, n).expect("workspace"),
    )?;

    let mut e = vec![T::zero(); n - 1];
    let mut tau = vec![Complex::new(T::zero(), T::zero()); n - 1];
    super::hetrd::tridiagonalize(h.rb(), w, &mut e, &mut tau, par)?;
    let v = if vectors {
        // Z (real) of T into the real plane of V, then V = Q·Z with Q = diag(1, Q').
        let mut v = CMat::zeros(n, n);
        {
            let (mut zm, _) = v.as_mut().into_planes();
            if n > params.divide_conquer_threshold {
                tridiagonal_eigh_dc(w, &mut e, zm, par)?;
            } else {
                for i in 0..n {
                    zm.write(i, i, T::one());
                }
                tridiagonal_eigh(w, &mut e, Some(zm))?;
            }
        }
        let refl = h.as_ref().submatrix(1, 0, n - 1, n - 1);
        apply_q(refl, &tau, v.as_mut().submatrix(1, 0, n - 1, n), par)?;
        Some(v)
    } else {
        tridiagonal_eigvals(w, &mut e)?;
        None
    };
    scale_pow2(w, -exponent);
    Ok(v)
}

/// `C ← Q'·C` for the compact form `refl` (`r × r`, reflectors below its diagonal) and its
/// `r` scales `tau`. The last reflector has an empty tail but, unlike the real case, need
/// not be the identity: it turns a complex `α` into the real `β`. The last block first, each
/// block applied to the rows it touches.
fn apply_q<T: Scalar>(
    refl: CMatRef<'_, T>,
    tau: &[Complex<T>],
    mut c: CMatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    let r = refl.nrows();
    let k = tau.len();
    let nc = c.ncols();
    let starts: Vec<usize> = (0..k).step_by(BLOCK).collect();
    for &j in starts.iter().rev() {
        let jb = BLOCK.min(k - j);
        let v = refl.submatrix(j, j, r - j, jb);
        let mut t = CMat::zeros(jb, jb);
        block_t(v, &tau[j..j + jb], t.as_mut(), par)?;
        apply_block_left(false, v, t.as_ref(), c.rb().submatrix(j, 0, r - j, nc), par)?;
    }
    Ok(())
}
