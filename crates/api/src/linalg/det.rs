//! `det` and `slogdet`: numpy's `np.linalg.det(a)` and `np.linalg.slogdet(a)`.

use lapis_factor::complex::{self, CMat};
use lapis_factor::lu;
use lapis_kernels::MatMut;

use super::convert::conv;
use super::stack::{Stack, for_each, out_shape, stacked_square};
use super::{small, split};
use crate::{Array, ArrayBase, Data, Element, Inexact, LinalgError, Number, Scalar};

/// numpy's `SlogdetResult(sign, logabsdet)`: `det = sign · exp(logabsdet)`.
///
/// Both arrays have the shape of the stack (0-d for a single matrix; `.item()` gives the
/// number). For a complex matrix `sign` is complex and `logabsdet` real, as numpy's.
#[derive(Clone, Debug, PartialEq)]
pub struct SlogdetResult<T: Inexact> {
    /// `1` or `-1` (`0` for a singular matrix); for a complex matrix, `det / |det|`, a
    /// complex number of modulus 1.
    pub sign: Array<T>,
    /// `ln |det|` (`-∞` for a singular matrix), real.
    pub logabsdet: Array<T::Float>,
}

/// The kind of determinant wanted from one LU factorization.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Kind {
    Det,
    Slogdet,
}

/// The determinant of a square matrix or of every matrix of a stack (numpy's
/// `np.linalg.det(a)`), from its LU factorization: `det A = ±∏ u_ii`.
///
/// Returns an array of the stack's shape: 0-d for a single matrix (`.item()` gives the
/// number, as numpy's scalar result), `(…)` for a stack `(…, n, n)`. The pivots' product is
/// accumulated without intermediate overflow or underflow; it overflows only when the
/// determinant itself is out of range (then use [`slogdet`]). Real or complex input (complex
/// LU, complex determinant). A singular matrix gives `0`
/// (no error, as numpy), the `(0, 0)` matrix gives `1`.
///
/// Errors: [`LinalgError::NotSquare`]; [`LinalgError::Shape`] for fewer than 2 axes;
/// [`LinalgError::NonFinite`] for NaN or infinite input (numpy returns NaN).
///
/// ```
/// use lapis::{array, linalg};
/// // numpy: np.linalg.det([[1., 2.], [3., 4.]])  -> -2.0000000000000004
/// let d: lapis::Array<f64> = linalg::det(&array![[1., 2.], [3., 4.]]).unwrap();
/// assert_eq!(d.ndim(), 0);
/// assert!((d.item().unwrap() + 2.0).abs() < 1e-14);
/// // numpy: np.linalg.det(np.zeros((0, 0)))  -> 1.0
/// assert_eq!(linalg::det(&lapis::Array::<f64>::zeros(&[0, 0])).unwrap().item(), Some(1.0));
/// // numpy: np.linalg.det([[1, 2j], [1j, 1]])  -> (3+0j)
/// use lapis::c64;
/// let z = |re, im| c64::new(re, im);
/// let d = linalg::det(&array![[z(1., 0.), z(0., 2.)], [z(0., 1.), z(1., 0.)]]).unwrap();
/// assert!((d.item().unwrap() - z(3., 0.)).norm() < 1e-15);
/// ```
pub fn det<T, S>(a: &ArrayBase<S>) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    let (batch, n) = stacked_square("det", a)?;
    let (shape, count) = out_shape(&batch, &[])?;
    // det of the 0 × 0 matrix is 1 (the empty product).
    let mut out = vec![<T as Number>::one(); count];
    if n > 0 && count > 0 {
        let st = Stack::new(a, &batch);
        let shapes: [&[usize]; 1] = [a.shape()];
        if T::IS_COMPLEX {
            run_complex(
                "det",
                &st,
                bytemuck::cast_slice_mut(&mut out),
                None,
                &shapes,
            )?;
        } else {
            let first = bytemuck::cast_slice_mut(&mut out);
            run_real("det", st.real(), Kind::Det, first, &mut [], &shapes)?;
        }
    }
    Array::from_shape_vec(&shape, out)
}

/// The sign and the natural logarithm of the absolute value of the determinant (numpy's
/// `np.linalg.slogdet(a)`), for a square matrix or a stack of them: `det = sign ·
/// exp(logabsdet)` without overflow, whatever the size of the determinant.
///
/// A singular matrix gives `sign = 0`, `logabsdet = -∞`; the `(0, 0)` matrix gives `(1, 0)`.
/// Errors as [`det`].
///
/// ```
/// use lapis::{array, linalg, Array};
/// // numpy: sign, logabsdet = np.linalg.slogdet(1e200 * np.eye(2))  -> (1.0, 921.03...)
/// let r = linalg::slogdet(&(&Array::<f64>::eye(2) * 1e200)).unwrap();
/// assert_eq!(r.sign.item(), Some(1.0));
/// assert!((r.logabsdet.item().unwrap() - 400.0 * 10f64.ln()).abs() < 1e-10);
/// // numpy: np.linalg.slogdet([[1., 2.], [2., 4.]])  -> (0.0, -inf)
/// let s = linalg::slogdet(&array![[1., 2.], [2., 4.]]).unwrap();
/// assert_eq!((s.sign.item(), s.logabsdet.item()), (Some(0.0), Some(f64::NEG_INFINITY)));
/// // numpy: np.linalg.slogdet([[1j, 0], [0, 2]])  -> (1j, 0.6931...): complex sign, real log
/// use lapis::c64;
/// let z = |re, im| c64::new(re, im);
/// let c = linalg::slogdet(&array![[z(0., 1.), z(0., 0.)], [z(0., 0.), z(2., 0.)]]).unwrap();
/// assert!((c.sign.item().unwrap() - z(0., 1.)).norm() < 1e-15);
/// let l: f64 = c.logabsdet.item().unwrap();
/// assert!((l - 2f64.ln()).abs() < 1e-15);
/// ```
pub fn slogdet<T, S>(a: &ArrayBase<S>) -> Result<SlogdetResult<T>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    const OP: &str = "slogdet";
    let (batch, n) = stacked_square(OP, a)?;
    let (shape, count) = out_shape(&batch, &[])?;
    // slogdet of the 0 × 0 matrix is (1, 0).
    let mut sign = vec![<T as Number>::one(); count];
    let mut logabsdet = vec![T::Float::default(); count];
    if n > 0 && count > 0 {
        let st = Stack::new(a, &batch);
        let shapes: [&[usize]; 1] = [a.shape()];
        let parts = bytemuck::cast_slice_mut(&mut sign);
        if T::IS_COMPLEX {
            run_complex(OP, &st, parts, Some(&mut logabsdet), &shapes)?;
        } else {
            run_real(OP, st.real(), Kind::Slogdet, parts, &mut logabsdet, &shapes)?;
        }
    }
    Ok(SlogdetResult {
        sign: Array::from_shape_vec(&shape, sign)?,
        logabsdet: Array::from_shape_vec(&shape, logabsdet)?,
    })
}

/// The real path into `first` (`det` or `sign`) and `second` (`logabsdet`, `slogdet` only):
/// the tiny unrolled LU for `n ≤ 4`, the blocked one otherwise.
fn run_real<T: Scalar + Element>(
    op: &'static str,
    st: Stack<'_, T>,
    kind: Kind,
    first: &mut [T],
    second: &mut [T],
    shapes: &[&[usize]],
) -> Result<(), LinalgError> {
    let (n, count) = (st.rows, st.count());
    let per = if kind == Kind::Det { 1 } else { 2 };
    if n <= small::MAX_N {
        let mut inter = vec![T::default(); count * per];
        small::det(&st, &mut inter, per)?;
        for (i, v) in inter.chunks(per).enumerate() {
            first[i] = v[0];
            if per == 2 {
                second[i] = v[1];
            }
        }
        return Ok(());
    }
    let err = conv(op, shapes);
    let mut outs = vec![(first, 1)];
    if per == 2 {
        outs.push((second, 1));
    }
    for_each(
        count,
        outs,
        n * n * n / 3 + 1,
        || (vec![T::default(); n * n], vec![0usize; n]),
        |i, o, (buf, ipiv), par| {
            st.copy_col_major(i, buf);
            let mut m = MatMut::from_col_major(buf, n, n).expect("n × n workspace");
            lu::factor(m.rb(), ipiv, par).map_err(&err)?;
            if kind == Kind::Det {
                o[0][0] = lu::det(m.as_ref(), ipiv).map_err(&err)?;
            } else {
                let (s, l) = lu::slogdet(m.as_ref(), ipiv).map_err(&err)?;
                o[0][0] = s;
                o[1][0] = l;
            }
            Ok(())
        },
    )?;
    Ok(())
}

/// The complex path: `first` holds the parts of `det` (or of `sign`), two per matrix;
/// `logabsdet` is given for `slogdet`.
fn run_complex<T: Inexact>(
    op: &'static str,
    st: &Stack<'_, T>,
    first: &mut [T::Float],
    logabsdet: Option<&mut [T::Float]>,
    shapes: &[&[usize]],
) -> Result<(), LinalgError> {
    let (n, count) = (st.rows, st.count());
    let err = conv(op, shapes);
    let slog = logabsdet.is_some();
    let mut outs = vec![(first, 2)];
    if let Some(l) = logabsdet {
        outs.push((l, 1));
    }
    for_each(
        count,
        outs,
        4 * (n * n * n / 3 + 1),
        || (CMat::zeros(n, n), vec![0usize; n]),
        |i, o, (m, ipiv), par| {
            split::load(st, i, m);
            complex::lu::factor(m.as_mut(), ipiv, par).map_err(&err)?;
            let z = if slog {
                let (s, l) = complex::lu::slogdet(m.as_ref(), ipiv).map_err(&err)?;
                o[1][0] = l;
                s
            } else {
                complex::lu::det(m.as_ref(), ipiv).map_err(&err)?
            };
            o[0][0] = z.re;
            o[0][1] = z.im;
            Ok(())
        },
    )?;
    Ok(())
}
