//! The element types an [`Array`](crate::Array) can hold.
//!
//! [`Element`] is what every array needs (copy, compare, print); [`Number`] adds arithmetic
//! for `+ - * /`, sums and products; the float-only functions (`sqrt`, `exp`, products on the
//! GEMM kernels) ask for [`Scalar`](crate::Scalar) (`f32`, `f64`). [`CastInto`] is `astype`.

use core::fmt::Debug;
use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

mod sealed {
    pub trait Sealed {}
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
}

/// A type an array can store: `f32`, `f64`, `i32`, `i64`, `usize` (numpy's `intp`) or `bool`.
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

/// An element with arithmetic: the floats and the integers (not `bool`).
///
/// ```
/// use lapis::Number;
/// assert_eq!(<i64 as Number>::one() + <i64 as Number>::one(), 2);
/// ```
pub trait Number:
    Element
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
{
    /// `0`.
    fn zero() -> Self;
    /// `1`.
    fn one() -> Self;
    /// Converts a count (rounds for floats; wraps never happen for realistic sizes).
    fn from_usize(n: usize) -> Self;
    /// Converts from `f64` (`as` semantics: truncation for integers).
    fn from_f64(x: f64) -> Self;
    /// Converts to `f64` (`as` semantics).
    fn to_f64(self) -> f64;
    /// Absolute value (identity for unsigned).
    fn abs(self) -> Self;
    /// Whether the value is NaN (always `false` for integers).
    fn is_nan(self) -> bool;
}

/// Marker for the signed numbers, which support unary minus.
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
            fn to_f64(self) -> f64 {
                self as f64
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
            fn to_f64(self) -> f64 {
                self as f64
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
/// ```
/// use lapis::CastInto;
/// // numpy: np.float64(2.7).astype(np.int64)
/// let i: i64 = 2.7f64.cast();
/// assert_eq!(i, 2);
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
