//! `norm` and `cond`: numpy's `np.linalg.norm(x, ord, axis, keepdims)` and
//! `np.linalg.cond(x, p)`.

use lapis_factor::lu;
use lapis_kernels::{MatMut, MatRef, Par};

use super::convert::factor_error;
use super::pinv::pinv_complex;
use super::stack::{Stack, for_each, out_shape, stacked_2d, stacked_square};
use super::svd::{parts, planes, svd_planes};
use crate::array::shape::normalize_axis;
use crate::{Array, ArrayBase, Data, Inexact, LinalgError, Number, Scalar};

/// numpy's `ord` argument of [`norm`] and `p` of [`cond`] (`None`, numpy's default, is
/// `Option::None` there).
///
/// | numpy | `Ord` | vector norm | matrix norm |
/// |---|---|---|---|
/// | `'fro'` | `Fro` | error | Frobenius |
/// | `'nuc'` | `Nuc` | error | sum of singular values |
/// | `inf` | `Inf` | `max(abs(x))` | `max(sum(abs(x), axis=1))` |
/// | `-inf` | `NegInf` | `min(abs(x))` | `min(sum(abs(x), axis=1))` |
/// | `0` | `P(0.)` | `count_nonzero(x)` | error |
/// | `1` | `P(1.)` | `sum(abs(x))` | `max(sum(abs(x), axis=0))` |
/// | `-1` | `P(-1.)` | `sum(abs(x)**-1)**-1` | `min(sum(abs(x), axis=0))` |
/// | `2` | `P(2.)` | 2-norm | largest singular value |
/// | `-2` | `P(-2.)` | `sum(abs(x)**-2)**-0.5` | smallest singular value |
/// | other `p` | `P(p)` | `sum(abs(x)**p)**(1/p)` | error |
///
/// `P(f64::INFINITY)` is `Inf` and `P(f64::NEG_INFINITY)` is `NegInf`.
///
/// ```
/// use lapis::{array, linalg::{self, Ord}};
/// // numpy: np.linalg.norm([3., -4.], ord=np.inf)  -> 4.0
/// let r = linalg::norm(&array![3., -4.], Some(Ord::Inf), None, false).unwrap();
/// assert_eq!(r.item().unwrap(), 4.0);
/// ```
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Ord {
    /// `'fro'`: the Frobenius norm (matrices only).
    Fro,
    /// `'nuc'`: the nuclear norm (matrices only).
    Nuc,
    /// `inf`.
    Inf,
    /// `-inf`.
    NegInf,
    /// A number `p`.
    P(f64),
}

impl Ord {
    /// `P(±inf)` as `Inf`/`NegInf`.
    fn canonical(self) -> Ord {
        match self {
            Ord::P(p) if p == f64::INFINITY => Ord::Inf,
            Ord::P(p) if p == f64::NEG_INFINITY => Ord::NegInf,
            o => o,
        }
    }
}

/// A matrix norm numpy knows.
#[derive(Copy, Clone, Debug, PartialEq)]
enum MatOrd {
    Fro,
    Nuc,
    One,
    NegOne,
    Two,
    NegTwo,
    Inf,
    NegInf,
}

impl MatOrd {
    fn parse(op: &'static str, ord: Option<Ord>) -> Result<MatOrd, LinalgError> {
        Ok(match ord.map(Ord::canonical) {
            None | Some(Ord::Fro) => MatOrd::Fro,
            Some(Ord::Nuc) => MatOrd::Nuc,
            Some(Ord::Inf) => MatOrd::Inf,
            Some(Ord::NegInf) => MatOrd::NegInf,
            Some(Ord::P(1.0)) => MatOrd::One,
            Some(Ord::P(-1.0)) => MatOrd::NegOne,
            Some(Ord::P(2.0)) => MatOrd::Two,
            Some(Ord::P(-2.0)) => MatOrd::NegTwo,
            Some(Ord::P(_)) => {
                return Err(LinalgError::invalid(op, "Invalid norm order for matrices."));
            }
        })
    }

    /// Whether the norm needs the singular values.
    fn spectral(self) -> bool {
        matches!(self, MatOrd::Nuc | MatOrd::Two | MatOrd::NegTwo)
    }
}

/// `|x|` (one name for the two `abs` of `Scalar + Number`).
fn abs<T: Scalar>(x: T) -> T {
    if x < T::zero() { -x } else { x }
}

/// `max` that propagates NaN (numpy's `amax`).
fn nan_max<T: Scalar>(a: T, b: T) -> T {
    if a.is_nan() || b.is_nan() {
        T::nan()
    } else if a > b {
        a
    } else {
        b
    }
}

/// `min` that propagates NaN (numpy's `amin`).
fn nan_min<T: Scalar>(a: T, b: T) -> T {
    if a.is_nan() || b.is_nan() {
        T::nan()
    } else if a < b {
        a
    } else {
        b
    }
}

/// The 2-norm of `xs` without overflow or underflow in the squares (LAPACK `lassq`'s scaled
/// sum of squares): `scale·√ssq` with every `|x| ≤ scale`.
fn nrm2<T: Scalar>(xs: impl Iterator<Item = T>) -> T {
    let (mut scale, mut ssq) = (T::zero(), T::one());
    let (mut inf, mut nan) = (false, false);
    for x in xs {
        let ax = abs(x);
        if ax.is_nan() {
            nan = true;
        } else if ax.is_infinite() {
            inf = true;
        } else if ax > T::zero() {
            if scale < ax {
                let r = scale / ax;
                ssq = T::one() + ssq * r * r;
                scale = ax;
            } else {
                let r = ax / scale;
                ssq += r * r;
            }
        }
    }
    if nan {
        T::nan()
    } else if inf {
        T::infinity()
    } else {
        scale * ssq.sqrt()
    }
}

/// numpy's general vector `p`-norm `sum(abs(x)**p)**(1/p)`, scaled by the largest (`p > 0`)
/// or smallest (`p < 0`) magnitude so that no power overflows.
fn pnorm<T: Scalar>(xs: &[T], p: f64) -> T {
    if p.is_nan() || xs.iter().any(|x| x.is_nan()) {
        return T::nan();
    }
    let pt = <T as Scalar>::from_f64(p);
    let inv = <T as Scalar>::from_f64(1.0 / p);
    if p > 0.0 {
        let m = xs.iter().fold(T::zero(), |m, &x| nan_max(m, abs(x)));
        if m == T::zero() || m.is_infinite() {
            return m;
        }
        let sum: T = xs.iter().map(|&x| (abs(x) / m).powf(pt)).sum();
        m * sum.powf(inv)
    } else {
        // p < 0: 0**p = inf makes the sum inf and the norm 0; an empty sum gives inf.
        let m = xs.iter().fold(T::infinity(), |m, &x| nan_min(m, abs(x)));
        if m == T::zero() || m.is_infinite() {
            return m;
        }
        let sum: T = xs.iter().map(|&x| (abs(x) / m).powf(pt)).sum();
        m * sum.powf(inv)
    }
}

/// A vector norm of `xs` (numpy's single-axis branch).
fn vector_norm<T: Scalar>(xs: &[T], ord: Option<Ord>) -> T {
    match ord.map(Ord::canonical) {
        None => nrm2(xs.iter().copied()),
        Some(Ord::Inf) => xs.iter().fold(T::zero(), |m, &x| nan_max(m, abs(x))),
        Some(Ord::NegInf) => xs.iter().fold(T::infinity(), |m, &x| nan_min(m, abs(x))),
        Some(Ord::P(0.0)) => {
            <T as Scalar>::from_f64(xs.iter().filter(|&&x| x != T::zero()).count() as f64)
        }
        Some(Ord::P(1.0)) => xs.iter().map(|&x| abs(x)).sum(),
        Some(Ord::P(2.0)) => nrm2(xs.iter().copied()),
        Some(Ord::P(p)) => pnorm(xs, p),
        Some(Ord::Fro | Ord::Nuc) => unreachable!("rejected before"),
    }
}

/// A matrix norm of `a` given as planes (its values, or its real and imaginary parts); `s`
/// is a workspace for the singular values.
fn matrix_norm<T: Scalar>(
    (re, im): (MatRef<'_, T>, Option<MatRef<'_, T>>),
    ord: MatOrd,
    s: &mut Vec<T>,
    par: Par,
) -> Result<T, lapis_factor::FactorError> {
    let (m, n) = re.shape();
    let mag = |i: usize, j: usize| match im {
        None => abs(re.get(i, j)),
        Some(im) => re.get(i, j).hypot(im.get(i, j)),
    };
    let col_sum = |j: usize| (0..m).map(|i| mag(i, j)).sum::<T>();
    let row_sum = |i: usize| (0..n).map(|j| mag(i, j)).sum::<T>();
    Ok(match ord {
        MatOrd::Fro => nrm2((0..n).flat_map(|j| (0..m).map(move |i| mag(i, j)))),
        MatOrd::One => (0..n).fold(T::zero(), |r, j| nan_max(r, col_sum(j))),
        MatOrd::NegOne => (0..n).fold(T::infinity(), |r, j| nan_min(r, col_sum(j))),
        MatOrd::Inf => (0..m).fold(T::zero(), |r, i| nan_max(r, row_sum(i))),
        MatOrd::NegInf => (0..m).fold(T::infinity(), |r, i| nan_min(r, row_sum(i))),
        MatOrd::Nuc | MatOrd::Two | MatOrd::NegTwo => {
            let k = m.min(n);
            s.resize(k, T::zero());
            if k > 0 {
                svd_planes((re, im), s, None, None, par)?;
            }
            match ord {
                MatOrd::Nuc => s.iter().copied().sum(),
                MatOrd::Two => s.first().copied().unwrap_or(T::zero()),
                _ => s.last().copied().unwrap_or(T::infinity()),
            }
        }
    })
}

fn zero_size(op: &'static str, what: &str) -> LinalgError {
    LinalgError::invalid(
        op,
        format!("zero-size array to reduction operation {what} which has no identity"),
    )
}

/// The norm of a vector, a matrix, or of every vector or matrix along the given axes (numpy's
/// `np.linalg.norm(x, ord=None, axis=None, keepdims=False)`), with numpy's dispatch:
///
/// * `axis = None`: with `ord = None`, the 2-norm of `x` flattened, whatever its
///   dimensions; otherwise `x` must be 1-D (a vector norm) or 2-D (a matrix norm);
/// * `axis = Some(&[i])`: a vector norm along axis `i` of every vector;
/// * `axis = Some(&[i, j])`: a matrix norm of every matrix with rows along axis `i` and
///   columns along `j` (`(-2, -1)` for a stack).
///
/// See [`Ord`](enum@Ord) for the norms. The result has `x`'s shape without the reduced axes (a 0-d
/// array when all are reduced: read it with [`item`](crate::ArrayBase::item)), or with them
/// as length 1 when `keepdims`. 2-norms are scaled sums of squares: no overflow for entries
/// near `f64::MAX`, no underflow for tiny ones.
///
/// Empty input follows numpy 2.4: the norms that reduce by a sum or a maximum give `0`
/// (`max(..., initial=0)`), those that reduce by a minimum (`NegInf`, `P(-1.)`, `P(-2.)`
/// for matrices, `NegInf` for vectors) are an error over an empty axis.
///
/// Errors ([`LinalgError::InvalidArgument`], numpy's `ValueError`): `Fro`/`Nuc` for
/// vectors, `P(p)` other than `±1`, `±2` for matrices, duplicate axes, more than two axes,
/// a minimum over an empty axis; [`LinalgError::AxisOutOfBounds`]. NaN and infinities
/// propagate as in numpy through the entry-wise norms; the singular-value norms (`P(±2.)`,
/// `Nuc`) report [`LinalgError::NonFinite`] instead.
///
/// ```
/// use lapis::{array, linalg::{self, Ord}};
/// // numpy: np.linalg.norm([[1., -2.], [3., 4.]])  -> sqrt(30)
/// let a = array![[1f64, -2.], [3., 4.]];
/// let f = linalg::norm(&a, None, None, false).unwrap();
/// assert!((f.item().unwrap() - 30f64.sqrt()).abs() < 1e-15);
/// // numpy: np.linalg.norm(a, 1)  -> 6.0 (largest column sum); np.inf -> 7.0 (largest row sum)
/// assert_eq!(linalg::norm(&a, Some(Ord::P(1.)), None, false).unwrap().item().unwrap(), 6.0);
/// assert_eq!(linalg::norm(&a, Some(Ord::Inf), None, false).unwrap().item().unwrap(), 7.0);
/// // numpy: np.linalg.norm(a, axis=1)  -> [sqrt(5), 5]
/// let rows = linalg::norm(&a, None, Some(&[1]), false).unwrap();
/// assert!(lapis::allclose(&rows, &array![5f64.sqrt(), 5.]).unwrap());
/// // numpy: np.linalg.norm([1., 2.], 'fro')  -> ValueError
/// assert!(linalg::norm(&array![1., 2.], Some(Ord::Fro), None, false).is_err());
/// ```
pub fn norm<T, S>(
    x: &ArrayBase<S>,
    ord: Option<Ord>,
    axis: Option<&[isize]>,
    keepdims: bool,
) -> Result<Array<T::Float>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    const OP: &str = "norm";
    let nd = x.ndim();
    let ord = ord.map(Ord::canonical);
    let axes: Vec<usize> = match axis {
        None => {
            let two = ord == Some(Ord::P(2.0));
            if ord.is_none() || (ord == Some(Ord::Fro) && nd == 2) || (two && nd == 1) {
                let r = nrm2(x.iter().map(|&z| Number::abs(z)));
                let shape = if keepdims { vec![1; nd] } else { Vec::new() };
                return Array::from_shape_vec(&shape, vec![r]);
            }
            (0..nd).collect()
        }
        Some(ax) => ax
            .iter()
            .map(|&a| normalize_axis(a, nd))
            .collect::<Result<_, _>>()?,
    };
    match axes[..] {
        [ax] => {
            if matches!(ord, Some(Ord::Fro | Ord::Nuc)) {
                let name = if ord == Some(Ord::Fro) { "fro" } else { "nuc" };
                return Err(LinalgError::invalid(
                    OP,
                    format!("Invalid norm order '{name}' for vectors"),
                ));
            }
            let len = x.shape()[ax];
            // numpy 2.4: `max(..., initial=0)` for inf, a bare `min` for -inf.
            if len == 0 && ord == Some(Ord::NegInf) {
                return Err(zero_size(OP, "minimum"));
            }
            let mut perm: Vec<usize> = (0..nd).filter(|&d| d != ax).collect();
            perm.push(ax);
            let v = x.permute_axes(&perm)?;
            // Every vector norm is a function of the magnitudes (complex included).
            let data: Vec<T::Float> = v.iter().map(|&z| Number::abs(z)).collect();
            let outer: Vec<usize> = perm[..nd - 1].iter().map(|&d| x.shape()[d]).collect();
            let count: usize = outer.iter().product();
            let out: Vec<T::Float> = if len == 0 {
                vec![vector_norm(&[], ord); count]
            } else {
                data.chunks(len).map(|c| vector_norm(c, ord)).collect()
            };
            let shape = if keepdims {
                let mut s = x.shape().to_vec();
                s[ax] = 1;
                s
            } else {
                outer
            };
            Array::from_shape_vec(&shape, out)
        }
        [r, c] => {
            if r == c {
                return Err(LinalgError::invalid(OP, "Duplicate axes given."));
            }
            let mo = MatOrd::parse(OP, ord)?;
            let (m, n) = (x.shape()[r], x.shape()[c]);
            // numpy 2.4 reduces with `max(..., initial=0)` (empty → 0) but a bare `min`.
            let empty_min = match mo {
                MatOrd::NegOne => n == 0,
                MatOrd::NegInf => m == 0,
                MatOrd::NegTwo => m == 0 || n == 0,
                _ => false,
            };
            if empty_min {
                return Err(zero_size(OP, "minimum"));
            }
            let mut perm: Vec<usize> = (0..nd).filter(|&d| d != r && d != c).collect();
            perm.extend([r, c]);
            let v = x.permute_axes(&perm)?;
            let batch: Vec<usize> = perm[..nd - 2].iter().map(|&d| x.shape()[d]).collect();
            let (_, size) = out_shape(&batch, &[])?;
            let mut out = vec![T::Float::default(); size];
            if m > 0 && n > 0 {
                let st = Stack::new(&v, &batch);
                let shapes: [&[usize]; 1] = [x.shape()];
                let w = parts::<T>();
                let work = if mo.spectral() {
                    w * w * 4 * m * n * m.min(n)
                } else {
                    w * m * n
                };
                for_each(
                    st.count(),
                    vec![(&mut out[..], 1)],
                    work,
                    Vec::new,
                    |i, o, s, par| {
                        o[0][0] = matrix_norm(planes(&st, i), mo, s, par)
                            .map_err(|e| factor_error(OP, &shapes, e))?;
                        Ok(())
                    },
                )?;
            }
            // Empty matrices (the norms left): the sum or initial-0 maximum over nothing is 0.
            let shape = if keepdims {
                let mut s = x.shape().to_vec();
                s[r] = 1;
                s[c] = 1;
                s
            } else {
                batch
            };
            Array::from_shape_vec(&shape, out)
        }
        _ => Err(LinalgError::invalid(
            OP,
            "Improper number of dimensions to norm.",
        )),
    }
}

/// The condition number of a matrix, or of every matrix of a stack, in the norm `p` (numpy's
/// `np.linalg.cond(x, p=None)`).
///
/// `None`, `P(2.)` and `P(-2.)` use the singular values (`σ_max/σ_min`, or its inverse for
/// `-2`; any shape `(…, m, n)`); `Fro`, `Nuc`, `P(±1.)`, `Inf`, `NegInf` are
/// `norm(x, p)·norm(inv(x), p)` of square matrices. A singular matrix (or member of a
/// stack) gives `inf`, not an error, as numpy.
///
/// Errors: [`LinalgError::InvalidArgument`] for an empty matrix (numpy: "cond is not
/// defined on empty arrays") or an order numpy does not accept for matrices;
/// [`LinalgError::NotSquare`] for the inverse-based orders; [`LinalgError::NonFinite`] for
/// NaN or infinite input (numpy returns NaN).
///
/// ```
/// use lapis::{array, linalg::{self, Ord}};
/// // numpy: np.linalg.cond([[1., 0.], [0., 1e-3]])  -> 1000.0
/// let c: f64 = linalg::cond(&array![[1., 0.], [0., 1e-3]], None).unwrap().item().unwrap();
/// assert!((c - 1e3).abs() < 1e-10);
/// // numpy: np.linalg.cond([[1., 2.], [2., 4.]], 1)  -> inf (singular)
/// let s = linalg::cond(&array![[1., 2.], [2., 4.]], Some(Ord::P(1.))).unwrap();
/// assert_eq!(s.item().unwrap(), f64::INFINITY);
/// ```
pub fn cond<T, S>(x: &ArrayBase<S>, p: Option<Ord>) -> Result<Array<T::Float>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    const OP: &str = "cond";
    let (batch, m, n) = stacked_2d(OP, x)?;
    if m == 0 || n == 0 {
        return Err(LinalgError::invalid(
            OP,
            "cond is not defined on empty arrays",
        ));
    }
    let p = p.map(Ord::canonical);
    let shapes: [&[usize]; 1] = [x.shape()];
    let (shape, size) = out_shape(&batch, &[])?;
    let mut out = vec![T::Float::default(); size];
    let st = Stack::new(x, &batch);
    let w = parts::<T>();
    let inf = <T::Float as Scalar>::from_f64(f64::INFINITY);
    if matches!(p, None | Some(Ord::P(2.0)) | Some(Ord::P(-2.0))) {
        let inverse = p == Some(Ord::P(-2.0));
        let k = m.min(n);
        for_each(
            st.count(),
            vec![(&mut out[..], 1)],
            w * w * 4 * m * n * k,
            || vec![T::Float::default(); k],
            |i, o, s, par| {
                svd_planes(planes(&st, i), s, None, None, par)
                    .map_err(|e| factor_error(OP, &shapes, e))?;
                let (hi, lo) = (s[0], s[k - 1]);
                let r = if inverse { lo / hi } else { hi / lo };
                // 0/0 (the zero matrix) is inf too, as numpy's NaN → inf rule.
                o[0][0] = if Number::is_nan(r) { inf } else { r };
                Ok(())
            },
        )?;
        return Array::from_shape_vec(&shape, out);
    }
    let mo = MatOrd::parse(OP, p)?;
    let (_, n) = stacked_square(OP, x)?;
    let zero = T::Float::default();
    for_each(
        st.count(),
        vec![(&mut out[..], 1)],
        w * w * 2 * n * n * n,
        || {
            (
                vec![zero; w * n * n],
                vec![0usize; n],
                Vec::new(),
                (vec![zero; w * n * n], vec![zero; w * n * n]),
            )
        },
        |i, o, (buf, ipiv, s, (ub, vb)), par| {
            let err = |e| factor_error(OP, &shapes, e);
            let a = planes(&st, i);
            let ni = if a.1.is_some() {
                // Complex: the inverse from the SVD, V·Σ⁻¹·Uᴴ; an exactly zero σ is singular.
                let mut sv = vec![zero; n];
                pinv_complex(a, zero, ub, &mut sv, vb, buf, par).map_err(err)?;
                if sv[n - 1] == zero {
                    o[0][0] = inf;
                    return Ok(());
                }
                let at = |off| MatRef::from_slice_with_offset(buf, off, n, n, 2 * n as isize, 2);
                let inv = (at(0).expect("n × n"), Some(at(1).expect("n × n")));
                matrix_norm(inv, mo, s, par).map_err(err)?
            } else {
                if !super::all_finite(a.0) {
                    return Err(LinalgError::NonFinite);
                }
                let mut lu_m = MatMut::from_col_major(buf, n, n).expect("n × n workspace");
                lu_m.copy_from(a.0);
                let status = lu::factor(lu_m.rb(), ipiv, par).map_err(err)?;
                if status.first_zero_pivot.is_some() {
                    o[0][0] = inf;
                    return Ok(());
                }
                lu::inverse(lu_m.rb(), ipiv, par).map_err(err)?;
                matrix_norm((lu_m.as_ref(), None), mo, s, par).map_err(err)?
            };
            let na = matrix_norm(a, mo, s, par).map_err(err)?;
            let r = na * ni;
            o[0][0] = if Number::is_nan(r) { inf } else { r };
            Ok(())
        },
    )?;
    Array::from_shape_vec(&shape, out)
}
