//! The complex element types: numpy's `complex64` ([`c32`]) and `complex128` ([`c64`]),
//! stored as `num_complex::Complex` (real part first, then imaginary, as numpy lays them
//! out), with their arithmetic and casts.

use super::{CastInto, DisplayValue, Element, Number, Signed};

pub use num_complex::Complex;

/// numpy's `complex64`: two `f32` (real, imaginary).
///
/// ```
/// use lapis::c32;
/// // numpy: np.complex64(1+2j)
/// let z = c32::new(1.0, 2.0);
/// assert_eq!((z.re, z.im), (1.0, 2.0));
/// ```
#[allow(non_camel_case_types)]
pub type c32 = Complex<f32>;

/// numpy's `complex128` (Python's `complex`): two `f64` (real, imaginary).
///
/// ```
/// use lapis::c64;
/// // numpy: (1+2j) * (3-1j)
/// assert_eq!(c64::new(1.0, 2.0) * c64::new(3.0, -1.0), c64::new(5.0, 5.0));
/// ```
#[allow(non_camel_case_types)]
pub type c64 = Complex<f64>;

/// numpy's complex true division (`npy_cdiv`): Smith's algorithm, scaling by the larger
/// part of the divisor so that neither `|d|²` nor the partial products overflow or
/// underflow; a zero divisor gives numpy's infinities and NaNs.
#[inline]
fn smith_div<F: lapis_kernels::Scalar>(a: Complex<F>, d: Complex<F>) -> Complex<F> {
    let (dr, di) = (d.re.abs(), d.im.abs());
    if dr >= di {
        if dr == F::zero() && di == F::zero() {
            Complex::new(a.re / dr, a.im / dr)
        } else {
            let rat = d.im / d.re;
            let scl = F::one() / (d.re + d.im * rat);
            Complex::new((a.re + a.im * rat) * scl, (a.im - a.re * rat) * scl)
        }
    } else {
        let rat = d.re / d.im;
        let scl = F::one() / (d.im + d.re * rat);
        Complex::new((a.re * rat + a.im) * scl, (a.im * rat - a.re) * scl)
    }
}

macro_rules! complex_element {
    ($f:ty, $dtype:literal, $default:literal, $variant:ident) => {
        impl Element for Complex<$f> {
            const DTYPE: &'static str = $dtype;
            const DEFAULT_DTYPE: bool = $default;
            #[inline]
            fn display_value(self) -> DisplayValue {
                DisplayValue::$variant(self.re, self.im)
            }
        }
        impl Number for Complex<$f> {
            type Real = $f;
            #[inline]
            fn zero() -> Self {
                Complex::new(0.0, 0.0)
            }
            #[inline]
            fn one() -> Self {
                Complex::new(1.0, 0.0)
            }
            #[inline]
            fn from_usize(n: usize) -> Self {
                Complex::new(n as $f, 0.0)
            }
            #[inline]
            fn from_f64(x: f64) -> Self {
                Complex::new(x as $f, 0.0)
            }
            #[inline]
            fn abs(self) -> $f {
                // hypot: no overflow for parts above √max, no underflow below √min.
                self.re.hypot(self.im)
            }
            #[inline]
            fn is_nan(self) -> bool {
                self.re.is_nan() || self.im.is_nan()
            }
            #[inline]
            fn div_elem(self, rhs: Self) -> Self {
                smith_div(self, rhs)
            }
        }
        impl Signed for Complex<$f> {}
    };
}

complex_element!(f32, "complex64", false, C32);
complex_element!(f64, "complex128", true, C64);

macro_rules! cast_complex {
    ($($real:ty),*) => {$(
        impl CastInto<Complex<f32>> for $real {
            #[inline]
            fn cast(self) -> Complex<f32> {
                Complex::new(self as f32, 0.0)
            }
        }
        impl CastInto<Complex<f64>> for $real {
            #[inline]
            fn cast(self) -> Complex<f64> {
                Complex::new(self as f64, 0.0)
            }
        }
        impl CastInto<$real> for Complex<f32> {
            #[inline]
            fn cast(self) -> $real {
                self.re as $real
            }
        }
        impl CastInto<$real> for Complex<f64> {
            #[inline]
            fn cast(self) -> $real {
                self.re as $real
            }
        }
    )*};
}

cast_complex!(f32, f64, i32, i64, usize);

macro_rules! cast_between_complex {
    ($from:ty => $($to:ty),*) => {
        $(impl CastInto<Complex<$to>> for Complex<$from> {
            #[inline]
            fn cast(self) -> Complex<$to> {
                Complex::new(self.re as $to, self.im as $to)
            }
        })*
        impl CastInto<bool> for Complex<$from> {
            #[inline]
            fn cast(self) -> bool {
                self.re != 0.0 || self.im != 0.0
            }
        }
        impl CastInto<Complex<$from>> for bool {
            #[inline]
            fn cast(self) -> Complex<$from> {
                Complex::new((self as u8) as $from, 0.0)
            }
        }
    };
}

cast_between_complex!(f32 => f32, f64);
cast_between_complex!(f64 => f32, f64);
