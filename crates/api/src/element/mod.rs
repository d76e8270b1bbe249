//! The element types an [`Array`](crate::Array) can hold, in numpy's hierarchy.
//!
//! | trait | numpy | types |
//! |---|---|---|
//! | [`Element`] | any dtype | all below and `bool` |
//! | [`Number`] | `np.number` | `f32`, `f64`, `i32`, `i64`, `usize`, [`c32`], [`c64`] |
//! | [`RealNumber`] | `np.floating` + `np.integer` | `f32`, `f64`, `i32`, `i64`, `usize` |
//! | [`Inexact`] | `np.inexact` | `f32`, `f64`, [`c32`], [`c64`] |
//! | [`Scalar`](crate::Scalar) | `np.floating` | `f32`, `f64` (the factorizations) |
//!
//! [`Element`] is what every array needs (copy, compare, print); [`Number`] adds arithmetic
//! for `+ - * /`, sums and products; [`RealNumber`] adds the order (`max`, `argmax`);
//! [`Inexact`] adds `sqrt`, `exp`, `mean`, closeness tests and the products on the GEMM
//! kernels. [`CastInto`] is `astype`.

use core::fmt::Debug;
use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

mod complex;
mod inexact;

pub use complex::{Complex, c32, c64};
pub use inexact::Inexact;

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Complex<f32> {}
    impl Sealed for super::Complex<f64> {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
    impl Sealed for i32 {}
    impl Sealed for i64 {}
    impl Sealed for usize {}
    impl Sealed for bool {}
}

/// How an element prints; used by the numpy-style formatter.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DisplayValue {
    /// A single-precision float (printed with `f32`'s shortest round-trip digits).
    F32(f32),
    /// A double-precision float.
    F64(f64),
    /// Any integer.
    Int(i128),
    /// A boolean.
    Bool(bool),
    /// A single-precision complex number (real, imaginary).
    C32(f32, f32),
    /// A double-precision complex number (real, imaginary).
    C64(f64, f64),
}

/// A type an array can store: `f32`, `f64`, `i32`, `i64`, `usize` (numpy's `intp`), `bool`,
/// [`c32`] (numpy's `complex64`) or [`c64`] (`complex128`).
///
/// Sealed: printing and casting are written per type.
///
/// ```
/// use lapis::{Array, Element};
/// // numpy: np.zeros(3, dtype=bool).dtype.name
/// assert_eq!(<bool as Element>::DTYPE, "bool");
/// let mask = Array::<bool>::full(&[3], true);
/// assert_eq!(mask.to_vec(), vec![true; 3]);
/// ```
pub trait Element:
    sealed::Sealed + Copy + PartialEq + Default + Debug + Send + Sync + 'static
{
    /// numpy's dtype name (`"float64"`, `"int64"`, `"bool"`, …).
    const DTYPE: &'static str;
    /// Whether numpy's `repr` omits `dtype=` for this type (float64, int64, intp, bool).
    #[doc(hidden)]
    const DEFAULT_DTYPE: bool;
    /// The value for the formatter.
    #[doc(hidden)]
    fn display_value(self) -> DisplayValue;
}

/// An element with arithmetic (numpy's `np.number`): the floats, the integers and the
/// complex types (not `bool`). Elementwise `+ - * /`, `sum`, `prod`, `abs` ask for it.
///
/// `abs` returns [`Number::Real`]: the type itself for the real types, the part type for
/// complex (`|3+4j| = 5.0`, as `np.abs` gives a real array for a complex one).
///
/// ```
/// use lapis::{c64, Number};
/// assert_eq!(<i64 as Number>::one() + <i64 as Number>::one(), 2);
/// // numpy: abs(3+4j)
/// assert_eq!(Number::abs(c64::new(3.0, 4.0)), 5.0);
/// ```
pub trait Number:
    Element
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
{
    /// The type of `|x|`: `Self` for real types, `f32`/`f64` for `Complex<f32>`/`Complex<f64>`.
    type Real: RealNumber;
    /// `0`.
    fn zero() -> Self;
    /// `1`.
    fn one() -> Self;
    /// Converts a count (rounds for floats; wraps never happen for realistic sizes).
    fn from_usize(n: usize) -> Self;
    /// Converts from `f64` (`as` semantics: truncation for integers; imaginary part 0).
    fn from_f64(x: f64) -> Self;
    /// Absolute value (identity for unsigned; the modulus, without overflow, for complex).
    fn abs(self) -> Self::Real;
    /// Whether the value is NaN (always `false` for integers; either part for complex).
    fn is_nan(self) -> bool;
    /// `self / rhs` as numpy's ufunc computes it: `/` for real types, Smith's scaled
    /// division for complex (the textbook formula overflows for |rhs| beyond √max).
    #[doc(hidden)]
    #[inline]
    fn div_elem(self, rhs: Self) -> Self {
        self / rhs
    }
}

/// A real (ordered) number: the floats and the integers. The ordering reductions (`max`,
/// `min`, `argmax`, `argmin`) and `arange` ask for it; complex numbers have no order.
///
/// ```
/// use lapis::RealNumber;
/// // numpy: float(np.int32(-3))
/// assert_eq!(RealNumber::to_f64(-3i32), -3.0);
/// ```
pub trait RealNumber: Number<Real = Self> + PartialOrd {
    /// Converts to `f64` (`as` semantics).
    fn to_f64(self) -> f64;
}

/// Marker for the signed numbers, which support unary minus (floats, signed integers,
/// complex).
pub trait Signed: Number + Neg<Output = Self> {}

macro_rules! float_element {
    ($t:ty, $dtype:literal, $default:literal, $variant:ident) => {
        impl Element for $t {
            const DTYPE: &'static str = $dtype;
            const DEFAULT_DTYPE: bool = $default;
            #[inline]
            fn display_value(self) -> DisplayValue {
                DisplayValue::$variant(self)
            }
        }
        impl Number for $t {
            type Real = $t;
            #[inline]
            fn zero() -> Self {
                0.0
            }
            #[inline]
            fn one() -> Self {
                1.0
            }
            #[inline]
            fn from_usize(n: usize) -> Self {
                n as $t
            }
            #[inline]
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            #[inline]
            fn abs(self) -> Self {
                <$t>::abs(self)
            }
            #[inline]
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
        }
        impl RealNumber for $t {
            #[inline]
            fn to_f64(self) -> f64 {
                self as f64
            }
        }
        impl Signed for $t {}
    };
}

macro_rules! int_element {
    ($t:ty, $dtype:literal, $default:literal, $abs:expr) => {
        impl Element for $t {
            const DTYPE: &'static str = $dtype;
            const DEFAULT_DTYPE: bool = $default;
            #[inline]
            fn display_value(self) -> DisplayValue {
                DisplayValue::Int(self as i128)
            }
        }
        impl Number for $t {
            type Real = $t;
            #[inline]
            fn zero() -> Self {
                0
            }
            #[inline]
            fn one() -> Self {
                1
            }
            #[inline]
            fn from_usize(n: usize) -> Self {
                n as $t
            }
            #[inline]
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            #[inline]
            fn abs(self) -> Self {
                let f: fn($t) -> $t = $abs;
                f(self)
            }
            #[inline]
            fn is_nan(self) -> bool {
                false
            }
        }
        impl RealNumber for $t {
            #[inline]
            fn to_f64(self) -> f64 {
                self as f64
            }
        }
    };
}

float_element!(f32, "float32", false, F32);
float_element!(f64, "float64", true, F64);
int_element!(i32, "int32", false, |x| x.wrapping_abs());
int_element!(i64, "int64", true, |x| x.wrapping_abs());
int_element!(usize, "intp", true, |x| x);
impl Signed for i32 {}
impl Signed for i64 {}

impl Element for bool {
    const DTYPE: &'static str = "bool";
    const DEFAULT_DTYPE: bool = true;
    #[inline]
    fn display_value(self) -> DisplayValue {
        DisplayValue::Bool(self)
    }
}

/// Conversion of one element type into another: numpy's `astype` (C `as` semantics: floats
/// truncate toward zero into integers, out-of-range values saturate, NaN becomes 0; any
/// non-zero number becomes `true`).
///
/// Real → complex gives a zero imaginary part. Complex → real **keeps the real part and
/// discards the imaginary part**, as numpy's `astype` does (numpy also emits a
/// `ComplexWarning`; Lapis has no warnings, so check [`ArrayBase::im`](crate::ArrayBase::im)
/// or use [`ArrayBase::real_if_close`](crate::ArrayBase::real_if_close) when the imaginary
/// parts matter). Complex → `bool` is `true` when either part is non-zero.
///
/// ```
/// use lapis::{c64, CastInto};
/// // numpy: np.float64(2.7).astype(np.int64)
/// let i: i64 = 2.7f64.cast();
/// assert_eq!(i, 2);
/// // numpy: np.complex128(3-4j).astype(np.float64)  -> 3.0 (ComplexWarning)
/// let r: f64 = c64::new(3.0, -4.0).cast();
/// assert_eq!(r, 3.0);
/// ```
pub trait CastInto<U>: Element {
    /// The converted value.
    fn cast(self) -> U;
}

macro_rules! cast_num {
    ($from:ty => $($to:ty),*) => {
        $(impl CastInto<$to> for $from {
            #[inline]
            fn cast(self) -> $to {
                self as $to
            }
        })*
        impl CastInto<bool> for $from {
            #[inline]
            fn cast(self) -> bool {
                self != (0 as $from)
            }
        }
        impl CastInto<$from> for bool {
            #[inline]
            fn cast(self) -> $from {
                (self as u8) as $from
            }
        }
    };
}

cast_num!(f32 => f32, f64, i32, i64, usize);
cast_num!(f64 => f32, f64, i32, i64, usize);
cast_num!(i32 => f32, f64, i32, i64, usize);
cast_num!(i64 => f32, f64, i32, i64, usize);
cast_num!(usize => f32, f64, i32, i64, usize);

impl CastInto<bool> for bool {
    #[inline]
    fn cast(self) -> bool {
        self
    }
}
