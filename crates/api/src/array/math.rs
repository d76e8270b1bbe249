//! Elementwise functions: `map`/`mapv`, `abs`, `sqrt`, `exp`, `ln`, `powi`, `powf`, `sin`,
//! `cos`, `astype`, and the closeness tests `isclose`/`allclose` with numpy's defaults.
//! `abs`, `sqrt`, `exp` and the closeness tests take complex arrays too; the others are
//! real-only.

use super::shape::c_strides;
use super::{Array, ArrayBase, Data};
use crate::{CastInto, Element, Inexact, LinalgError, Number, Scalar};

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// A new array of `f(&x)` for every element, same shape, C order (numpy's vectorized
    /// function call).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a * 2
    /// assert_eq!(array![1., 2.].map(|x| x * 2.0), array![2., 4.]);
    /// ```
    pub fn map<U: Element>(&self, mut f: impl FnMut(&T) -> U) -> Array<U> {
        let v = self.iter().map(&mut f).collect();
        Array::from_parts(v, self.shape.clone(), c_strides(&self.shape), 0)
    }

    /// [`map`](Self::map) taking elements by value.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a > 1.5
    /// assert_eq!(array![1., 2.].mapv(|x| x > 1.5), array![false, true]);
    /// ```
    pub fn mapv<U: Element>(&self, mut f: impl FnMut(T) -> U) -> Array<U> {
        self.map(|&x| f(x))
    }

    /// A copy converted to another element type (numpy's `a.astype(dtype)`, C casting rules:
    /// floats truncate into integers). Real → complex sets the imaginary parts to 0;
    /// complex → real **keeps only the real parts** (numpy does the same with a
    /// `ComplexWarning`; see [`CastInto`]).
    ///
    /// ```
    /// use lapis::{array, c64, Array};
    /// // numpy: np.array([1.7, -1.7]).astype(np.int64)
    /// assert_eq!(array![1.7, -1.7].astype::<i64>(), array![1i64, -1]);
    /// // numpy: np.array([1., 2.]).astype(np.complex128)
    /// let z = array![1., 2.].astype::<c64>();
    /// assert_eq!(z, Array::from_vec(vec![c64::new(1., 0.), c64::new(2., 0.)]));
    /// // numpy: np.array([1+2j]).astype(np.float64)  -> [1.] (ComplexWarning)
    /// assert_eq!(Array::from_vec(vec![c64::new(1., 2.)]).astype::<f64>(), array![1.]);
    /// ```
    pub fn astype<U: Element>(&self) -> Array<U>
    where
        T: CastInto<U>,
    {
        self.mapv(|x| x.cast())
    }
}

impl<T: Number, S: Data<Elem = T>> ArrayBase<S> {
    /// Elementwise absolute value (numpy's `np.abs`); for a complex array, the moduli as a
    /// real array (computed with `hypot`, so no overflow or underflow in between).
    ///
    /// ```
    /// use lapis::{array, c64, Array};
    /// // numpy: np.abs([-1., 2.])
    /// assert_eq!(array![-1., 2.].abs(), array![1., 2.]);
    /// // numpy: np.abs([3+4j, -1j])
    /// let z = Array::from_vec(vec![c64::new(3., 4.), c64::new(0., -1.)]);
    /// assert_eq!(z.abs(), array![5., 1.]);
    /// ```
    pub fn abs(&self) -> Array<T::Real> {
        self.mapv(Number::abs)
    }
}

macro_rules! float_fn {
    ($name:ident, $np:literal, $input:expr, $expected:expr) => {
        float_fn!($name, $np, $input, $expected, |x: T| x.$name(), "");
    };
    ($name:ident, $np:literal, $input:expr, $expected:expr, $path:expr, $extra:literal) => {
        #[doc = concat!("Elementwise `", stringify!($name), "` (numpy's `np.", $np, "`).", $extra)]
        ///
        /// ```
        /// use lapis::array;
        #[doc = concat!("// numpy: np.", $np, "(", stringify!($input), ")")]
        #[doc = concat!("let y = array!", stringify!($input), ".", stringify!($name), "();")]
        #[doc = concat!("assert!(lapis::allclose(&y, &array!", stringify!($expected), ").unwrap());")]
        /// ```
        pub fn $name(&self) -> Array<T> {
            self.mapv($path)
        }
    };
}

impl<T: Inexact, S: Data<Elem = T>> ArrayBase<S> {
    float_fn!(
        sqrt,
        "sqrt",
        [4., 9.],
        [2., 3.],
        Inexact::sqrt_elem,
        " For complex: the principal root (branch cut on the negative real axis, where the sign of a zero imaginary part picks the side, as numpy's), computed without the polar form's cancellation near the cut."
    );
    float_fn!(
        exp,
        "exp",
        [0., 1.],
        [1., 2.718281828459045],
        Inexact::exp_elem,
        " Works for complex arrays too."
    );
}

impl<T: Scalar + Element, S: Data<Elem = T>> ArrayBase<S> {
    float_fn!(ln, "log", [1., 2.718281828459045], [0., 1.]);
    float_fn!(sin, "sin", [0., 1.5707963267948966], [0., 1.]);
    float_fn!(cos, "cos", [0., 3.141592653589793], [1., -1.]);
    float_fn!(tanh, "tanh", [0.], [0.]);

    /// Elementwise integer power (numpy's `a ** n` for an integer `n`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a ** 3
    /// assert_eq!(array![1., 2.].powi(3), array![1., 8.]);
    /// ```
    pub fn powi(&self, n: i32) -> Array<T> {
        self.mapv(|x| x.powi(n))
    }

    /// Elementwise real power (numpy's `a ** p`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a ** 0.5
    /// assert_eq!(array![4., 9.].powf(0.5), array![2., 3.]);
    /// ```
    pub fn powf(&self, p: T) -> Array<T> {
        self.mapv(|x| x.powf(p))
    }

    /// Whether every element is finite (numpy's `np.isfinite(a).all()`).
    ///
    /// ```
    /// use lapis::array;
    /// assert!(array![1., 2.].all_finite());
    /// assert!(!array![1., f64::NAN].all_finite());
    /// ```
    pub fn all_finite(&self) -> bool {
        self.iter().all(|x| x.is_finite())
    }
}

/// numpy's closeness test for one pair: `|a - b| <= atol + rtol·|b|` with `b` finite, or
/// `a == b` (equal infinities); NaN is close to NaN only with `equal_nan`. For complex, `|·|`
/// is the modulus and NaN/infinity means either part.
#[inline]
fn close<T: Inexact>(a: T, b: T, rtol: T::Float, atol: T::Float, equal_nan: bool) -> bool {
    if Number::is_nan(a) || Number::is_nan(b) {
        return equal_nan && Number::is_nan(a) && Number::is_nan(b);
    }
    if a == b {
        return true;
    }
    Inexact::isfinite(b) && Number::abs(a - b) <= atol + rtol * Number::abs(b)
}

/// Elementwise closeness with numpy's broadcasting and its defaults `rtol = 1e-5`,
/// `atol = 1e-8`, `equal_nan = false` (numpy's `np.isclose(a, b)`). Not symmetric: the
/// tolerance scales with `|b|`, as in numpy. Complex arrays compare by the modulus of
/// the difference.
///
/// ```
/// use lapis::{array, c64, isclose, Array};
/// // numpy: np.isclose([1e10, 1e-7], [1.00001e10, 1e-8])
/// let c = isclose(&array![1e10, 1e-7], &array![1.00001e10, 1e-8]).unwrap();
/// assert_eq!(c, array![true, false]);
/// // numpy: np.isclose([1+1j], [1+1.000001j])
/// let z = Array::from_vec(vec![c64::new(1., 1.)]);
/// let w = Array::from_vec(vec![c64::new(1., 1.000001)]);
/// assert_eq!(isclose(&z, &w).unwrap(), array![true]);
/// ```
pub fn isclose<T, S1, S2>(a: &ArrayBase<S1>, b: &ArrayBase<S2>) -> Result<Array<bool>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    isclose_with(a, b, tol(1e-5), tol(1e-8), false)
}

/// A tolerance constant in the part type.
fn tol<F: Scalar>(x: f64) -> F {
    <F as Scalar>::from_f64(x)
}

/// [`isclose`] with explicit `rtol`, `atol` and `equal_nan` (numpy's
/// `np.isclose(a, b, rtol, atol, equal_nan)`); the tolerances are real for complex arrays.
///
/// ```
/// use lapis::{array, isclose_with};
/// // numpy: np.isclose([1., np.nan], [1., np.nan], equal_nan=True)
/// let c = isclose_with(&array![1., f64::NAN], &array![1., f64::NAN], 1e-5, 1e-8, true).unwrap();
/// assert_eq!(c, array![true, true]);
/// ```
pub fn isclose_with<T, S1, S2>(
    a: &ArrayBase<S1>,
    b: &ArrayBase<S2>,
    rtol: T::Float,
    atol: T::Float,
    equal_nan: bool,
) -> Result<Array<bool>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    a.zip_map(b, |x, y| close(x, y, rtol, atol, equal_nan))
}

/// Whether every pair is close (numpy's `np.allclose(a, b)`: `rtol = 1e-5`, `atol = 1e-8`,
/// NaNs never equal); fails when the shapes do not broadcast.
///
/// ```
/// use lapis::{allclose, array};
/// // numpy: np.allclose([1.0, 2.0], [1.0 + 1e-9, 2.0])
/// assert!(allclose(&array![1.0, 2.0], &array![1.0 + 1e-9, 2.0]).unwrap());
/// assert!(!allclose(&array![1.0, f64::NAN], &array![1.0, f64::NAN]).unwrap());
/// // broadcasting: np.allclose([[1., 1.]], 1.)
/// assert!(allclose(&array![[1., 1.]], &lapis::Array::from_elem_0d(1.)).unwrap());
/// ```
pub fn allclose<T, S1, S2>(a: &ArrayBase<S1>, b: &ArrayBase<S2>) -> Result<bool, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    allclose_with(a, b, tol(1e-5), tol(1e-8), false)
}

/// [`allclose`] with explicit tolerances (numpy's `np.allclose(a, b, rtol, atol, equal_nan)`).
///
/// ```
/// use lapis::{allclose_with, array};
/// assert!(allclose_with(&array![1.0], &array![1.1], 0.2, 0.0, false).unwrap());
/// ```
pub fn allclose_with<T, S1, S2>(
    a: &ArrayBase<S1>,
    b: &ArrayBase<S2>,
    rtol: T::Float,
    atol: T::Float,
    equal_nan: bool,
) -> Result<bool, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    Ok(isclose_with(a, b, rtol, atol, equal_nan)?
        .iter()
        .all(|&c| c))
}
