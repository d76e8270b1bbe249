//! `det` and `slogdet`: numpy's `np.linalg.det(a)` and `np.linalg.slogdet(a)`.

use lapis_factor::lu;
use lapis_kernels::MatMut;

use super::convert::conv;
use super::small;
use super::stack::{Stack, for_each, out_shape, stacked_square};
use crate::{Array, ArrayBase, Data, LinalgError, Number, Scalar};

/// numpy's `SlogdetResult(sign, logabsdet)`: `det = sign · exp(logabsdet)`.
///
/// Both arrays have the shape of the stack (0-d for a single matrix; `.item()` gives the
/// number).
#[derive(Clone, Debug, PartialEq)]
pub struct SlogdetResult<T: Number> {
    /// `1` or `-1` (`0` for a singular matrix).
    pub sign: Array<T>,
    /// `ln |det|` (`-∞` for a singular matrix).
    pub logabsdet: Array<T>,
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
/// determinant itself is out of range (then use [`slogdet`]). A singular matrix gives `0`
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
/// ```
pub fn det<T, S>(a: &ArrayBase<S>) -> Result<Array<T>, LinalgError>
where
    T: Scalar + Number,
    S: Data<Elem = T>,
{
    let (shape, mut vals) = run("det", a, Kind::Det)?;
    let v = vals.pop().expect("one output");
    Array::from_shape_vec(&shape, v)
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
/// ```
pub fn slogdet<T, S>(a: &ArrayBase<S>) -> Result<SlogdetResult<T>, LinalgError>
where
    T: Scalar + Number,
    S: Data<Elem = T>,
{
    let (shape, mut vals) = run("slogdet", a, Kind::Slogdet)?;
    let logabsdet = Array::from_shape_vec(&shape, vals.pop().expect("two outputs"))?;
    let sign = Array::from_shape_vec(&shape, vals.pop().expect("two outputs"))?;
    Ok(SlogdetResult { sign, logabsdet })
}

/// The stack's shape and one (`det`) or two (`sign`, `logabsdet`) flat outputs.
fn run<T, S>(
    op: &'static str,
    a: &ArrayBase<S>,
    kind: Kind,
) -> Result<(Vec<usize>, Vec<Vec<T>>), LinalgError>
where
    T: Scalar + Number,
    S: Data<Elem = T>,
{
    let (batch, n) = stacked_square(op, a)?;
    let (_, count) = out_shape(&batch, &[])?;
    let per = if kind == Kind::Det { 1 } else { 2 };
    let st = Stack::new(a, &batch);
    if n == 0 || count == 0 {
        // det of the 0 × 0 matrix is 1 (the empty product); slogdet is (1, 0).
        let mut v = vec![vec![<T as Number>::one(); count]];
        if kind == Kind::Slogdet {
            v.push(vec![T::default(); count]);
        }
        return Ok((batch, v));
    }
    if n <= small::MAX_N {
        let mut inter = vec![T::default(); count * per];
        small::det(&st, &mut inter, per)?;
        let v = (0..per)
            .map(|j| inter.iter().skip(j).step_by(per).copied().collect())
            .collect();
        return Ok((batch, v));
    }
    let shapes: [&[usize]; 1] = [a.shape()];
    let err = conv(op, &shapes);
    let mut first = vec![T::default(); count];
    let mut second = vec![T::default(); if per == 2 { count } else { 0 }];
    let mut outs = vec![(&mut first[..], 1)];
    if per == 2 {
        outs.push((&mut second[..], 1));
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
    let mut v = vec![first];
    if per == 2 {
        v.push(second);
    }
    Ok((batch, v))
}
