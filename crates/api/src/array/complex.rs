//! Complex parts: `re`, `im`, `conj`, `angle` (numpy's `a.real`, `a.imag`, `np.conj`,
//! `np.angle`), [`Array::from_re_im`] (numpy's `re + 1j*im`) and `real_if_close`.
//!
//! `re`, `im`, `conj` and `angle` take any [`Inexact`] array, as numpy's do: on a real
//! array they return a copy, zeros, a copy, and 0 or π.

use super::{Array, ArrayBase, Data};
use crate::{Complex, Element, Inexact, LinalgError, Scalar};

impl<T: Inexact, S: Data<Elem = T>> ArrayBase<S> {
    /// The real parts, as a new real array (numpy's `a.real`, which is a view in numpy).
    ///
    /// ```
    /// use lapis::{array, c64, Array};
    /// // numpy: np.array([1+2j, 3-4j]).real
    /// let z = Array::from_vec(vec![c64::new(1., 2.), c64::new(3., -4.)]);
    /// assert_eq!(z.re(), array![1., 3.]);
    /// ```
    pub fn re(&self) -> Array<T::Float> {
        self.mapv(Inexact::re)
    }

    /// The imaginary parts, as a new real array (numpy's `a.imag`; zeros for a real array).
    ///
    /// ```
    /// use lapis::{array, c64, Array};
    /// // numpy: np.array([1+2j, 3-4j]).imag
    /// let z = Array::from_vec(vec![c64::new(1., 2.), c64::new(3., -4.)]);
    /// assert_eq!(z.im(), array![2., -4.]);
    /// ```
    pub fn im(&self) -> Array<T::Float> {
        self.mapv(Inexact::im)
    }

    /// The elementwise complex conjugate (numpy's `np.conj(a)`; a copy for a real array).
    ///
    /// ```
    /// use lapis::{c64, Array};
    /// // numpy: np.conj([1+2j])
    /// let z = Array::from_vec(vec![c64::new(1., 2.)]);
    /// assert_eq!(z.conj(), Array::from_vec(vec![c64::new(1., -2.)]));
    /// ```
    pub fn conj(&self) -> Array<T> {
        self.mapv(Inexact::conj)
    }

    /// The argument of each element in `(-π, π]` (numpy's `np.angle(a)`, radians).
    ///
    /// ```
    /// use lapis::{array, c64, Array};
    /// // numpy: np.angle([1j, -1+0j, -1-0j])
    /// let z = Array::from_vec(vec![c64::new(0., 1.), c64::new(-1., 0.), c64::new(-1., -0.)]);
    /// let pi = std::f64::consts::PI;
    /// assert_eq!(z.angle(), array![pi / 2., pi, -pi]);
    /// // numpy: np.angle([2., -2.])
    /// assert_eq!(array![2., -2.].angle(), array![0., pi]);
    /// ```
    pub fn angle(&self) -> Array<T::Float> {
        self.mapv(Inexact::angle)
    }
}

impl<F: Scalar + Element> Array<Complex<F>>
where
    Complex<F>: Inexact<Float = F>,
{
    /// The complex array `re + i·im`, with numpy's broadcasting (numpy's `re + 1j*im`, which
    /// is exact: no product is rounded). Fails when the shapes do not broadcast.
    ///
    /// ```
    /// use lapis::{array, c64, Array};
    /// // numpy: np.array([1., 2.]) + 1j * np.array([[3.], [4.]])
    /// let z = Array::<c64>::from_re_im(&array![1., 2.], &array![[3.], [4.]]).unwrap();
    /// assert_eq!(z.shape(), &[2, 2]);
    /// assert_eq!(z[[1, 0]], c64::new(1., 4.));
    /// assert!(Array::<c64>::from_re_im(&array![1., 2.], &array![1., 2., 3.]).is_err());
    /// ```
    pub fn from_re_im<S1: Data<Elem = F>, S2: Data<Elem = F>>(
        re: &ArrayBase<S1>,
        im: &ArrayBase<S2>,
    ) -> Result<Self, LinalgError> {
        re.zip_map(im, Complex::new)
    }
}

impl<F, S> ArrayBase<S>
where
    F: Scalar + Element,
    Complex<F>: Inexact<Float = F>,
    S: Data<Elem = Complex<F>>,
{
    /// The real parts when every imaginary part is negligible, `None` otherwise (numpy's
    /// `np.real_if_close(a)`, with its default tolerance of 100 machine epsilons).
    ///
    /// numpy returns either a real or the unchanged complex array; Lapis returns
    /// `Some(real)` or `None`, and the complex array is still the caller's. Typical use:
    /// eigenvalues of a real symmetric-like matrix that came out complex with round-off
    /// imaginary parts.
    ///
    /// ```
    /// use lapis::{array, c64, Array};
    /// // numpy: np.real_if_close([2.1 + 4e-15j, 5.2 + 3e-15j])  -> array([2.1, 5.2])
    /// let z = Array::from_vec(vec![c64::new(2.1, 4e-15), c64::new(5.2, 3e-15)]);
    /// assert_eq!(z.real_if_close(), Some(array![2.1, 5.2]));
    /// // numpy: np.real_if_close([2.1 + 4e-14j])  -> unchanged (4e-14 > 100·ε ≈ 2.2e-14)
    /// let w = Array::from_vec(vec![c64::new(2.1, 4e-14)]);
    /// assert_eq!(w.real_if_close(), None);
    /// ```
    pub fn real_if_close(&self) -> Option<Array<F>> {
        self.real_if_close_with(<F as Scalar>::from_f64(100.0))
    }

    /// [`real_if_close`](Self::real_if_close) with numpy's `tol`: above 1 it counts machine
    /// epsilons of the part type (`tol·ε`), otherwise it is an absolute bound. The real
    /// parts are returned when every `|imag| < tol` (strictly; a NaN imaginary part is
    /// never negligible); an empty array is returned as real.
    ///
    /// ```
    /// use lapis::{array, c64, Array};
    /// // numpy: np.real_if_close([1 + 1e-3j], tol=1e-2)
    /// let z = Array::from_vec(vec![c64::new(1., 1e-3)]);
    /// assert_eq!(z.real_if_close_with(1e-2), Some(array![1.]));
    /// assert_eq!(z.real_if_close_with(1e-4), None);
    /// ```
    pub fn real_if_close_with(&self, tol: F) -> Option<Array<F>> {
        let bound = if tol > <F as Scalar>::from_f64(1.0) {
            tol * F::EPS
        } else {
            tol
        };
        if self.iter().all(|z| z.im.abs() < bound) {
            Some(self.re())
        } else {
            None
        }
    }
}
