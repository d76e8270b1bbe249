//! Complex matrices for the factorizations: **split storage**, two real planes.
//!
//! A complex `m × n` matrix is held as its real parts and its imaginary parts, two real
//! matrices of the same shape ([`CMatRef`], [`CMatMut`], owned [`CMat`]). Every level-3
//! step then runs on the real kernels: a complex product is four real GEMMs
//! ([`gemm`]), which costs the 8 real flops per complex multiply–add a complex kernel
//! would, with the real kernel's packing and threads. Split planes (rather than views of
//! interleaved `re, im` pairs with doubled strides) keep every kernel write dense: the
//! GEMM write-back into a stride-2 matrix was measured several times slower than the
//! products themselves. Converting from and to numpy's interleaved layout is one `O(mn)`
//! pass ([`CMat::from_interleaved`], [`CMat::write_interleaved`]).
//!
//! Scalars are [`Complex<T>`] (num-complex). Its `/` is the textbook formula, which
//! overflows for `|z|` beyond √max; the factorizations divide with [`div`] (Smith's
//! scaled division) instead.

mod bidiag;
pub mod block;
pub mod cholesky;
pub mod eigh;
mod gemm;
mod hetrd;
pub mod householder;
pub mod lu;
mod mat;
pub mod qr;
pub mod svd;
mod trsm;

pub use gemm::{Conj, gemm};
pub use mat::{CMat, CMatMut, CMatRef};
pub use num_complex::Complex;
pub use trsm::trsm;

// General (non-Hermitian) eigen (zgeev).
pub mod eig;

use lapis_kernels::Scalar;

/// `a / b` by Smith's algorithm: no overflow or underflow in `|b|²` (LAPACK `ladiv`'s
/// purpose). Division by zero gives the IEEE infinities/NaN of the parts.
///
/// ```
/// use lapis_factor::complex::{Complex, div};
/// // numpy: (1e300+1e300j) / (2e300+2e300j)  -> (0.5+0j)
/// let q = div(Complex::new(1e300, 1e300), Complex::new(2e300, 2e300));
/// assert_eq!(q, Complex::new(0.5, 0.0));
/// ```
#[inline]
pub fn div<T: Scalar>(a: Complex<T>, b: Complex<T>) -> Complex<T> {
    if b.re.abs() >= b.im.abs() {
        if b.re == T::zero() && b.im == T::zero() {
            return Complex::new(a.re / b.re, a.im / b.re);
        }
        let r = b.im / b.re;
        let d = b.re + b.im * r;
        Complex::new((a.re + a.im * r) / d, (a.im - a.re * r) / d)
    } else {
        let r = b.re / b.im;
        let d = b.re * r + b.im;
        Complex::new((a.re * r + a.im) / d, (a.im * r - a.re) / d)
    }
}

/// `|z|` without overflow or underflow in `re² + im²` (LAPACK `lapy2`).
#[inline]
pub fn abs<T: Scalar>(z: Complex<T>) -> T {
    z.re.hypot(z.im)
}

/// `|re| + |im|`: LAPACK's cheap magnitude (`cabs1`), what its complex pivot searches
/// compare.
#[inline]
pub fn abs1<T: Scalar>(z: Complex<T>) -> T {
    z.re.abs() + z.im.abs()
}

/// A reproducible complex `m × n` test matrix, parts uniform in `[-0.5, 0.5)` (a 64-bit LCG).
#[cfg(test)]
pub(crate) mod test_util {
    use super::CMat;

    pub(crate) fn sample(m: usize, n: usize, seed: u64) -> CMat<f64> {
        let mut s = seed;
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 11) as f64 / (1u64 << 53) as f64) - 0.5
        };
        let parts: Vec<f64> = (0..2 * m * n).map(|_| next()).collect();
        CMat::from_interleaved(&parts, m, n, 2, 2 * m)
    }
}
