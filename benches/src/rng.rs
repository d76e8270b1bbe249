//! A tiny deterministic generator for benchmark inputs (no `rand` dependency needed).

/// SplitMix64: fast, seedable, good enough to fill matrices with noise.
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator whose stream depends only on `seed`.
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[-1, 1)`.
    pub fn uniform(&mut self) -> f64 {
        // 53 random bits → [0, 1), then map to [-1, 1).
        let unit = (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        2.0 * unit - 1.0
    }

    /// `len` values uniform in `[-1, 1)`, converted to `T`.
    pub fn fill<T: lapis_kernels::Scalar>(&mut self, len: usize) -> Vec<T> {
        (0..len).map(|_| T::from_f64(self.uniform())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_is_in_range_and_deterministic() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..1000 {
            let x = a.uniform();
            assert!((-1.0..1.0).contains(&x));
            assert_eq!(x, b.uniform());
        }
    }
}
