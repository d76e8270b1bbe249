//! General complex eigendecomposition: `A·V = V·Λ` (numpy's `eig` / `eigvals` of a complex
//! matrix, LAPACK `zgeev`).
//!
//! The four stages of the real [`crate::eig`], in complex arithmetic on split planes:
//! balancing `A ← D⁻¹·Pᵀ·A·P·D` (the real [`gebal`](crate::eig) logic run on the entries'
//! moduli, which is exactly `zgebal`'s decision rule: it only reads zero patterns and 2-norms),
//! unitary reduction to upper Hessenberg form `A = Q·H·Qᴴ` (`hessenberg`, `zgehd2`, and
//! `Q` by `zungqr`), the complex Schur form `H = Z'·T·Z'ᴴ` with `T` upper triangular by the
//! single-shift QR algorithm (`schur`, `zlahqr`), accumulated into `Z = Q·Z'`, and the
//! eigenvectors of `T` by back substitution, multiplied by `Z` with GEMM and un-balanced
//! (`vectors`, `ztrevc3`, `zgebak`). Inputs whose largest part is near overflow or
//! underflow are scaled by a power of 2 first (exact), and the eigenvalues scaled back.
//!
//! Results follow `zgeev`: eigenvalues in the order of the diagonal of `T`; eigenvector `j`
//! of Euclidean norm 1 with its largest-modulus component real (and non-negative).

mod hessenberg;
mod schur;
mod vectors;

use lapis_kernels::{MatMut, MatRef, Par, Scalar, nrm2};
use num_complex::Complex;

use super::{CMatMut, CMatRef};
use crate::FactorError;
use crate::eig::balance::{self, Balancing};
use crate::plane::{safe_range_exponent, scale_pow2};

/// A square complex matrix as two column-major planes of order `n`, for the element-wise
/// loops of the QR sweeps and the back substitution.
pub(super) struct Planes<'a, T> {
    pub re: &'a mut [T],
    pub im: &'a mut [T],
    pub n: usize,
}

impl<T: Scalar> Planes<'_, T> {
    #[inline]
    pub fn get(&self, i: usize, j: usize) -> Complex<T> {
        let p = i + j * self.n;
        Complex::new(self.re[p], self.im[p])
    }
    #[inline]
    pub fn set(&mut self, i: usize, j: usize, z: Complex<T>) {
        let p = i + j * self.n;
        self.re[p] = z.re;
        self.im[p] = z.im;
    }
    /// The split view, for the level-3 routines.
    pub fn view(&mut self) -> CMatMut<'_, T> {
        let n = self.n;
        CMatMut::new(
            MatMut::from_col_major(self.re, n, n).expect("n × n plane"),
            MatMut::from_col_major(self.im, n, n).expect("n × n plane"),
        )
        .expect("planes of one shape")
    }
}

/// Eigenvalues `w` and, when `v` is given, right eigenvectors of the complex square `a` (any
/// strides; not modified), with LAPACK `zgeev`'s conventions (see the
/// [module documentation](self)): `A·v[:, j] = w[j]·v[:, j]`.
///
/// `w` must have length `n`; `v` (any strides, previous contents ignored) must be `n × n`.
///
/// Errors: [`FactorError::NotSquare`], [`FactorError::Shape`] (naming `a`, `w` and `v`),
/// [`FactorError::NonFinite`] (NaN or infinity in `a`), [`FactorError::NoConvergence`] (the
/// QR iteration did not converge; LAPACK's `info > 0`).
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, eig::eig};
/// use lapis_factor::kernels::Par;
/// // numpy: w, v = np.linalg.eig([[1j, 1], [0, 2]])  ->  w = [1j, 2]
/// let a = CMat::from_interleaved(&[0.0f64, 1.0, 1.0, 0.0, 0.0, 0.0, 2.0, 0.0], 2, 2, 4, 2);
/// let mut w = [Complex::new(0.0, 0.0); 2];
/// let mut v = CMat::zeros(2, 2);
/// eig(a.as_ref(), &mut w, Some(v.as_mut()), Par::Seq).unwrap();
/// assert_eq!(w, [Complex::new(0.0, 1.0), Complex::new(2.0, 0.0)]);
/// // v[:, 1] ∝ [1, 2 − i], unit norm, largest component real and positive
/// let (x0, x1) = (v.as_ref().get(0, 1), v.as_ref().get(1, 1));
/// let s = 6f64.sqrt();
/// assert!((x0 - Complex::new(1.0 / s, 0.0) * Complex::new(2.0, 1.0) / 5f64.sqrt()).norm() < 1e-15);
/// assert!((x1 - Complex::new(5f64.sqrt() / s, 0.0)).norm() < 1e-15);
/// ```
pub fn eig<T: Scalar>(
    a: CMatRef<'_, T>,
    w: &mut [Complex<T>],
    v: Option<CMatMut<'_, T>>,
    par: Par,
) -> Result<(), FactorError> {
    decompose(a, w, v, par)
}

/// Eigenvalues only (numpy's `eigvals` of a complex matrix, `zgeev` with `jobvr = 'N'`): [`eig`]
/// without vectors, which skips forming `Q` and updates only the active part of `H`.
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, eig::eigvals};
/// use lapis_factor::kernels::Par;
/// // numpy: np.linalg.eigvals([[0, 1j], [1j, 0]])  ->  [1j, -1j] (in some order)
/// let a = CMat::from_interleaved(&[0.0f64, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0], 2, 2, 4, 2);
/// let mut w = [Complex::new(0.0, 0.0); 2];
/// eigvals(a.as_ref(), &mut w, Par::Seq).unwrap();
/// let mut im: Vec<f64> = w.iter().map(|z| z.im).collect();
/// im.sort_by(f64::total_cmp);
/// assert!((im[0] + 1.0).abs() < 1e-15 && (im[1] - 1.0).abs() < 1e-15);
/// assert!(w.iter().all(|z| z.re.abs() < 1e-15));
/// ```
pub fn eigvals<T: Scalar>(
    a: CMatRef<'_, T>,
    w: &mut [Complex<T>],
    par: Par,
) -> Result<(), FactorError> {
    decompose(a, w, None, par)
}

fn decompose<T: Scalar>(
    a: CMatRef<'_, T>,
    w: &mut [Complex<T>],
    v: Option<CMatMut<'_, T>>,
    par: Par,
) -> Result<(), FactorError> {
    let n = crate::util::check_square(a.re())?;
    if w.len() != n || v.as_ref().is_some_and(|v| v.shape() != (n, n)) {
        let mut shapes = vec![("a", (n, n)), ("w", (w.len(), 1))];
        if let Some(v) = &v {
            shapes.push(("v", v.shape()));
        }
        return Err(FactorError::Shape {
            op: "complex::eig::eig",
            shapes,
        });
    }
    let mut hre = a.re().to_col_major_vec();
    let mut him = a.im().to_col_major_vec();
    let mut anorm = T::zero();
    for (x, y) in hre.iter().zip(&him) {
        if !(x.is_finite() && y.is_finite()) {
            return Err(FactorError::NonFinite);
        }
        anorm = anorm.max(x.abs()).max(y.abs());
    }
    if n == 0 {
        return Ok(());
    }
    let exponent = safe_range_exponent(anorm);
    scale_pow2(&mut hre, exponent);
    scale_pow2(&mut him, exponent);
    let mut h = Planes {
        re: &mut hre,
        im: &mut him,
        n,
    };

    let bal = balance_planes(&mut h);
    let (lo, hi) = (bal.lo, bal.hi);
    let zero = Complex::new(T::zero(), T::zero());
    let mut tau = vec![zero; hi.saturating_sub(lo + 1)];
    hessenberg::reduce(&mut h, lo, hi, &mut tau)?;
    let zlen = if v.is_some() { n * n } else { 0 };
    let (mut zre, mut zim) = (vec![T::zero(); zlen], vec![T::zero(); zlen]);
    let mut z = match v {
        Some(_) => {
            let mut z = Planes {
                re: &mut zre,
                im: &mut zim,
                n,
            };
            hessenberg::form_q(&mut h, lo, hi, &tau, &mut z, par)?;
            Some(z)
        }
        None => None,
    };
    // The reflectors below the subdiagonal are no longer needed; the sweeps and the
    // back substitution read zeros there.
    for j in 0..n {
        for i in j + 2..n {
            h.set(i, j, zero);
        }
    }
    let want_t = z.is_some();
    schur::schur(&mut h, lo, hi, w, z.as_mut(), want_t)?;

    if let (Some(mut v), Some(mut z)) = (v, z) {
        let (mut vre, mut vim) = (vec![T::zero(); n * n], vec![T::zero(); n * n]);
        let mut vp = Planes {
            re: &mut vre,
            im: &mut vim,
            n,
        };
        vectors::right_eigenvectors(&h, &mut z, &mut vp, par)?;
        balance::undo(vp.re, n, n, &bal);
        balance::undo(vp.im, n, n, &bal);
        normalize(&mut vp);
        v.copy_from(vp.view().as_ref());
    }
    for x in w.iter_mut() {
        let mut parts = [x.re, x.im];
        scale_pow2(&mut parts, -exponent);
        *x = Complex::new(parts[0], parts[1]);
    }
    Ok(())
}

/// Balances `h` in place (permutation and scaling, `zgebal` with `'B'`). The real balancing's
/// decisions depend only on which entries are zero, on row and column 2-norms and on the
/// largest entries, all of which a matrix of the moduli `|h[i, j]|` shares with `h`; so it
/// runs there and its permutation and power-of-2 scaling are then replayed on both planes.
fn balance_planes<T: Scalar>(h: &mut Planes<'_, T>) -> Balancing<T> {
    let n = h.n;
    let mut moduli: Vec<T> =
        h.re.iter()
            .zip(h.im.iter())
            .map(|(x, y)| x.hypot(*y))
            .collect();
    let bal = balance::balance(&mut moduli, n, true);
    // The exchanges in the order they were made: the bottom ones (from row n − 1 upwards),
    // then the top ones (from row 0 downwards).
    for k in (bal.hi..n).rev().chain(0..bal.lo) {
        let p = bal.perm[k];
        if p != k {
            for plane in [&mut *h.re, &mut *h.im] {
                for r in 0..n {
                    plane.swap(r + p * n, r + k * n);
                }
                for c in 0..n {
                    plane.swap(p + c * n, k + c * n);
                }
            }
        }
    }
    // h[i, j]·d_j/d_i with d = 2^e: one exact power-of-2 scaling per entry.
    let e: Vec<i32> = bal
        .scale
        .iter()
        .map(|&s| Scalar::to_f64(s).log2().round() as i32)
        .collect();
    if e.iter().any(|&k| k != 0) {
        for j in 0..n {
            for i in 0..n {
                let k = e[j] - e[i];
                if k != 0 {
                    let p = i + j * n;
                    let mut parts = [h.re[p], h.im[p]];
                    scale_pow2(&mut parts, k);
                    (h.re[p], h.im[p]) = (parts[0], parts[1]);
                }
            }
        }
    }
    bal
}

/// Each column of `v` to Euclidean norm 1, then multiplied by the unit complex number that
/// makes its largest-modulus component real and positive (`zgeev`).
fn normalize<T: Scalar>(v: &mut Planes<'_, T>) {
    let n = v.n;
    for j in 0..n {
        let re = MatRef::from_col_major(&v.re[j * n..(j + 1) * n], n, 1).expect("column");
        let im = MatRef::from_col_major(&v.im[j * n..(j + 1) * n], n, 1).expect("column");
        let norm = nrm2(re).hypot(nrm2(im));
        let s = if norm > T::zero() {
            T::one() / norm
        } else {
            T::one()
        };
        let mut k = 0;
        let mut best = -T::one();
        for i in 0..n {
            let z = v.get(i, j) * s;
            v.set(i, j, z);
            let m = z.norm_sqr();
            if m > best {
                (best, k) = (m, i);
            }
        }
        let vk = v.get(k, j);
        let r = vk.re.hypot(vk.im);
        if r > T::zero() {
            let phase = Complex::new(vk.re / r, -vk.im / r);
            for i in 0..n {
                let z = v.get(i, j) * phase;
                v.set(i, j, z);
            }
            v.set(k, j, Complex::new(r, T::zero()));
        }
    }
}
