//! Creating arrays: `zeros`, `ones`, `full`, `empty`, the `*_like` forms, `eye`,
//! `identity`, `diag`, `diagflat`, `tri`, `tril`/`triu`, `arange`, `linspace`, `meshgrid`,
//! `from_vec`, `from_shape_vec`, `from_shape_fn`.

use super::shape::{c_strides, checked_size};
use super::{Array, ArrayBase, ArrayView, Data};
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

    /// numpy's `np.empty(shape)`: Lapis never hands out uninitialised memory, so this is
    /// [`zeros`](Self::zeros) (numpy's values would be arbitrary; code that reads them
    /// before writing is wrong either way).
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.empty((2, 3))
    /// let a = Array::<f64>::empty(&[2, 3]);
    /// assert_eq!(a.shape(), &[2, 3]);
    /// ```
    pub fn empty(shape: &[usize]) -> Self {
        Self::zeros(shape)
    }

    /// Zeros with the shape of `a` (numpy's `np.zeros_like(a)`); the result is C-ordered
    /// whatever the layout of `a`.
    ///
    /// ```
    /// use lapis::{array, Array};
    /// // numpy: np.zeros_like([[1., 2., 3.]])
    /// let z = Array::zeros_like(&array![[1., 2., 3.]]);
    /// assert_eq!(z, array![[0., 0., 0.]]);
    /// ```
    pub fn zeros_like<S: Data<Elem = T>>(a: &ArrayBase<S>) -> Self {
        Self::zeros(a.shape())
    }

    /// `value` everywhere, with the shape of `a` (numpy's `np.full_like(a, value)`).
    ///
    /// ```
    /// use lapis::{array, Array};
    /// // numpy: np.full_like([1, 2], 7)
    /// assert_eq!(Array::full_like(&array![1i64, 2], 7), array![7i64, 7]);
    /// ```
    pub fn full_like<S: Data<Elem = T>>(a: &ArrayBase<S>, value: T) -> Self {
        Self::full(a.shape(), value)
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

    /// Ones with the shape of `a` (numpy's `np.ones_like(a)`).
    ///
    /// ```
    /// use lapis::{array, Array};
    /// // numpy: np.ones_like([[1., 2.], [3., 4.]])
    /// assert_eq!(Array::ones_like(&array![[1., 2.], [3., 4.]]), array![[1., 1.], [1., 1.]]);
    /// ```
    pub fn ones_like<S: Data<Elem = T>>(a: &ArrayBase<S>) -> Self {
        Self::ones(a.shape())
    }

    /// The `n × m` matrix with ones on and below diagonal `k` (`j ≤ i + k`) and zeros
    /// above (numpy's `np.tri(n, m, k)`).
    ///
    /// ```
    /// use lapis::{array, Array};
    /// // numpy: np.tri(2, 3, 1)
    /// assert_eq!(Array::<f64>::tri(2, 3, 1), array![[1., 1., 0.], [1., 1., 1.]]);
    /// ```
    pub fn tri(n: usize, m: usize, k: isize) -> Self {
        Self::from_shape_fn(&[n, m], |ix| {
            if below(ix[0], ix[1], k) {
                T::one()
            } else {
                T::zero()
            }
        })
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

/// Whether `(i, j)` lies on or below diagonal `k` (`j ≤ i + k`), without overflow.
fn below(i: usize, j: usize, k: isize) -> bool {
    j as i128 <= i as i128 + k as i128
}

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// A copy with the elements above diagonal `k` zeroed, in each matrix of the last two
    /// axes (numpy's `np.tril(a, k)`). A 1-D `a` is taken as the rows of a square matrix,
    /// as numpy broadcasts it.
    ///
    /// Fails for a 0-d array.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.tril([[1, 2, 3], [4, 5, 6]], -1), np.tril([[1, 2], [3, 4]])
    /// let a = array![[1i64, 2, 3], [4, 5, 6]];
    /// assert_eq!(a.tril(-1).unwrap(), array![[0i64, 0, 0], [4, 0, 0]]);
    /// assert_eq!(array![[1i64, 2], [3, 4]].tril(0).unwrap(), array![[1i64, 0], [3, 4]]);
    /// ```
    pub fn tril(&self, k: isize) -> Result<Array<T>, LinalgError> {
        self.mask_triangle("tril", |i, j| below(i, j, k))
    }

    /// A copy with the elements below diagonal `k` zeroed, in each matrix of the last two
    /// axes (numpy's `np.triu(a, k)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.triu([[1, 2, 3], [4, 5, 6]], 1)
    /// let a = array![[1i64, 2, 3], [4, 5, 6]];
    /// assert_eq!(a.triu(1).unwrap(), array![[0i64, 2, 3], [0, 0, 6]]);
    /// ```
    pub fn triu(&self, k: isize) -> Result<Array<T>, LinalgError> {
        self.mask_triangle("triu", |i, j| j as i128 >= i as i128 + k as i128)
    }

    fn mask_triangle(
        &self,
        op: &'static str,
        keep: impl Fn(usize, usize) -> bool,
    ) -> Result<Array<T>, LinalgError> {
        let mut out = match self.ndim() {
            0 => {
                return Err(LinalgError::invalid(
                    op,
                    "the input must have at least one dimension",
                ));
            }
            1 => {
                let n = self.shape()[0];
                self.broadcast_to(&[n, n])?.to_owned()
            }
            _ => self.to_owned(),
        };
        let nd = out.ndim();
        let (rows, cols) = (out.shape()[nd - 2], out.shape()[nd - 1]);
        let data = out.as_slice_mut().unwrap_or_default();
        for (idx, x) in data.iter_mut().enumerate() {
            let (i, j) = ((idx / cols.max(1)) % rows.max(1), idx % cols.max(1));
            if !keep(i, j) {
                *x = T::default();
            }
        }
        Ok(out)
    }
}

/// numpy's `np.diagflat(v, k)`: the square matrix with the flattened `v` on diagonal `k`.
///
/// ```
/// use lapis::{array, diagflat};
/// // numpy: np.diagflat([[1., 2.], [3., 4.]])
/// let d = diagflat(&array![[1., 2.], [3., 4.]], 0);
/// assert_eq!(d.shape(), &[4, 4]);
/// assert_eq!(d.diagonal(0).unwrap(), array![1., 2., 3., 4.]);
/// ```
pub fn diagflat<T: Number, S: Data<Elem = T>>(v: &ArrayBase<S>, k: isize) -> Array<T> {
    let flat = v.ravel();
    let n = flat.len() + k.unsigned_abs();
    let mut out = Array::zeros(&[n, n]);
    for (i, &x) in flat.iter().enumerate() {
        let (r, c) = if k >= 0 {
            (i, i + k as usize)
        } else {
            (i + k.unsigned_abs(), i)
        };
        out.data[r * n + c] = x;
    }
    out
}

/// How [`meshgrid`] orders the axes of its outputs (numpy's `indexing=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Indexing {
    /// Cartesian (numpy's default `'xy'`): for two inputs of lengths `nx`, `ny` the
    /// outputs have shape `(ny, nx)`, as for plotting.
    #[default]
    Xy,
    /// Matrix (`'ij'`): the outputs have shape `(n1, n2, …)`, one axis per input in order.
    Ij,
}

/// Coordinate arrays from coordinate vectors (numpy's `np.meshgrid(*xs, indexing=…)`):
/// one output per input, each input flattened and repeated along the other axes. With
/// [`Indexing::Xy`] the first two output axes are swapped.
///
/// ```
/// use lapis::{array, meshgrid, Indexing};
/// // numpy: X, Y = np.meshgrid([1., 2., 3.], [10., 20.])
/// let g = meshgrid(&[array![1., 2., 3.].view(), array![10., 20.].view()], Indexing::Xy);
/// assert_eq!(g[0], array![[1., 2., 3.], [1., 2., 3.]]);
/// assert_eq!(g[1], array![[10., 10., 10.], [20., 20., 20.]]);
/// // numpy: np.meshgrid([1., 2., 3.], [10., 20.], indexing='ij')[0].shape
/// let g = meshgrid(&[array![1., 2., 3.].view(), array![10., 20.].view()], Indexing::Ij);
/// assert_eq!(g[0].shape(), &[3, 2]);
/// ```
pub fn meshgrid<T: Element>(xs: &[ArrayView<'_, T>], indexing: Indexing) -> Vec<Array<T>> {
    let flat: Vec<Vec<T>> = xs.iter().map(|x| x.to_vec()).collect();
    let mut shape: Vec<usize> = flat.iter().map(Vec::len).collect();
    let swap = indexing == Indexing::Xy && shape.len() >= 2;
    if swap {
        shape.swap(0, 1);
    }
    (0..flat.len())
        .map(|i| {
            let ax = match i {
                0 if swap => 1,
                1 if swap => 0,
                _ => i,
            };
            Array::from_shape_fn(&shape, |ix| flat[i][ix[ax]])
        })
        .collect()
}
