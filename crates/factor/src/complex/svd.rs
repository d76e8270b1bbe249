//! Complex singular value decomposition `A = U·Σ·Vᴴ` (numpy's `svd` / `svdvals` of a complex
//! array, LAPACK `zgesdd`/`zgesvd`): `Σ` real, non-negative, descending; `U`, `V` unitary.
//!
//! For `m ≥ n` (a wide `A` is handled as `Aᴴ = V·Σ·Uᴴ`): a complex QR first when
//! `m ≥ 1.6·n`, then the reduction to a **real** bidiagonal `A = Q·B·Pᴴ`
//! (`bidiag`), then the real bidiagonal SVD `B = U_b·Σ·V_bᵀ` by the same
//! solvers as the real [`svd`](crate::svd::svd) (divide and conquer with its QR fallback
//! for vectors above [`SvdParams::divide_conquer_threshold`], implicit QR otherwise), so
//! `U = Q·U_b` and `V = P·V_b`: the real `U_b`, `V_b` become complex only as the complex
//! reflectors are applied. Inputs near overflow or underflow are scaled by a power of two.

use lapis_kernels::{MatMut, MatRef, Par, Scalar, scal};
use num_complex::Complex;

use super::bidiag::{apply_p, apply_q, bidiagonalize, conjugate};
use super::{CMat, CMatMut, CMatRef};
use crate::FactorError;
use crate::plane::{safe_range_exponent, scale_pow2};
use crate::svd::{SvdParams, bidiagonal_vectors};

/// Tall inputs with `m ≥ QR_FIRST_RATIO·n` are QR-factored first, as the real `svd`.
const QR_FIRST_RATIO: f64 = 1.6;

/// The singular values of a complex `a` (`m × n`, any strides) into `s` (length
/// `k = min(m, n)`, real, descending, non-negative) and, when requested, the singular vectors:
/// `u` is `m × m` (numpy's `full_matrices=True`) or `m × k`; `vh` (`Vᴴ`) is `n × n` or `k × n`;
/// previous contents ignored. Then `A = U[:, :k]·diag(s)·Vᴴ[:k, :]`, and the extra columns
/// of a full `U` (rows of a full `Vᴴ`) complete an orthonormal basis.
///
/// Errors: [`FactorError::Shape`] (`s`, `u`, `vh`), [`FactorError::NonFinite`],
/// [`FactorError::NoConvergence`].
///
/// ```
/// use lapis_factor::complex::{CMat, svd::svd};
/// use lapis_factor::kernels::Par;
/// // numpy: u, s, vh = np.linalg.svd([[1j, 0], [0, 2]])  -> s = [2, 1]
/// let a = CMat::from_interleaved(&[0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0], 2, 2, 4, 2);
/// let (mut s, mut u, mut vh) = ([0.0f64; 2], CMat::zeros(2, 2), CMat::zeros(2, 2));
/// svd(a.as_ref(), &mut s, Some(u.as_mut()), Some(vh.as_mut()), Par::Seq).unwrap();
/// assert_eq!(s, [2.0, 1.0]);
/// // u[:, 1]·s[1]·vh[1, :] carries the 1j: u[0, 1]·vh[1, 0] = 1j
/// let z = u.as_ref().get(0, 1) * vh.as_ref().get(1, 0);
/// assert!((z.re).abs() < 1e-15 && (z.im - 1.0).abs() < 1e-15);
/// ```
pub fn svd<T: Scalar>(
    a: CMatRef<'_, T>,
    s: &mut [T],
    u: Option<CMatMut<'_, T>>,
    vh: Option<CMatMut<'_, T>>,
    par: Par,
) -> Result<(), FactorError> {
    svd_with_params(a, s, u, vh, par, &SvdParams::default())
}

/// [`svd`] with explicit tuning parameters (those of the real [`crate::svd::svd_with_params`]).
///
/// ```
/// use lapis_factor::complex::{CMat, svd::svd_with_params};
/// use lapis_factor::kernels::Par;
/// use lapis_factor::svd::SvdParams;
/// let params = SvdParams { divide_conquer_threshold: usize::MAX, ..SvdParams::default() };
/// // numpy: np.linalg.svdvals([[3j, 4]])  -> [5]
/// let a = CMat::from_interleaved(&[0.0, 3.0, 4.0, 0.0], 1, 2, 4, 2);
/// let mut s = [0.0];
/// svd_with_params(a.as_ref(), &mut s, None, None, Par::Seq, &params).unwrap();
/// assert!((s[0] - 5.0f64).abs() < 1e-15);
/// ```
pub fn svd_with_params<T: Scalar>(
    a: CMatRef<'_, T>,
    s: &mut [T],
    u: Option<CMatMut<'_, T>>,
    vh: Option<CMatMut<'_, T>>,
    par: Par,
    params: &SvdParams,
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    let k = m.min(n);
    let u_ok = u
        .as_ref()
        .is_none_or(|u| u.nrows() == m && (u.ncols() == m || u.ncols() == k));
    let vh_ok = vh
        .as_ref()
        .is_none_or(|v| v.ncols() == n && (v.nrows() == n || v.nrows() == k));
    if s.len() != k || !u_ok || !vh_ok {
        let mut shapes = vec![("a", (m, n)), ("s", (s.len(), 1))];
        if let Some(u) = &u {
            shapes.push(("u", u.shape()));
        }
        if let Some(vh) = &vh {
            shapes.push(("vh", vh.shape()));
        }
        return Err(FactorError::Shape {
            op: "complex::svd::svd",
            shapes,
        });
    }
    if m >= n {
        svd_tall(a, false, s, u, vh, par, params)
    } else {
        // Aᴴ = V·Σ·Uᴴ: its left vectors are our V (written conjugated into Vᴴ's transpose),
        // its Vᴴ is our Uᴴ.
        svd_tall(
            a.transpose(),
            true,
            s,
            vh.map(CMatMut::transpose),
            u.map(CMatMut::transpose),
            par,
            params,
        )
    }
}

/// Singular values only (numpy's `svdvals` of a complex matrix): [`svd`] without vectors.
///
/// ```
/// use lapis_factor::complex::{CMat, svd::svdvals};
/// use lapis_factor::kernels::Par;
/// // numpy: np.linalg.svdvals([[1+1j, 0], [0, -2j]])  -> [2, √2]
/// let a = CMat::from_interleaved(&[1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, -2.0], 2, 2, 4, 2);
/// let mut s = [0.0; 2];
/// svdvals(a.as_ref(), &mut s, Par::Seq).unwrap();
/// assert!((s[0] - 2.0f64).abs() < 1e-15 && (s[1] - 2f64.sqrt()).abs() < 1e-15);
/// ```
pub fn svdvals<T: Scalar>(a: CMatRef<'_, T>, s: &mut [T], par: Par) -> Result<(), FactorError> {
    svd(a, s, None, None, par)
}

/// A column-major real view of `buf`.
fn real_view<T>(buf: &mut [T], m: usize, n: usize) -> MatMut<'_, T> {
    MatMut::from_col_major(buf, m, n).expect("workspace")
}

/// Both planes of `w` scaled by `2^exponent`.
fn scale_planes<T: Scalar>(w: &mut CMat<T>, exponent: i32) {
    let (m, n) = (w.nrows(), w.ncols());
    let mut re = w.re_slice().to_vec();
    let mut im = w.im_slice().to_vec();
    scale_pow2(&mut re, exponent);
    scale_pow2(&mut im, exponent);
    let mut v = w.as_mut();
    let (mut vr, mut vi) = v.planes();
    vr.copy_from(MatRef::from_col_major(&re, m, n).expect("plane"));
    vi.copy_from(MatRef::from_col_major(&im, m, n).expect("plane"));
}

/// [`svd`] of `M = a` (or `M = conj(a)` when `conj`) for `m ≥ n`, shapes checked; with
/// `conj`, `u` and `vh` receive the conjugates of `M`'s factors.
fn svd_tall<T: Scalar>(
    a: CMatRef<'_, T>,
    conj: bool,
    s: &mut [T],
    u: Option<CMatMut<'_, T>>,
    vh: Option<CMatMut<'_, T>>,
    par: Par,
    params: &SvdParams,
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    let mut w = CMat::from_view(a);
    if conj {
        conjugate(w.as_mut());
    }
    let mut anorm = T::zero();
    for &x in w.re_slice().iter().chain(w.im_slice()) {
        if !x.is_finite() {
            return Err(FactorError::NonFinite);
        }
        anorm = anorm.max(x.abs());
    }
    if n == 0 {
        if let Some(mut u) = u {
            let p = u.ncols();
            u.copy_from(CMat::identity(m).as_ref().submatrix(0, 0, m, p));
        }
        return Ok(());
    }
    let exponent = safe_range_exponent(anorm);
    if exponent != 0 {
        scale_planes(&mut w, exponent);
    }

    let zero = Complex::new(T::zero(), T::zero());
    let qr_first = m as f64 >= QR_FIRST_RATIO * n as f64 && m > n;
    let mut tau_qr = Vec::new();
    let mut r = if qr_first {
        tau_qr = vec![zero; n];
        super::qr::factor(w.as_mut(), &mut tau_qr, par)?;
        let mut r = CMat::zeros(n, n);
        for j in 0..n {
            for i in 0..=j {
                r.as_mut().write(i, j, w.as_ref().get(i, j));
            }
        }
        r
    } else {
        w.clone()
    };
    let mut e = vec![T::zero(); n - 1];
    let (mut tauq, mut taup) = (vec![zero; n], vec![zero; n - 1]);
    bidiagonalize(r.as_mut(), s, &mut e, &mut tauq, &mut taup, par)?;

    // The real bidiagonal SVD: U_b and V_b (column-major n × n; the solvers take V_bᵀ).
    let want_u = u.is_some();
    let want_v = vh.is_some();
    let (mut ub, mut vb) = (Vec::new(), Vec::new());
    if want_u || want_v {
        ub.resize(n * n, T::zero());
        vb.resize(n * n, T::zero());
    }
    let uv = want_u.then(|| real_view(&mut ub, n, n));
    let vv = want_v.then(|| real_view(&mut vb, n, n));
    bidiagonal_vectors(s, &mut e, uv, vv, par, params)?;
    scale_pow2(s, -exponent);

    if let Some(mut u) = u {
        // U = [Q_qr·]Q_B·[U_b, 0; 0, I].
        let p = u.ncols();
        let mut uw = CMat::zeros(m, p);
        {
            let mut uv = uw.as_mut();
            let (ur, _) = uv.planes();
            ur.submatrix(0, 0, n, n)
                .copy_from(MatRef::from_col_major(&ub, n, n).expect("workspace"));
            for j in n..p {
                uv.write(j, j, Complex::new(T::one(), T::zero()));
            }
        }
        if qr_first {
            apply_q(r.as_ref(), &tauq, uw.as_mut().submatrix(0, 0, n, n), par)?;
            apply_q(w.as_ref(), &tau_qr, uw.as_mut(), par)?;
        } else {
            apply_q(r.as_ref(), &tauq, uw.as_mut(), par)?;
        }
        u.copy_from(uw.as_ref());
        if conj {
            conjugate(u);
        }
    }
    if let Some(mut vh) = vh {
        // V = P·V_b, written as Vᴴ (conjugated twice, i.e. transposed only, under `conj`).
        let mut vw = CMat::zeros(n, n);
        {
            let mut vv = vw.as_mut();
            let (vr, _) = vv.planes();
            let mut vr = vr;
            vr.copy_from(MatRef::from_col_major(&vb, n, n).expect("workspace"));
        }
        apply_p(r.as_ref(), &taup, vw.as_mut(), par)?;
        vh.copy_from(vw.as_ref().transpose());
        if !conj {
            let (_, vi) = vh.planes();
            scal(-T::one(), vi);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wide input takes the adjoint path: check `A = U·Σ·Vᴴ` entrywise.
    #[test]
    fn wide_reconstructs() {
        let parts: Vec<f64> = (0..12).map(|i| ((i * 7 % 11) as f64) - 5.0).collect();
        let a = CMat::from_interleaved(&parts, 2, 3, 6, 2);
        let (mut s, mut u, mut vh) = ([0.0; 2], CMat::zeros(2, 2), CMat::zeros(3, 3));
        svd(
            a.as_ref(),
            &mut s,
            Some(u.as_mut()),
            Some(vh.as_mut()),
            Par::Seq,
        )
        .unwrap();
        for i in 0..2 {
            for j in 0..3 {
                let mut z = Complex::new(0.0, 0.0);
                for p in 0..2 {
                    z += u.as_ref().get(i, p) * s[p] * vh.as_ref().get(p, j);
                }
                assert!((z - a.as_ref().get(i, j)).norm() < 1e-13, "{i} {j}");
            }
        }
    }
}
