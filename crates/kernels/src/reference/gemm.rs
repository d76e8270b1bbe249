use crate::{MatMut, MatRef, Scalar};

/// `C ← α·A·B + β·C` by the triple loop, accumulating in `f64`; `β = 0` ignores C.
/// Panics on a shape mismatch.
///
/// ```
/// use lapis_kernels::{reference, MatMut, MatRef};
/// let a = [1.0f32, 2.0];
/// let mut c = [0.0f32; 1];
/// reference::gemm(
///     1.0,
///     MatRef::from_row_major(&a, 1, 2).unwrap(),
///     MatRef::from_row_major(&a, 2, 1).unwrap(),
///     0.0,
///     MatMut::from_row_major(&mut c, 1, 1).unwrap(),
/// );
/// assert_eq!(c[0], 5.0);
/// ```
pub fn gemm<T: Scalar>(
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    mut c: MatMut<'_, T>,
) {
    assert!(
        a.ncols() == b.nrows() && a.nrows() == c.nrows() && b.ncols() == c.ncols(),
        "reference::gemm: a {:?}, b {:?}, c {:?}",
        a.shape(),
        b.shape(),
        c.shape()
    );
    for i in 0..c.nrows() {
        for j in 0..c.ncols() {
            let mut s = 0.0f64;
            for p in 0..a.ncols() {
                s += a.get(i, p).to_f64() * b.get(p, j).to_f64();
            }
            let old = c.get(i, j);
            let v = alpha.to_f64() * s
                + if beta == T::zero() {
                    0.0
                } else {
                    beta.to_f64() * old.to_f64()
                };
            c.write(i, j, T::from_f64(v));
        }
    }
}

/// `|α|·|A|·|B| + |β|·|C|` elementwise: the scale of the rounding error a product may carry.
/// Panics on a shape mismatch.
pub fn gemm_error_scale<T: Scalar>(
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    c: MatRef<'_, T>,
) -> Vec<f64> {
    let (m, n) = c.shape();
    let mut out = vec![0.0; m * n];
    for j in 0..n {
        for i in 0..m {
            let mut s = 0.0f64;
            for p in 0..a.ncols() {
                s += (a.get(i, p).to_f64() * b.get(p, j).to_f64()).abs();
            }
            let cterm = if beta == T::zero() {
                0.0
            } else {
                (beta.to_f64() * c.get(i, j).to_f64()).abs()
            };
            out[i + j * m] = alpha.to_f64().abs() * s + cterm;
        }
    }
    out
}
