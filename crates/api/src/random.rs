//! Seeded random arrays, reproducible bit for bit on every platform.
//!
//! The generator is xoshiro256** (Blackman & Vigna), seeded through splitmix64. Uniform
//! doubles take the top 53 bits. Normal deviates use Marsaglia's polar method with a
//! logarithm computed here from IEEE-exact operations only (`+ - * /` and `sqrt`), so no
//! platform `libm` difference can change a sample. The streams are **not** numpy's PCG64
//! streams: the same seed gives different numbers than numpy, only the distributions agree.

use crate::Scalar;
use crate::array::Array;

/// A seeded random generator (numpy's `np.random.default_rng(seed)`).
///
/// ```
/// use lapis::random::Rng;
/// // numpy: rng = np.random.default_rng(42); rng.standard_normal((2, 3))
/// let mut rng = Rng::new(42);
/// let a = rng.standard_normal::<f64>(&[2, 3]);
/// assert_eq!(a.shape(), &[2, 3]);
/// assert_eq!(Rng::new(42).standard_normal::<f64>(&[2, 3]), a);
/// ```
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
    spare: Option<f64>,
}

/// numpy's `np.random.default_rng(seed)`: a [`Rng`] seeded with `seed`.
///
/// ```
/// // numpy: np.random.default_rng(0).random(3)
/// let x = lapis::random::default_rng(0).random::<f64>(&[3]);
/// assert!(x.iter().all(|&v| (0.0..1.0).contains(&v)));
/// ```
pub fn default_rng(seed: u64) -> Rng {
    Rng::new(seed)
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Natural logarithm of a positive normal `x` from exactly rounded operations only.
pub(crate) fn portable_ln(x: f64) -> f64 {
    debug_assert!(x > 0.0 && x.is_finite());
    let (mut x, mut e) = (x, 0i64);
    if x < f64::MIN_POSITIVE {
        x *= 2f64.powi(64);
        e -= 64;
    }
    let bits = x.to_bits();
    e += ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000F_FFFF_FFFF_FFFF) | (1023u64 << 52));
    if m > core::f64::consts::SQRT_2 {
        m /= 2.0;
        e += 1;
    }
    // ln(m) = 2·atanh(f), f = (m - 1)/(m + 1), |f| ≤ 0.1716: the odd series converges fast.
    let f = (m - 1.0) / (m + 1.0);
    let f2 = f * f;
    let mut poly = 0.0;
    for k in (0..14).rev() {
        poly = poly * f2 + 1.0 / (2 * k + 1) as f64;
    }
    e as f64 * core::f64::consts::LN_2 + 2.0 * f * poly
}

impl Rng {
    /// A generator seeded with `seed` (every seed, 0 included, gives a good state).
    ///
    /// ```
    /// use lapis::random::Rng;
    /// assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
    /// ```
    pub fn new(seed: u64) -> Self {
        let mut sm = seed;
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Rng { s, spare: None }
    }

    /// The next 64 random bits.
    ///
    /// ```
    /// use lapis::random::Rng;
    /// let mut r = Rng::new(7);
    /// let (a, b) = (r.next_u64(), r.next_u64());
    /// assert_ne!(a, b);
    /// ```
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A uniform double in `[0, 1)` with 53 random bits (numpy's `rng.random()`).
    ///
    /// ```
    /// use lapis::random::Rng;
    /// let x = Rng::new(3).next_f64();
    /// assert!((0.0..1.0).contains(&x));
    /// ```
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A standard normal deviate (mean 0, variance 1), Marsaglia's polar method.
    ///
    /// ```
    /// use lapis::random::Rng;
    /// assert!(Rng::new(3).next_normal().is_finite());
    /// ```
    pub fn next_normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        loop {
            let u = 2.0 * self.next_f64() - 1.0;
            let v = 2.0 * self.next_f64() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let factor = (-2.0 * portable_ln(s) / s).sqrt();
                self.spare = Some(v * factor);
                return u * factor;
            }
        }
    }

    /// Uniform samples in `[0, 1)` of the given shape (numpy's `rng.random(shape)`).
    ///
    /// ```
    /// use lapis::random::Rng;
    /// // numpy: rng.random((2, 2))
    /// let a = Rng::new(1).random::<f32>(&[2, 2]);
    /// assert!(a.iter().all(|&x| (0.0..1.0).contains(&x)));
    /// ```
    pub fn random<T: Scalar + crate::Element>(&mut self, shape: &[usize]) -> Array<T> {
        self.uniform(T::zero(), T::one(), shape)
    }

    /// Uniform samples in `[low, high)` (numpy's `rng.uniform(low, high, shape)`). The
    /// same seed gives the same draws for `f32` and `f64` (rounded for `f32`).
    ///
    /// ```
    /// use lapis::random::Rng;
    /// // numpy: rng.uniform(-1., 1., 100)
    /// let a = Rng::new(5).uniform(-1.0, 1.0, &[100]);
    /// assert!(a.iter().all(|&x| (-1.0..1.0).contains(&x)));
    /// ```
    pub fn uniform<T: Scalar + crate::Element>(
        &mut self,
        low: T,
        high: T,
        shape: &[usize],
    ) -> Array<T> {
        let (lo, hi) = (low.to_f64(), high.to_f64());
        Array::from_shape_fn(shape, |_| T::from_f64(lo + (hi - lo) * self.next_f64()))
    }

    /// Standard normal samples (numpy's `rng.standard_normal(shape)`).
    ///
    /// ```
    /// use lapis::random::Rng;
    /// // numpy: rng.standard_normal(1000).mean() is near 0
    /// let a = Rng::new(9).standard_normal::<f64>(&[1000]);
    /// assert!(a.mean().abs() < 0.2);
    /// ```
    pub fn standard_normal<T: Scalar + crate::Element>(&mut self, shape: &[usize]) -> Array<T> {
        Array::from_shape_fn(shape, |_| T::from_f64(self.next_normal()))
    }

    /// Normal samples with mean `loc` and standard deviation `scale` (numpy's
    /// `rng.normal(loc, scale, shape)`).
    ///
    /// ```
    /// use lapis::random::Rng;
    /// let a = Rng::new(9).normal(10.0f64, 0.5, &[1000]);
    /// assert!((a.mean() - 10.0).abs() < 0.2);
    /// ```
    pub fn normal<T: Scalar + crate::Element>(
        &mut self,
        loc: T,
        scale: T,
        shape: &[usize],
    ) -> Array<T> {
        let (m, s) = (loc.to_f64(), scale.to_f64());
        Array::from_shape_fn(shape, |_| T::from_f64(m + s * self.next_normal()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_ln_matches_libm() {
        let mut r = Rng::new(11);
        for _ in 0..10_000 {
            let x = r.next_f64() + 1e-300;
            let (a, b) = (portable_ln(x), x.ln());
            assert!(
                (a - b).abs() <= 4.0 * f64::EPSILON * b.abs().max(1.0),
                "{x}: {a} vs {b}"
            );
        }
        assert_eq!(portable_ln(1.0), 0.0);
        assert!((portable_ln(1e-310) - 1e-310f64.ln()).abs() < 1e-12);
    }
}
