//! Naive references for the kernels beside GEMM: plain loops, `f64` accumulation, panics on a
//! shape mismatch (they are oracles for tests, not library code).

use crate::{Diag, MatMut, MatRef, Scalar, Side, Uplo};

/// Element `i` of a vector view (`n × 1` or `1 × n`); panics on other shapes.
fn vget<T: Scalar>(x: &MatRef<'_, T>, i: usize) -> f64 {
    match x.shape() {
        (_, 1) => x.get(i, 0).to_f64(),
        (1, _) => x.get(0, i).to_f64(),
        s => panic!("reference: {s:?} is not a vector"),
    }
}

/// Length of a vector view.
fn vlen<T>(x: &MatRef<'_, T>) -> usize {
    match x.shape() {
        (n, 1) | (1, n) => n,
        s => panic!("reference: {s:?} is not a vector"),
    }
}

fn vset<T: Scalar>(x: &mut MatMut<'_, T>, i: usize, v: f64) {
    match x.shape() {
        (_, 1) => x.write(i, 0, T::from_f64(v)),
        (1, _) => x.write(0, i, T::from_f64(v)),
        s => panic!("reference: {s:?} is not a vector"),
    }
}

/// The triangle element `T(i, j)` as the kernels read it: zero outside `uplo`, one on a unit
/// diagonal.
fn tri<T: Scalar>(t: &MatRef<'_, T>, uplo: Uplo, diag: Diag, i: usize, j: usize) -> f64 {
    if i == j {
        return if diag == Diag::Unit {
            1.0
        } else {
            t.get(i, i).to_f64()
        };
    }
    let inside = match uplo {
        Uplo::Lower => i > j,
        Uplo::Upper => i < j,
    };
    if inside { t.get(i, j).to_f64() } else { 0.0 }
}

/// `op(T)·X = α·B` / `X·op(T) = α·B` by substitution in `f64`, one right-hand side at a time.
pub fn trsm<T: Scalar>(
    side: Side,
    uplo: Uplo,
    diag: Diag,
    alpha: T,
    t: MatRef<'_, T>,
    b: MatMut<'_, T>,
) {
    let (t, uplo, mut b) = match side {
        Side::Left => (t, uplo, b),
        Side::Right => (t.transpose(), uplo.flip(), b.transpose()),
    };
    let n = t.nrows();
    assert!(t.ncols() == n && b.nrows() == n, "reference::trsm: shapes");
    for j in 0..b.ncols() {
        let mut x: Vec<f64> = (0..n)
            .map(|i| alpha.to_f64() * b.get(i, j).to_f64())
            .collect();
        if alpha == T::zero() {
            x.fill(0.0);
        }
        let order: Vec<usize> = match uplo {
            Uplo::Lower => (0..n).collect(),
            Uplo::Upper => (0..n).rev().collect(),
        };
        for &i in &order {
            let mut s = x[i];
            for k in 0..n {
                if k != i && tri(&t, uplo, diag, i, k) != 0.0 {
                    s -= tri(&t, uplo, diag, i, k) * x[k];
                }
            }
            x[i] = s / tri(&t, uplo, diag, i, i);
        }
        for i in 0..n {
            b.write(i, j, T::from_f64(x[i]));
        }
    }
}

/// `B ← α·op(T)·B` / `B ← α·B·op(T)` by the triple loop in `f64`.
pub fn trmm<T: Scalar>(
    side: Side,
    uplo: Uplo,
    diag: Diag,
    alpha: T,
    t: MatRef<'_, T>,
    b: MatMut<'_, T>,
) {
    let (t, uplo, mut b) = match side {
        Side::Left => (t, uplo, b),
        Side::Right => (t.transpose(), uplo.flip(), b.transpose()),
    };
    let n = t.nrows();
    assert!(t.ncols() == n && b.nrows() == n, "reference::trmm: shapes");
    for j in 0..b.ncols() {
        let col: Vec<f64> = (0..n).map(|i| b.get(i, j).to_f64()).collect();
        for i in 0..n {
            let s: f64 = (0..n).map(|k| tri(&t, uplo, diag, i, k) * col[k]).sum();
            let v = if alpha == T::zero() {
                0.0
            } else {
                alpha.to_f64() * s
            };
            b.write(i, j, T::from_f64(v));
        }
    }
}

/// `C ← α·A·Aᵀ + β·C` on triangle `uplo` only; `β = 0` ignores C.
pub fn syrk<T: Scalar>(uplo: Uplo, alpha: T, a: MatRef<'_, T>, beta: T, mut c: MatMut<'_, T>) {
    let n = c.nrows();
    assert!(c.ncols() == n && a.nrows() == n, "reference::syrk: shapes");
    for j in 0..n {
        for i in 0..n {
            let inside = match uplo {
                Uplo::Lower => i >= j,
                Uplo::Upper => i <= j,
            };
            if !inside {
                continue;
            }
            let s: f64 = (0..a.ncols())
                .map(|p| a.get(i, p).to_f64() * a.get(j, p).to_f64())
                .sum();
            let old = if beta == T::zero() {
                0.0
            } else {
                beta.to_f64() * c.get(i, j).to_f64()
            };
            c.write(i, j, T::from_f64(alpha.to_f64() * s + old));
        }
    }
}

/// `y ← α·A·x + β·y`; `β = 0` ignores y.
pub fn gemv<T: Scalar>(
    alpha: T,
    a: MatRef<'_, T>,
    x: MatRef<'_, T>,
    beta: T,
    mut y: MatMut<'_, T>,
) {
    let (m, n) = a.shape();
    assert!(
        vlen(&x) == n && vlen(&y.as_ref()) == m,
        "reference::gemv: shapes"
    );
    for i in 0..m {
        let s: f64 = (0..n).map(|j| a.get(i, j).to_f64() * vget(&x, j)).sum();
        let old = if beta == T::zero() {
            0.0
        } else {
            beta.to_f64() * vget(&y.as_ref(), i)
        };
        vset(&mut y, i, alpha.to_f64() * s + old);
    }
}

/// `A ← A + α·x·yᵀ`.
pub fn ger<T: Scalar>(alpha: T, x: MatRef<'_, T>, y: MatRef<'_, T>, mut a: MatMut<'_, T>) {
    let (m, n) = a.shape();
    assert!(vlen(&x) == m && vlen(&y) == n, "reference::ger: shapes");
    for j in 0..n {
        for i in 0..m {
            let v = a.get(i, j).to_f64() + alpha.to_f64() * vget(&x, i) * vget(&y, j);
            a.write(i, j, T::from_f64(v));
        }
    }
}

/// `xᵀ·y` accumulated in `f64`.
pub fn dot<T: Scalar>(x: MatRef<'_, T>, y: MatRef<'_, T>) -> T {
    let n = vlen(&x);
    assert_eq!(n, vlen(&y), "reference::dot: lengths");
    T::from_f64((0..n).map(|i| vget(&x, i) * vget(&y, i)).sum())
}

/// `y ← α·x + y`.
pub fn axpy<T: Scalar>(alpha: T, x: MatRef<'_, T>, mut y: MatMut<'_, T>) {
    let n = vlen(&x);
    assert_eq!(n, vlen(&y.as_ref()), "reference::axpy: lengths");
    for i in 0..n {
        let v = vget(&y.as_ref(), i) + alpha.to_f64() * vget(&x, i);
        vset(&mut y, i, v);
    }
}

/// `‖x‖₂` of all elements of the view by repeated `hypot` (slow, overflow-free).
pub fn nrm2<T: Scalar>(x: MatRef<'_, T>) -> T {
    let mut r = 0.0f64;
    for j in 0..x.ncols() {
        for i in 0..x.nrows() {
            r = r.hypot(x.get(i, j).to_f64());
        }
    }
    T::from_f64(r)
}

/// First index (column-major) of the largest `|x_i|`, reference-BLAS NaN semantics.
pub fn iamax<T: Scalar>(x: MatRef<'_, T>) -> Option<usize> {
    let (m, n) = x.shape();
    if m == 0 || n == 0 {
        return None;
    }
    let mut best = x.get(0, 0).to_f64().abs();
    let mut arg = 0;
    for k in 1..m * n {
        let v = x.get(k % m, k / m).to_f64().abs();
        if v > best {
            best = v;
            arg = k;
        }
    }
    Some(arg)
}
