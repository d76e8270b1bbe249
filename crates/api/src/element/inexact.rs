//! [`Inexact`]: numpy's `np.inexact`, the float and complex element types.

use lapis_kernels::Scalar;

use super::{Complex, Number, RealNumber, Signed};

/// The float and complex element types (numpy's `np.inexact`): `f32`, `f64`, [`c32`](crate::c32),
/// [`c64`](crate::c64). Sealed.
///
/// What it unlocks on arrays: `sqrt`, `exp`, `mean`, [`isclose`](crate::isclose) /
/// [`allclose`](crate::allclose), `re`/`im`/`conj`/`angle`, and the products that run on the
/// GEMM kernels ([`matmul`](crate::matmul), [`dot`](crate::dot), [`outer`](crate::outer), …).
/// A complex matrix is read in place as two real strided matrices (real parts at element
/// offset 0, imaginary parts at 1, strides doubled), so complex products run on the real
/// kernels: hence `bytemuck::Pod`.
///
/// [`Inexact::Float`] is the part type (`f32` or `f64`, the same as [`Number::Real`]).
/// Generic code that needs the complex type of a real `T` writes the bound
/// `Complex<T>: Inexact<Float = T>`.
///
/// The `linalg` functions that accept complex arrays are bounded on `Inexact` (`solve`,
/// `inv`, `det`, `cholesky`, `lu`, `eig`, …); those bounded on [`Scalar`] stay real-only, and a
/// complex array does not compile there:
///
/// ```compile_fail
/// use lapis::{c64, Array};
/// let ab = Array::<c64>::ones(&[3, 3]);
/// let b = Array::<c64>::ones(&[3]);
/// let _ = lapis::linalg::solve_banded((1, 1), &ab, &b);
/// ```
///
/// ```
/// use lapis::{c64, Inexact};
/// // numpy: np.angle(1j), np.conj(1+2j), (1+2j).real
/// assert_eq!(Inexact::angle(c64::new(0.0, 1.0)), std::f64::consts::FRAC_PI_2);
/// assert_eq!(Inexact::conj(c64::new(1.0, 2.0)), c64::new(1.0, -2.0));
/// assert_eq!(Inexact::re(c64::new(1.0, 2.0)), 1.0);
/// assert_eq!(Inexact::im(2.5f64), 0.0);
/// ```
pub trait Inexact: Signed + bytemuck::Pod + Number<Real = <Self as Inexact>::Float> {
    /// The type of the real and imaginary parts: `f32` or `f64`.
    type Float: Scalar + RealNumber + Inexact<Float = Self::Float>;
    /// Whether the type is complex (two parts per element).
    const IS_COMPLEX: bool;
    /// The real part (numpy's `z.real`; the value itself for a real type).
    fn re(self) -> Self::Float;
    /// The imaginary part (numpy's `z.imag`; 0 for a real type).
    fn im(self) -> Self::Float;
    /// The complex conjugate (numpy's `np.conj`; the value itself for a real type).
    fn conj(self) -> Self;
    /// A real value as this type (imaginary part 0).
    fn from_float(x: Self::Float) -> Self;
    /// The argument in `(-π, π]` (numpy's `np.angle`: `arctan2(imag, real)`; 0 or π for a
    /// real type).
    fn angle(self) -> Self::Float;
    /// Whether every part is finite (numpy's `np.isfinite`).
    fn isfinite(self) -> bool;
    /// The principal square root, for [`ArrayBase::sqrt`](crate::ArrayBase::sqrt): for
    /// complex, the branch cut is the negative real axis and the sign of a zero imaginary
    /// part picks the side. (Named apart from `Float::sqrt`, so generic code bounded on both
    /// `Scalar` and `Inexact` stays unambiguous; likewise below.)
    #[doc(hidden)]
    fn sqrt_elem(self) -> Self;
    /// `eˣ`, for [`ArrayBase::exp`](crate::ArrayBase::exp).
    #[doc(hidden)]
    fn exp_elem(self) -> Self;
    /// NaN (`nan+nanj` for complex), the mean of nothing.
    #[doc(hidden)]
    fn nan_elem() -> Self;
}

macro_rules! real_inexact {
    ($($t:ty),*) => {$(
        impl Inexact for $t {
            type Float = $t;
            const IS_COMPLEX: bool = false;
            #[inline]
            fn re(self) -> $t {
                self
            }
            #[inline]
            fn im(self) -> $t {
                0.0
            }
            #[inline]
            fn conj(self) -> $t {
                self
            }
            #[inline]
            fn from_float(x: $t) -> $t {
                x
            }
            #[inline]
            fn angle(self) -> $t {
                <$t>::atan2(0.0, self)
            }
            #[inline]
            fn sqrt_elem(self) -> $t {
                <$t>::sqrt(self)
            }
            #[inline]
            fn exp_elem(self) -> $t {
                <$t>::exp(self)
            }
            #[inline]
            fn isfinite(self) -> bool {
                <$t>::is_finite(self)
            }
            #[inline]
            fn nan_elem() -> $t {
                <$t>::NAN
            }
        }
    )*};
}

real_inexact!(f32, f64);

/// The principal square root of `x + iy` without the cancellation of the polar form
/// (`√r·cos(θ/2)` loses every digit of a tiny real part near the negative axis): with
/// `t = √((|x| + |z|)/2)`, the root is `(t, y/2t)` for `x ≥ 0` and `(|y|/2t, ±t)` otherwise.
/// Parts near overflow or underflow are rescaled by a power of 4 first. The special
/// values follow C99's `csqrt` (numpy's).
fn complex_sqrt<F: Scalar>(z: Complex<F>) -> Complex<F> {
    let (x, y) = (z.re, z.im);
    let zero = F::zero();
    if y.is_infinite() {
        return Complex::new(F::infinity(), y);
    }
    if x.is_nan() || y.is_nan() {
        return Complex::new(F::nan(), F::nan());
    }
    if x.is_infinite() {
        return if x > zero {
            Complex::new(x, zero.copysign(y))
        } else {
            Complex::new(zero, F::infinity().copysign(y))
        };
    }
    if x == zero && y == zero {
        return Complex::new(zero, y);
    }
    let two = F::one() + F::one();
    let m = x.abs().max(y.abs());
    // Powers of two, so the scaling is exact: 4 = 2², and 1/ε² with √ = 1/ε.
    let (s, unscale) = if m > F::max_value() / (two * two) {
        (F::one() / (two * two), two)
    } else if m < F::MIN_POSITIVE / F::EPS {
        (F::one() / (F::EPS * F::EPS), F::EPS)
    } else {
        (F::one(), F::one())
    };
    let (xs, ys) = (x * s, y * s);
    let t = ((xs.abs() + xs.hypot(ys)) / two).sqrt();
    let (re, im) = if xs >= zero {
        (t, ys / (two * t))
    } else {
        (ys.abs() / (two * t), t.copysign(ys))
    };
    Complex::new(re * unscale, im * unscale)
}

/// `eˣ·(cos y + i sin y)`; a zero imaginary part stays an exact zero (so `exp(inf+0j)` is
/// `inf+0j`, not `inf·sin 0 = nan`).
fn complex_exp<F: Scalar>(z: Complex<F>) -> Complex<F> {
    let e = z.re.exp();
    if z.im == F::zero() {
        return Complex::new(e, z.im);
    }
    Complex::new(e * z.im.cos(), e * z.im.sin())
}

macro_rules! complex_inexact {
    ($($f:ty),*) => {$(
        impl Inexact for Complex<$f> {
            type Float = $f;
            const IS_COMPLEX: bool = true;
            #[inline]
            fn re(self) -> $f {
                self.re
            }
            #[inline]
            fn im(self) -> $f {
                self.im
            }
            #[inline]
            fn conj(self) -> Self {
                Complex::new(self.re, -self.im)
            }
            #[inline]
            fn from_float(x: $f) -> Self {
                Complex::new(x, 0.0)
            }
            #[inline]
            fn angle(self) -> $f {
                self.im.atan2(self.re)
            }
            #[inline]
            fn sqrt_elem(self) -> Self {
                complex_sqrt(self)
            }
            #[inline]
            fn exp_elem(self) -> Self {
                complex_exp(self)
            }
            #[inline]
            fn isfinite(self) -> bool {
                self.re.is_finite() && self.im.is_finite()
            }
            #[inline]
            fn nan_elem() -> Self {
                Complex::new(<$f>::NAN, <$f>::NAN)
            }
        }
    )*};
}

complex_inexact!(f32, f64);
