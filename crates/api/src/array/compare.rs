//! Elementwise comparisons and tests that produce boolean arrays (numpy's `a > b`,
//! `np.equal`, `np.isnan`, `np.isfinite`, `np.logical_and`, …): the masks that
//! [`masked`](super::ArrayBase::masked), [`where_`](crate::where_) and
//! [`nonzero`](super::ArrayBase::nonzero) take.
//!
//! Array–array comparisons broadcast with numpy's rules and return
//! [`LinalgError::Broadcast`] when the shapes do not fit; comparisons with a scalar
//! (`gt`, `lt`, …) cannot fail. NaN compares false with everything, `!=` true, as in numpy.

use super::ops::zip_map_impl;
use super::{Array, ArrayBase, Data};
use crate::{Element, Inexact, LinalgError, Number, RealNumber};

macro_rules! ordered {
    ($(($method:ident, $scalar:ident, $op:tt, $np:literal, $sym:literal, $a:expr, $b:expr, $want:expr, $x:expr, $want_x:expr)),*) => {
        impl<T: RealNumber, S: Data<Elem = T>> ArrayBase<S> {$(
            #[doc = concat!("`self ", $sym, " other` elementwise with numpy broadcasting (numpy's `np.", $np, "`).")]
            ///
            /// ```
            /// use lapis::array;
            #[doc = concat!("// numpy: np.", $np, "(", stringify!($a), ", ", stringify!($b), ")")]
            #[doc = concat!("let m = array!", stringify!($a), ".", stringify!($method), "(&array!", stringify!($b), ").unwrap();")]
            #[doc = concat!("assert_eq!(m, array!", stringify!($want), ");")]
            /// assert!(array![1., 2.].
            #[doc = concat!(stringify!($method), "(&array![1., 2., 3.]).is_err());")]
            /// ```
            pub fn $method<S2: Data<Elem = T>>(&self, other: &ArrayBase<S2>) -> Result<Array<bool>, LinalgError> {
                zip_map_impl(self, other, |x, y| x $op y)
            }

            #[doc = concat!("`self ", $sym, " x` elementwise for a scalar `x` (numpy's `a ", $sym, " x`).")]
            ///
            /// ```
            /// use lapis::array;
            #[doc = concat!("// numpy: np.array([1., nan, 3.]) ", $sym, " ", stringify!($x))]
            #[doc = concat!("let m = array![1., f64::NAN, 3.].", stringify!($scalar), "(", stringify!($x), ");")]
            #[doc = concat!("assert_eq!(m, array!", stringify!($want_x), ");")]
            /// ```
            pub fn $scalar(&self, x: T) -> Array<bool> {
                self.mapv(|v| v $op x)
            }
        )*}
    };
}

ordered!(
    (greater, gt, >, "greater", ">", [[1., 5.], [3., 2.]], [2., 4.], [[false, true], [true, false]], 2., [false, false, true]),
    (greater_equal, ge, >=, "greater_equal", ">=", [[1., 5.], [3., 2.]], [2., 4.], [[false, true], [true, false]], 3., [false, false, true]),
    (less, lt, <, "less", "<", [[1., 5.], [3., 2.]], [2., 4.], [[true, false], [false, true]], 2., [true, false, false]),
    (less_equal, le, <=, "less_equal", "<=", [[1., 5.], [2., 4.]], [2., 4.], [[true, false], [true, true]], 1., [true, false, false])
);

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// `self == other` elementwise with numpy broadcasting (numpy's `np.equal`; NaN is
    /// never equal). `==` between arrays is instead whole-array equality
    /// (`np.array_equal`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.equal([[1, 2], [3, 4]], [1, 4])
    /// let m = array![[1i64, 2], [3, 4]].equal(&array![1i64, 4]).unwrap();
    /// assert_eq!(m, array![[true, false], [false, true]]);
    /// ```
    pub fn equal<S2: Data<Elem = T>>(
        &self,
        other: &ArrayBase<S2>,
    ) -> Result<Array<bool>, LinalgError> {
        zip_map_impl(self, other, |x, y| x == y)
    }

    /// `self != other` elementwise with numpy broadcasting (numpy's `np.not_equal`; NaN
    /// differs from everything, itself included).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.not_equal([1., nan], [1., nan])
    /// let m = array![1., f64::NAN].not_equal(&array![1., f64::NAN]).unwrap();
    /// assert_eq!(m, array![false, true]);
    /// ```
    pub fn not_equal<S2: Data<Elem = T>>(
        &self,
        other: &ArrayBase<S2>,
    ) -> Result<Array<bool>, LinalgError> {
        zip_map_impl(self, other, |x, y| x != y)
    }

    /// `self == x` elementwise for a scalar `x` (numpy's `a == x`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.array([1, 2, 1]) == 1
    /// assert_eq!(array![1i64, 2, 1].eq_value(1), array![true, false, true]);
    /// ```
    pub fn eq_value(&self, x: T) -> Array<bool> {
        self.mapv(|v| v == x)
    }

    /// `self != x` elementwise for a scalar `x` (numpy's `a != x`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.array([1, 2, 1]) != 1
    /// assert_eq!(array![1i64, 2, 1].ne_value(1), array![false, true, false]);
    /// ```
    pub fn ne_value(&self, x: T) -> Array<bool> {
        self.mapv(|v| v != x)
    }
}

impl<T: Inexact, S: Data<Elem = T>> ArrayBase<S> {
    /// Which elements are NaN (numpy's `np.isnan`; for complex, either part).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.isnan([1., nan, inf])
    /// let m = array![1., f64::NAN, f64::INFINITY].isnan();
    /// assert_eq!(m, array![false, true, false]);
    /// ```
    pub fn isnan(&self) -> Array<bool> {
        self.mapv(Number::is_nan)
    }

    /// Which elements are finite (numpy's `np.isfinite`; for complex, both parts).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.isfinite([1., nan, -inf])
    /// let m = array![1., f64::NAN, f64::NEG_INFINITY].isfinite();
    /// assert_eq!(m, array![true, false, false]);
    /// ```
    pub fn isfinite(&self) -> Array<bool> {
        self.mapv(|v| v.isfinite())
    }

    /// Which elements are infinite (numpy's `np.isinf`; for complex, either part infinite).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.isinf([1., nan, -inf])
    /// let m = array![1., f64::NAN, f64::NEG_INFINITY].isinf();
    /// assert_eq!(m, array![false, false, true]);
    /// ```
    pub fn isinf(&self) -> Array<bool> {
        self.mapv(|v| !v.isfinite() && !Number::is_nan(v))
    }
}

impl<S: Data<Elem = bool>> ArrayBase<S> {
    /// Elementwise AND of two masks with numpy broadcasting (numpy's `np.logical_and`,
    /// `m1 & m2`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.logical_and([True, True, False], True)
    /// let m = array![true, true, false].logical_and(&array![true]).unwrap();
    /// assert_eq!(m, array![true, true, false]);
    /// ```
    pub fn logical_and<S2: Data<Elem = bool>>(
        &self,
        other: &ArrayBase<S2>,
    ) -> Result<Array<bool>, LinalgError> {
        zip_map_impl(self, other, |x, y| x && y)
    }

    /// Elementwise OR of two masks with numpy broadcasting (numpy's `np.logical_or`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.logical_or([True, False], [False, False])
    /// let m = array![true, false].logical_or(&array![false, false]).unwrap();
    /// assert_eq!(m, array![true, false]);
    /// ```
    pub fn logical_or<S2: Data<Elem = bool>>(
        &self,
        other: &ArrayBase<S2>,
    ) -> Result<Array<bool>, LinalgError> {
        zip_map_impl(self, other, |x, y| x || y)
    }

    /// Elementwise NOT of a mask (numpy's `np.logical_not`, `~m`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: ~np.array([True, False])
    /// assert_eq!(array![true, false].logical_not(), array![false, true]);
    /// ```
    pub fn logical_not(&self) -> Array<bool> {
        self.mapv(|x| !x)
    }

    /// How many elements are true (numpy's `np.count_nonzero(m)`).
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.count_nonzero([[True, False], [True, True]])
    /// assert_eq!(array![[true, false], [true, true]].count_true(), 3);
    /// ```
    pub fn count_true(&self) -> usize {
        self.iter().filter(|&&x| x).count()
    }
}
