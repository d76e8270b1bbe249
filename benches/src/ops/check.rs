//! Shared pieces of the factorization ops: answer slots, f64 arithmetic for verification,
//! norms, a per-answer cache of error measures, and faer's workspace.

use std::sync::OnceLock;

use lapis_kernels::{MatMut, MatRef, Par, Scalar};

use super::Impl;
use crate::rng::Rng;

/// Index of an implementation's output buffer, like [`Impl::ALL`].
pub fn slot(imp: Impl) -> usize {
    match imp {
        Impl::Lapis => 0,
        Impl::OpenBlas => 1,
        Impl::Faer => 2,
    }
}

/// Machine epsilon of `T`, as `f64`.
pub fn eps<T: Scalar>() -> f64 {
    Scalar::to_f64(T::EPS)
}

/// `x` widened to `f64`.
pub fn widen<T: Scalar>(x: &[T]) -> Vec<f64> {
    x.iter().map(|v| Scalar::to_f64(*v)).collect()
}

/// `x` narrowed from `f64`.
pub fn narrow<T: Scalar>(x: &[f64]) -> Vec<T> {
    x.iter().map(|&v| T::from_f64(v)).collect()
}

/// `max` that propagates NaN (a NaN error measure must fail verification).
pub fn worst(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        f64::NAN
    } else {
        x.max(y)
    }
}

/// A column-major `rows × cols` f64 matrix.
#[derive(Clone, Debug)]
pub struct M64 {
    /// Rows.
    pub rows: usize,
    /// Columns.
    pub cols: usize,
    /// Entries, column-major.
    pub data: Vec<f64>,
}

impl M64 {
    /// Zeros.
    pub fn zeros(rows: usize, cols: usize) -> Self {
        M64 {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    /// From a column-major slice of any element type.
    pub fn from_slice<T: Scalar>(x: &[T], rows: usize, cols: usize) -> Self {
        M64 {
            rows,
            cols,
            data: widen(&x[..rows * cols]),
        }
    }

    /// Entry `(i, j)`.
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.data[i + j * self.rows]
    }

    /// A view.
    pub fn view(&self) -> MatRef<'_, f64> {
        MatRef::from_col_major(&self.data, self.rows, self.cols).expect("sized on creation")
    }

    /// `op(self) · op(other)` (`t` = transpose), computed by lapis's GEMM in f64 on one
    /// thread. GEMM in f64 of inputs that are f32 or f64 is accurate to f64 rounding, far
    /// below every tolerance used here.
    pub fn mul(&self, ta: bool, other: &M64, tb: bool) -> M64 {
        let a = if ta {
            self.view().transpose()
        } else {
            self.view()
        };
        let b = if tb {
            other.view().transpose()
        } else {
            other.view()
        };
        let mut c = M64::zeros(a.nrows(), b.ncols());
        let (r, cc) = (c.rows, c.cols);
        let out = MatMut::from_col_major(&mut c.data, r, cc).expect("sized above");
        if lapis_kernels::gemm(1.0, a, b, 0.0, out, Par::Seq).is_err() {
            c.data.fill(f64::NAN);
        }
        c
    }

    /// The 1-norm (largest column sum of magnitudes).
    pub fn norm1(&self) -> f64 {
        (0..self.cols)
            .map(|j| (0..self.rows).map(|i| self.at(i, j).abs()).sum::<f64>())
            .fold(0.0, worst)
    }

    /// The ∞-norm (largest row sum of magnitudes).
    pub fn norm_inf(&self) -> f64 {
        let mut rows = vec![0.0f64; self.rows];
        for j in 0..self.cols {
            for (i, r) in rows.iter_mut().enumerate() {
                *r += self.at(i, j).abs();
            }
        }
        rows.into_iter().fold(0.0, worst)
    }

    /// Euclidean norm of column `j`.
    pub fn col_norm(&self, j: usize) -> f64 {
        let col = &self.data[j * self.rows..(j + 1) * self.rows];
        col.iter().map(|x| x * x).sum::<f64>().sqrt()
    }

    /// Frobenius norm.
    pub fn norm_fro(&self) -> f64 {
        self.data.iter().map(|x| x * x).sum::<f64>().sqrt()
    }
}

/// The lower triangle (with the diagonal) of the column-major `n × n` `x`, zeros above.
pub fn lower<T: Scalar>(x: &[T], n: usize) -> M64 {
    let mut l = M64::zeros(n, n);
    for j in 0..n {
        for i in j..n {
            l.data[i + j * n] = Scalar::to_f64(x[i + j * n]);
        }
    }
    l
}

/// The upper-trapezoidal `min(m, n) × n` factor `R` from the column-major `m × n` `x`.
pub fn upper<T: Scalar>(x: &[T], m: usize, n: usize) -> M64 {
    let k = m.min(n);
    let mut r = M64::zeros(k, n);
    for j in 0..n {
        for i in 0..k.min(j + 1) {
            r.data[i + j * k] = Scalar::to_f64(x[i + j * m]);
        }
    }
    r
}

/// A random `rows × cols` f64 matrix, uniform in [-1, 1).
pub fn random(rng: &mut Rng, rows: usize, cols: usize) -> M64 {
    M64 {
        rows,
        cols,
        data: (0..rows * cols).map(|_| rng.uniform()).collect(),
    }
}

/// Per-answer error measures, computed at most once per answer: cleared when an
/// implementation runs again (its answer is then recomputed, bit for bit the same in
/// practice, but a cache must not outlive what it describes).
#[derive(Debug, Default)]
pub struct Measures([OnceLock<f64>; 3]);

impl Measures {
    /// Forgets the measure of `imp`'s answer (call at the start of every run).
    pub fn clear(&mut self, imp: Impl) {
        self.0[slot(imp)] = OnceLock::new();
    }

    /// The measure of `imp`'s answer, computing it with `f` the first time.
    pub fn get(&self, imp: Impl, f: impl FnOnce() -> f64) -> f64 {
        *self.0[slot(imp)].get_or_init(f)
    }
}

/// faer's workspace (`MemBuffer`) of a given size.
pub struct FaerMem(::faer::dyn_stack::MemBuffer);

impl std::fmt::Debug for FaerMem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FaerMem")
    }
}

impl FaerMem {
    /// A buffer of `req`.
    pub fn new(req: ::faer::dyn_stack::StackReq) -> Self {
        FaerMem(::faer::dyn_stack::MemBuffer::new(req))
    }

    /// The stack over it.
    pub fn stack(&mut self) -> &mut ::faer::dyn_stack::MemStack {
        ::faer::dyn_stack::MemStack::new(&mut self.0)
    }
}

/// `±∏ d_i` in f64 without intermediate overflow or underflow: the running product is
/// rescaled by exact powers of two. Used by the peers' `det`, as lapis's `det` does the
/// same (numpy sums logarithms instead).
pub fn scaled_product(negative: bool, d: impl IntoIterator<Item = f64>) -> f64 {
    const BIG: f64 = 1.157_920_892_373_162e77; // 2^256
    const SMALL: f64 = 1.0 / BIG;
    let mut m = if negative { -1.0 } else { 1.0 };
    let mut e: i64 = 0; // value = m · 2^(256·e)
    for x in d {
        m *= x;
        if m == 0.0 || !m.is_finite() {
            return m;
        }
        while m.abs() > BIG {
            m *= SMALL;
            e += 1;
        }
        while m.abs() < SMALL {
            m *= BIG;
            e -= 1;
        }
    }
    while e > 0 {
        m *= BIG;
        e -= 1;
    }
    while e < 0 {
        m *= SMALL;
        e += 1;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_product_survives_extremes() {
        let big = std::iter::repeat_n(1e200, 10).chain(std::iter::repeat_n(1e-200, 10));
        assert!((scaled_product(true, big) + 1.0).abs() < 1e-12);
        assert_eq!(scaled_product(false, [2.0, 0.0, 3.0]), 0.0);
        assert!(scaled_product(false, std::iter::repeat_n(1e300, 3)).is_infinite());
    }

    #[test]
    fn products_and_norms() {
        let a = M64 {
            rows: 2,
            cols: 2,
            data: vec![1.0, 3.0, -2.0, 4.0], // [[1, -2], [3, 4]]
        };
        assert_eq!(a.norm1(), 6.0);
        assert_eq!(a.norm_inf(), 7.0);
        let ata = a.mul(true, &a, false);
        assert_eq!(ata.data, vec![10.0, 10.0, 10.0, 20.0]);
        assert!(worst(1.0, f64::NAN).is_nan());
    }
}
