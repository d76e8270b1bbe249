//! `qr`: numpy's `np.linalg.qr(a, mode)`, real and complex.

use lapis_factor::complex::{self as fcomplex, CMat, Complex};
use lapis_factor::qr as fqr;
use lapis_kernels::MatMut;

use super::convert::conv;
use super::split;
use super::stack::{Stack, for_each, out_shape, stacked_2d};
use crate::{Array, ArrayBase, Data, Inexact, LinalgError, Number};

/// numpy's `mode` argument of [`qr`]. For `A` of shape `(…, m, n)` and `k = min(m, n)`:
///
/// ```
/// use lapis::linalg::QrMode;
/// // numpy: np.linalg.qr(a) uses mode='reduced'
/// assert_eq!(QrMode::default(), QrMode::Reduced);
/// ```
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum QrMode {
    /// `'reduced'` (the default): `Q` `(…, m, k)` and `R` `(…, k, n)`.
    #[default]
    Reduced,
    /// `'complete'`: `Q` `(…, m, m)` and `R` `(…, m, n)`.
    Complete,
    /// `'r'`: `R` `(…, k, n)` only.
    R,
    /// `'raw'`: LAPACK's compact form, `h` `(…, n, m)` and `tau` `(…, k)`.
    Raw,
}

/// What [`qr`] returns, by mode (numpy returns a `QRResult(Q, R)`, an array, or a pair).
#[derive(Clone, Debug, PartialEq)]
pub enum QrResult<T: Number> {
    /// `'reduced'` and `'complete'`: `A = Q·R`, `Q` with orthonormal columns, `R` upper
    /// triangular (trapezoidal).
    QR {
        /// The orthonormal factor.
        q: Array<T>,
        /// The upper-triangular factor.
        r: Array<T>,
    },
    /// `'r'`: only `R`.
    R(Array<T>),
    /// `'raw'`: the Householder reflectors and `R` as LAPACK's `geqrf` leaves them, in
    /// numpy's layout: `h` is the **transpose** of the compact `m × n` array, shape
    /// `(…, n, m)` — row `j` of `h` is column `j` of the compact form, with `R[0..=j, j]` in
    /// `h[j, 0..=j]` and the reflector `v_j` (leading 1 implied) in `h[j, j+1..m]`; `tau`
    /// `(…, k)` holds the reflectors' scales, `H_j = I − tau_j·v_j·v_jᴴ`, `Q = H_0⋯H_{k−1}`
    /// (for complex input `tau` is complex and `h` is not conjugated, as numpy's).
    Raw {
        /// The compact factorization, transposed (`(…, n, m)`).
        h: Array<T>,
        /// The reflectors' scales (`(…, k)`).
        tau: Array<T>,
    },
}

impl<T: Number> QrResult<T> {
    /// `(Q, R)` for the modes `Reduced` and `Complete`, `None` otherwise.
    ///
    /// ```
    /// use lapis::{array, linalg::{self, QrMode}};
    /// // numpy: q, r = np.linalg.qr(a)
    /// let (q, r) = linalg::qr(&array![[3., 1.], [4., 2.]], QrMode::Reduced).unwrap().into_qr().unwrap();
    /// assert_eq!((q.shape(), r.shape()), (&[2, 2][..], &[2, 2][..]));
    /// ```
    pub fn into_qr(self) -> Option<(Array<T>, Array<T>)> {
        match self {
            QrResult::QR { q, r } => Some((q, r)),
            _ => None,
        }
    }

    /// `R` for every mode except `Raw`.
    ///
    /// ```
    /// use lapis::{array, linalg::{self, QrMode}};
    /// // numpy: r = np.linalg.qr(a, mode='r')
    /// let r: lapis::Array<f64> = linalg::qr(&array![[3., 1.], [4., 2.]], QrMode::R).unwrap().into_r().unwrap();
    /// assert!((r[[0, 0]].abs() - 5.0).abs() < 1e-14);
    /// ```
    pub fn into_r(self) -> Option<Array<T>> {
        match self {
            QrResult::QR { r, .. } | QrResult::R(r) => Some(r),
            QrResult::Raw { .. } => None,
        }
    }

    /// `(h, tau)` for the mode `Raw`.
    ///
    /// ```
    /// use lapis::{array, linalg::{self, QrMode}};
    /// // numpy: h, tau = np.linalg.qr(np.ones((3, 2)), mode='raw')  -> h.shape == (2, 3)
    /// let (h, tau) = linalg::qr(&lapis::Array::<f64>::ones(&[3, 2]), QrMode::Raw)
    ///     .unwrap()
    ///     .into_raw()
    ///     .unwrap();
    /// assert_eq!((h.shape(), tau.shape()), (&[2, 3][..], &[2][..]));
    /// ```
    pub fn into_raw(self) -> Option<(Array<T>, Array<T>)> {
        match self {
            QrResult::Raw { h, tau } => Some((h, tau)),
            _ => None,
        }
    }
}

/// A complex factorization in compact form: reflectors and `R` in split storage, and the
/// reflectors' scales.
type Compact<F> = (CMat<F>, Vec<Complex<F>>);

/// The QR decomposition `A = Q·R` of an `m × n` matrix or of every matrix of a stack (numpy's
/// `np.linalg.qr(a, mode)`), by blocked Householder reflections (LAPACK `geqrf`, `orgqr`; for
/// complex input `zgeqrf`, `zungqr`, with `Q` unitary). Accepts `f32`, `f64`, `c32`, `c64`.
///
/// The signs are LAPACK's, as numpy's: `r_jj` may be negative (and is real also for complex
/// input). See [`QrMode`] for the shapes and [`QrResult`] for what each mode returns; stacks
/// `(…, m, n)` are factored matrix by matrix, in parallel.
///
/// Errors: [`LinalgError::Shape`] for fewer than 2 axes; [`LinalgError::NonFinite`] for NaN
/// or infinite input (numpy would return NaNs).
///
/// ```
/// use lapis::{array, c64, linalg::{self, QrMode}, matmul, Array};
/// // numpy: q, r = np.linalg.qr([[3., 1.], [4., 2.]])
/// let a = array![[3., 1.], [4., 2.]];
/// let (q, r) = linalg::qr(&a, QrMode::Reduced).unwrap().into_qr().unwrap();
/// assert!(lapis::allclose(&r, &array![[-5., -2.2], [0., 0.4]]).unwrap());
/// assert!(lapis::allclose(&matmul(&q, &r).unwrap(), &a).unwrap());
/// // numpy: np.linalg.qr(np.array([[3j], [4]]), mode='r')  -> [[-5.+0.j]]
/// let z = Array::from_shape_vec(&[2, 1], vec![c64::new(0., 3.), c64::new(4., 0.)]).unwrap();
/// let r = linalg::qr(&z, QrMode::R).unwrap().into_r().unwrap();
/// assert!((r[[0, 0]] - c64::new(-5., 0.)).norm() < 1e-15);
/// ```
pub fn qr<T, S>(a: &ArrayBase<S>, mode: QrMode) -> Result<QrResult<T>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    const OP: &str = "qr";
    let (batch, m, n) = stacked_2d(OP, a)?;
    let k = m.min(n);
    let st = Stack::new(a, &batch);
    let shapes: [&[usize]; 1] = [a.shape()];
    let err = conv(OP, &shapes);
    let p = if T::IS_COMPLEX { 2 } else { 1 };
    let flops = p * p * 2 * m * n * k + 1;
    let count = st.count();
    // The real path: factor the column-major copy `buf` in place.
    let factor = |buf: &mut [T::Float], tau: &mut [T::Float], par| -> Result<(), LinalgError> {
        if k > 0 {
            let mat = MatMut::from_col_major(buf, m, n).expect("m × n workspace");
            fqr::factor(mat, tau, par).map_err(&err)?;
        }
        Ok(())
    };
    // The complex path: matrix `i` factored in split storage.
    let factor_complex = |i: usize, par| -> Result<Compact<T::Float>, LinalgError> {
        let mut c = split::copy(&st, i);
        let zero = T::Float::default();
        let mut tau = vec![Complex::new(zero, zero); k];
        fcomplex::qr::factor(c.as_mut(), &mut tau, par).map_err(&err)?;
        Ok((c, tau))
    };
    if mode == QrMode::Raw {
        // The column-major compact form read in C order is numpy's h = compact.T: factor
        // straight into the output.
        let (h_shape, h_size) = out_shape(&batch, &[n, m])?;
        let (tau_shape, tau_size) = out_shape(&batch, &[k])?;
        let mut h = vec![T::default(); h_size];
        let mut tau = vec![T::default(); tau_size];
        for_each(
            count,
            vec![
                (bytemuck::cast_slice_mut(&mut h[..]), p * m * n),
                (bytemuck::cast_slice_mut(&mut tau[..]), p * k),
            ],
            flops,
            || (),
            |i, o, _: &mut (), par| {
                let (hs, ts) = o.split_at_mut(1);
                if T::IS_COMPLEX {
                    let (c, tc) = factor_complex(i, par)?;
                    c.write_interleaved(hs[0], 2, 2 * m);
                    for (j, t) in tc.iter().enumerate() {
                        (ts[0][2 * j], ts[0][2 * j + 1]) = (t.re, t.im);
                    }
                    Ok(())
                } else {
                    st.copy_col_major(i, bytemuck::cast_slice_mut::<T::Float, T>(hs[0]));
                    factor(hs[0], ts[0], par)
                }
            },
        )?;
        return Ok(QrResult::Raw {
            h: Array::from_shape_vec(&h_shape, h)?,
            tau: Array::from_shape_vec(&tau_shape, tau)?,
        });
    }
    let (q_cols, r_rows) = match mode {
        QrMode::Complete => (m, m),
        _ => (k, k),
    };
    let want_q = mode != QrMode::R;
    let (r_shape, r_size) = out_shape(&batch, &[r_rows, n])?;
    let (q_shape, q_size) = out_shape(&batch, &[m, q_cols])?;
    let mut r = vec![T::default(); r_size];
    let mut q = vec![T::default(); if want_q { q_size } else { 0 }];
    let mut outs = vec![(bytemuck::cast_slice_mut(&mut r[..]), p * r_rows * n)];
    if want_q {
        outs.push((bytemuck::cast_slice_mut(&mut q[..]), p * m * q_cols));
    }
    for_each(
        count,
        outs,
        flops
            + if want_q {
                p * p * 2 * m * q_cols * k
            } else {
                0
            },
        || (Vec::new(), Vec::new()),
        |i, o, (work, tau): &mut (Vec<T>, Vec<T::Float>), par| {
            if T::IS_COMPLEX {
                let (c, tc) = factor_complex(i, par)?;
                let (cv, rd) = (c.as_ref(), &mut *o[0]);
                for row in 0..r_rows.min(m) {
                    for col in row..n {
                        let z = cv.get(row, col);
                        let at = 2 * (row * n + col);
                        (rd[at], rd[at + 1]) = (z.re, z.im);
                    }
                }
                if want_q && m > 0 && q_cols > 0 {
                    let mut qc = CMat::zeros(m, q_cols);
                    fcomplex::qr::form_q(cv, &tc, qc.as_mut(), par).map_err(&err)?;
                    qc.write_interleaved(&mut *o[1], 2 * q_cols, 2);
                }
                return Ok(());
            }
            work.resize(m * n, T::default());
            st.copy_col_major(i, work);
            let buf: &mut [T::Float] = bytemuck::cast_slice_mut(&mut work[..]);
            tau.resize(k, T::Float::default());
            factor(buf, tau, par)?;
            let rd = &mut *o[0];
            for row in 0..r_rows.min(m) {
                for c in row..n {
                    rd[row * n + c] = buf[row + c * m];
                }
            }
            if want_q && m > 0 && q_cols > 0 {
                let qm = MatMut::from_row_major(&mut *o[1], m, q_cols).expect("m × p chunk");
                let compact = lapis_kernels::MatRef::from_col_major(buf, m, n).expect("m × n");
                fqr::form_q(compact, tau, qm, par).map_err(&err)?;
            }
            Ok(())
        },
    )?;
    let r = Array::from_shape_vec(&r_shape, r)?;
    if want_q {
        Ok(QrResult::QR {
            q: Array::from_shape_vec(&q_shape, q)?,
            r,
        })
    } else {
        Ok(QrResult::R(r))
    }
}
