//! Creating arrays: `zeros`, `ones`, `full`, `eye`, `identity`, `diag`, `arange`,
//! `linspace`, `from_vec`, `from_shape_vec`, `from_shape_fn`.

use super::shape::{c_strides, checked_size};
use super::{Array, ArrayBase, Data};
use crate::{Element, LinalgError, Number, RealNumber, Scalar};

fn size_or_panic(shape: &[usize]) -> usize {
    checked_size(shape).unwrap_or_else(|_| {
        panic!(
            "array of shape {} is too big: its size overflows",
            crate::error::fmt_shape(shape)
        )
    })
}

impl<T: Element> Array<T> {
    /// An array of `shape` filled with `value` (numpy's `np.full(shape, value)`).
    ///
    /// Panics when the number of elements overflows `isize`.
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.full((2, 2), 7.)
    /// let a = Array::full(&[2, 2], 7.0);
    /// assert_eq!(a.to_vec(), vec![7.0; 4]);
    /// ```
    pub fn full(shape: &[usize], value: T) -> Self {
        let n = size_or_panic(shape);
        Array::from_parts(vec![value; n], shape.to_vec(), c_strides(shape), 0)
    }

    /// An array of `shape` filled with zeros (`false` for `bool`) (numpy's `np.zeros`).
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.zeros((2, 3))
    /// let a = Array::<f64>::zeros(&[2, 3]);
    /// assert_eq!(a.shape(), &[2, 3]);
    /// assert!(a.iter().all(|&x| x == 0.0));
    /// ```
    pub fn zeros(shape: &[usize]) -> Self {
        Self::full(shape, T::default())
    }

    /// A 1-D array holding `v` (numpy's `np.array(v)` for a list).
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.array([1., 2., 3.])
    /// let a = Array::from_vec(vec![1., 2., 3.]);
    /// assert_eq!(a.shape(), &[3]);
    /// ```
    pub fn from_vec(v: Vec<T>) -> Self {
        let n = v.len();
        Array::from_parts(v, vec![n], vec![1], 0)
    }

    /// The elements of `v` (C order) arranged in `shape` (numpy's
    /// `np.array(v).reshape(shape)`); fails when the sizes differ.
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.arange(6.).reshape(2, 3)
    /// let a = Array::from_shape_vec(&[2, 3], vec![0., 1., 2., 3., 4., 5.]).unwrap();
    /// assert_eq!(a[[1, 0]], 3.0);
    /// assert!(Array::from_shape_vec(&[4, 2], vec![0.; 6]).is_err());
    /// ```
    pub fn from_shape_vec(shape: &[usize], v: Vec<T>) -> Result<Self, LinalgError> {
        let n = checked_size(shape)?;
        if n != v.len() {
            return Err(LinalgError::Reshape {
                size: v.len(),
                shape: shape.iter().map(|&d| d as isize).collect(),
            });
        }
        Ok(Array::from_parts(v, shape.to_vec(), c_strides(shape), 0))
    }

    /// An array whose element at each index is `f(index)` (numpy's `np.fromfunction`).
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.fromfunction(lambda i, j: 10 * i + j, (2, 3))
    /// let a = Array::from_shape_fn(&[2, 3], |ix| (10 * ix[0] + ix[1]) as f64);
    /// assert_eq!(a.to_vec(), vec![0., 1., 2., 10., 11., 12.]);
    /// ```
    pub fn from_shape_fn(shape: &[usize], mut f: impl FnMut(&[usize]) -> T) -> Self {
        let n = size_or_panic(shape);
        let mut v = Vec::with_capacity(n);
        let mut index = vec![0usize; shape.len()];
        for _ in 0..n {
            v.push(f(&index));
            for ax in (0..shape.len()).rev() {
                index[ax] += 1;
                if index[ax] < shape[ax] {
                    break;
                }
                index[ax] = 0;
            }
        }
        Array::from_parts(v, shape.to_vec(), c_strides(shape), 0)
    }

    /// A 0-d array holding one value (numpy's `np.array(x)` for a scalar).
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.array(3.)
    /// let a = Array::from_elem_0d(3.0);
    /// assert_eq!((a.ndim(), a.item()), (0, Some(3.0)));
    /// ```
    pub fn from_elem_0d(x: T) -> Self {
        Array::from_parts(vec![x], vec![], vec![], 0)
    }

    #[doc(hidden)]
    pub fn __from_rows<const N: usize>(rows: Vec<[T; N]>) -> Self {
        let m = rows.len();
        let v: Vec<T> = rows.into_iter().flatten().collect();
        Array::from_parts(v, vec![m, N], c_strides(&[m, N]), 0)
    }

    #[doc(hidden)]
    pub fn __from_blocks<const N: usize, const M: usize>(blocks: Vec<[[T; N]; M]>) -> Self {
        let l = blocks.len();
        let v: Vec<T> = blocks.into_iter().flatten().flatten().collect();
        Array::from_parts(v, vec![l, M, N], c_strides(&[l, M, N]), 0)
    }
}

impl<T: Number> Array<T> {
    /// An array of `shape` filled with ones (numpy's `np.ones`).
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.ones(3)
    /// assert_eq!(Array::<f64>::ones(&[3]).to_vec(), vec![1.0; 3]);
    /// ```
    pub fn ones(shape: &[usize]) -> Self {
        Self::full(shape, T::one())
    }

    /// The `n × n` identity matrix (numpy's `np.eye(n)`).
    ///
    /// ```
    /// use lapis::{array, Array};
    /// // numpy: np.eye(2)
    /// assert_eq!(Array::<f64>::eye(2), array![[1., 0.], [0., 1.]]);
    /// ```
    pub fn eye(n: usize) -> Self {
        Self::eye_with(n, n, 0)
    }

    /// An `n × m` matrix with ones on diagonal `k` (above the main diagonal for `k > 0`)
    /// (numpy's `np.eye(n, m, k)`).
    ///
    /// ```
    /// use lapis::{array, Array};
    /// // numpy: np.eye(2, 3, k=1)
    /// assert_eq!(Array::<f64>::eye_with(2, 3, 1), array![[0., 1., 0.], [0., 0., 1.]]);
    /// ```
    pub fn eye_with(n: usize, m: usize, k: isize) -> Self {
        let mut a = Self::zeros(&[n, m]);
        for i in 0..n {
            let j = i as isize + k;
            if j >= 0 && (j as usize) < m {
                a.data[i * m + j as usize] = T::one();
            }
        }
        a
    }

    /// The `n × n` identity (numpy's `np.identity(n)`).
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.identity(3)
    /// assert_eq!(Array::<f64>::identity(3), Array::<f64>::eye(3));
    /// ```
    pub fn identity(n: usize) -> Self {
        Self::eye(n)
    }
}

impl<T: RealNumber> Array<T> {
    /// Evenly spaced values in `[start, stop)` with spacing `step` (numpy's
    /// `np.arange(start, stop, step)`); the length is `ceil((stop - start) / step)`, or 0.
    ///
    /// Panics when `step` is zero (numpy raises `ZeroDivisionError`).
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.arange(0., 1., 0.25), np.arange(5, 0, -2)
    /// assert_eq!(Array::arange(0., 1., 0.25).to_vec(), vec![0., 0.25, 0.5, 0.75]);
    /// assert_eq!(Array::arange(5i64, 0, -2).to_vec(), vec![5, 3, 1]);
    /// ```
    pub fn arange(start: T, stop: T, step: T) -> Self {
        assert!(step != T::zero(), "arange: step must not be zero");
        let span = (stop.to_f64() - start.to_f64()) / step.to_f64();
        let n = if span > 0.0 { span.ceil() as usize } else { 0 };
        let v: Vec<T> = (0..n).map(|i| start + T::from_usize(i) * step).collect();
        Array::from_vec(v)
    }
}

impl<T: Scalar + Number> Array<T> {
    /// `num` evenly spaced values from `start` to `stop` inclusive (numpy's
    /// `np.linspace(start, stop, num)`); the last value is exactly `stop`.
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.linspace(0., 1., 5)
    /// assert_eq!(Array::linspace(0., 1., 5).to_vec(), vec![0., 0.25, 0.5, 0.75, 1.]);
    /// ```
    pub fn linspace(start: T, stop: T, num: usize) -> Self {
        Self::linspace_with(start, stop, num, true)
    }

    /// `np.linspace(start, stop, num, endpoint)`: with `endpoint = false` the spacing is
    /// `(stop - start) / num` and `stop` is excluded.
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.linspace(0., 1., 4, endpoint=False)
    /// assert_eq!(Array::linspace_with(0., 1., 4, false).to_vec(), vec![0., 0.25, 0.5, 0.75]);
    /// ```
    pub fn linspace_with(start: T, stop: T, num: usize, endpoint: bool) -> Self {
        let div = if endpoint { num.saturating_sub(1) } else { num };
        let delta = stop - start;
        let mut v: Vec<T> = (0..num)
            .map(|i| {
                if div == 0 {
                    start
                } else {
                    start + <T as Number>::from_usize(i) * delta / <T as Number>::from_usize(div)
                }
            })
            .collect();
        if endpoint && num > 1 {
            v[num - 1] = stop;
        }
        Array::from_vec(v)
    }
}

/// numpy's `np.diag(v, k)`: for a 1-D `v`, the square matrix with `v` on diagonal `k`;
/// for a 2-D `v`, a copy of its diagonal `k` (see [`ArrayBase::diagonal`] for a view).
///
/// Fails for other ranks ("Input must be 1- or 2-d.").
///
/// ```
/// use lapis::{array, diag};
/// // numpy: np.diag([1., 2.], 1), np.diag([[1., 2.], [3., 4.]])
/// assert_eq!(
///     diag(&array![1., 2.], 1).unwrap(),
///     array![[0., 1., 0.], [0., 0., 2.], [0., 0., 0.]]
/// );
/// assert_eq!(diag(&array![[1., 2.], [3., 4.]], 0).unwrap(), array![1., 4.]);
/// ```
pub fn diag<T: Number, S: Data<Elem = T>>(
    v: &ArrayBase<S>,
    k: isize,
) -> Result<Array<T>, LinalgError> {
    match v.ndim() {
        1 => {
            let n = v.shape()[0] + k.unsigned_abs();
            let mut out = Array::zeros(&[n, n]);
            for (i, &x) in v.iter().enumerate() {
                let (r, c) = if k >= 0 {
                    (i, i + k as usize)
                } else {
                    (i + k.unsigned_abs(), i)
                };
                out.data[r * n + c] = x;
            }
            Ok(out)
        }
        2 => Ok(v.diagonal(k)?.to_owned()),
        _ => Err(LinalgError::invalid("diag", "Input must be 1- or 2-d.")),
    }
}
