//! Every numpy 2 `numpy.linalg` name in `lapis::linalg`: numpy's shape
//! rules and errors, values against numpy's answers (literals printed by numpy 2.4) or
//! closed forms, and the identities that define the tensor functions
//! (`tensordot(a, tensorsolve(a, b)) = b`, `tensordot(tensorinv(a), a) = I`) with
//! tolerances from n·ε.

use lapis::linalg::{self, Ord};
use lapis::{Array, LinalgError, array, matmul, random, s, tensordot};

const EPS: f64 = f64::EPSILON;

fn rand(shape: &[usize], seed: u64) -> Array<f64> {
    random::default_rng(seed).standard_normal::<f64>(shape)
}

fn arange(n: usize, shape: &[isize]) -> Array<f64> {
    Array::arange(0., n as f64, 1.).into_shape(shape).unwrap()
}

fn max_abs(a: &Array<f64>) -> f64 {
    a.iter().fold(0.0f64, |m, &x| m.max(x.abs()))
}

/// `|a − b| ≤ c·ε·|b|`.
fn close(a: f64, b: f64, c: f64) {
    assert!((a - b).abs() <= c * EPS * b.abs(), "{a} vs {b}");
}

/// A shape error from `op` whose message names every shape in `shapes`.
fn assert_shape_err<T: std::fmt::Debug>(
    r: Result<T, LinalgError>,
    op: &str,
    shapes: &[&str],
) -> LinalgError {
    let e = r.expect_err("a shape error");
    let msg = e.to_string();
    assert!(
        matches!(&e, LinalgError::Shape { op: o, .. } if *o == op),
        "{op}: {e:?}"
    );
    for sh in shapes {
        assert!(msg.contains(sh), "{msg:?} should name {sh}");
    }
    e
}

/// The names numpy 2's `numpy.linalg` holds, in `lapis::linalg` (a compile-time check: the
/// test only needs to build).
#[test]
fn every_numpy_linalg_name_is_here() {
    #[allow(unused_imports)]
    use lapis::linalg::{
        LinalgError, cholesky, cond, cross, det, diagonal, eig, eigh, eigvals, eigvalsh, inv,
        lstsq, matmul, matrix_norm, matrix_power, matrix_rank, matrix_transpose, multi_dot, norm,
        outer, pinv, qr, slogdet, solve, svd, svdvals, tensordot, tensorinv, tensorsolve, trace,
        vecdot, vector_norm,
    };
    // Where numpy.linalg's function is the top-level one, so is Lapis's.
    let a = rand(&[3, 4], 1);
    let b = rand(&[4, 2], 2);
    assert_eq!(
        linalg::matmul(&a, &b).unwrap(),
        lapis::matmul(&a, &b).unwrap()
    );
    assert_eq!(
        linalg::tensordot(&a, &b, 1).unwrap(),
        lapis::matmul(&a, &b).unwrap()
    );
}

#[test]
fn matmul_tensordot_matrix_power_multi_dot() {
    // numpy: np.linalg.matmul(np.arange(6.).reshape(2, 3), np.arange(3.))  -> [5., 14.]
    let m = linalg::matmul(&arange(6, &[2, 3]), &arange(3, &[3])).unwrap();
    assert_eq!(m, array![5., 14.]);
    // numpy: np.linalg.matmul(np.ones(3), 2.0)  -> ValueError (no scalars, unlike `*`)
    let e = linalg::matmul(&Array::<f64>::ones(&[3]), &Array::from_elem_0d(2.0));
    assert_shape_err(e, "matmul", &["(3,)", "()"]);
    // numpy: np.linalg.tensordot(np.arange(24.).reshape(2, 3, 4), np.arange(12.).reshape(3, 4))
    let t = linalg::tensordot(&arange(24, &[2, 3, 4]), &arange(12, &[3, 4]), 2).unwrap();
    assert_eq!(t, array![506., 1298.]);
    let e = linalg::tensordot(&arange(24, &[2, 3, 4]), &arange(12, &[4, 3]), 2);
    assert_shape_err(e, "tensordot", &["(2, 3, 4)", "(4, 3)"]);
    // numpy: np.linalg.matrix_power([[1., 1.], [1., 0.]], 10) -> Fibonacci numbers
    let f = linalg::matrix_power(&array![[1., 1.], [1., 0.]], 10).unwrap();
    assert_eq!(f, array![[89., 55.], [55., 34.]]);
    // numpy: np.linalg.multi_dot([v, A, w]) with 1-D ends -> 0-d
    let (v, a, w) = (
        array![1., 2.],
        array![[1., 2., 3.], [4., 5., 6.]],
        array![1., 0., -1.],
    );
    let d = linalg::multi_dot(&[v.view(), a.view(), w.view()]).unwrap();
    assert_eq!(d.shape(), &[] as &[usize]);
    // v·A = [9, 12, 15]; ·w = 9 − 15
    assert_eq!(d.into_scalar().unwrap(), -6.0);
}

#[test]
fn trace_over_the_last_two_axes() {
    // numpy: np.linalg.trace(np.arange(24.).reshape(3, 2, 2, 2))
    let a = arange(24, &[3, 2, 2, 2]);
    let t = linalg::trace(&a, 0).unwrap();
    assert_eq!(t, array![[3., 11.], [19., 27.], [35., 43.]]);
    // np.trace uses the first two axes: a different answer on the same input.
    assert_ne!(lapis::trace(&a, 0).unwrap(), t);
    // numpy: offsets on np.arange(9.).reshape(3, 3): 1 -> 6, 2 -> 2, -1 -> 10, -2 -> 6
    let b = arange(9, &[3, 3]);
    for (k, want) in [
        (0, 12.),
        (1, 6.),
        (2, 2.),
        (-1, 10.),
        (-2, 6.),
        (3, 0.),
        (-7, 0.),
    ] {
        let r = linalg::trace(&b, k).unwrap();
        assert_eq!(r.ndim(), 0);
        assert_eq!(r.into_scalar().unwrap(), want, "offset {k}");
    }
    // The transposed view has the same trace; a reversed view sums the anti-diagonal.
    assert_eq!(
        linalg::trace(&b.t(), 0).unwrap().into_scalar().unwrap(),
        12.0
    );
    let flipped = b.slice(s![.., ..;-1]);
    assert_eq!(
        linalg::trace(&flipped, 0).unwrap().into_scalar().unwrap(),
        2. + 4. + 6.
    );
    // numpy: np.linalg.trace(np.ones((2, 0, 3)))  -> [0., 0.]; np.ones((0, 3)) -> 0.0
    let e = linalg::trace(&Array::<f64>::ones(&[2, 0, 3]), 0).unwrap();
    assert_eq!(e, array![0., 0.]);
    let e = linalg::trace(&Array::<f64>::ones(&[0, 3]), 0).unwrap();
    assert_eq!(e.into_scalar().unwrap(), 0.0);
    // Integers too, as numpy.
    let i = Array::from_shape_vec(&[2, 2], vec![1i64, 2, 3, 4]).unwrap();
    assert_eq!(linalg::trace(&i, 0).unwrap().into_scalar().unwrap(), 5);
    // numpy: np.linalg.trace(np.ones(3))  -> ValueError
    assert_shape_err(
        linalg::trace(&Array::<f64>::ones(&[3]), 0),
        "trace",
        &["(3,)"],
    );
    assert_shape_err(
        linalg::trace(&Array::from_elem_0d(1.0), 0),
        "trace",
        &["()"],
    );
}

#[test]
fn diagonal_is_a_view_of_the_last_two_axes() {
    let a = arange(24, &[2, 3, 4]);
    // numpy: np.linalg.diagonal(np.arange(24.).reshape(2, 3, 4), offset=1)
    let d = linalg::diagonal(&a, 1).unwrap();
    assert_eq!(d, array![[1., 6., 11.], [13., 18., 23.]]);
    // No copy: the diagonal steps by the sum of the two strides.
    assert_eq!(d.strides(), &[12, 5]);
    // numpy: offset=-1  -> [[4., 9.], [16., 21.]]
    assert_eq!(
        linalg::diagonal(&a, -1).unwrap(),
        array![[4., 9.], [16., 21.]]
    );
    // numpy: offset=0 on the (3, 4) matrices -> length min(3, 4)
    assert_eq!(
        linalg::diagonal(&a, 0).unwrap(),
        array![[0., 5., 10.], [12., 17., 22.]]
    );
    // The top-level `diagonal` is numpy's a.diagonal(): first two axes.
    assert_eq!(a.diagonal(0).unwrap().shape(), &[4, 2]);
    // numpy: offset outside the matrix -> shape (..., 0); empty matrices likewise
    assert_eq!(linalg::diagonal(&a, 7).unwrap().shape(), &[2, 0]);
    assert_eq!(linalg::diagonal(&a, -3).unwrap().shape(), &[2, 0]);
    assert_eq!(
        linalg::diagonal(&Array::<f64>::ones(&[2, 0, 3]), 0)
            .unwrap()
            .shape(),
        &[2, 0]
    );
    // Negative strides read correctly: rows reversed.
    let m = arange(9, &[3, 3]);
    let r = m.slice(s![..;-1, ..]);
    assert_eq!(linalg::diagonal(&r, 0).unwrap(), array![6., 4., 2.]);
    assert_eq!(linalg::diagonal(&r, 1).unwrap(), array![7., 5.]);
    assert_eq!(linalg::diagonal(&r, -1).unwrap(), array![3., 1.]);
    // numpy: np.linalg.diagonal(np.ones(3))  -> ValueError
    assert_shape_err(
        linalg::diagonal(&Array::<f64>::ones(&[3]), 0),
        "diagonal",
        &["(3,)"],
    );
}

#[test]
fn matrix_transpose_swaps_the_last_two_axes() {
    let a = arange(24, &[2, 3, 4]);
    let t = linalg::matrix_transpose(&a).unwrap();
    assert_eq!(t.shape(), &[2, 4, 3]);
    for i in 0..2 {
        for j in 0..3 {
            for k in 0..4 {
                assert_eq!(t[[i, k, j]], a[[i, j, k]]);
            }
        }
    }
    assert_eq!(
        linalg::matrix_transpose(&array![[1., 2.]]).unwrap(),
        array![[1.], [2.]]
    );
    assert_eq!(
        linalg::matrix_transpose(&Array::<f64>::zeros(&[0, 2, 5]))
            .unwrap()
            .shape(),
        &[0, 5, 2]
    );
    // numpy: "Input array must be at least 2-dimensional, but it is 1"
    let e = assert_shape_err(
        linalg::matrix_transpose(&Array::<f64>::ones(&[3])),
        "matrix_transpose",
        &["(3,)"],
    );
    assert!(e.to_string().contains("at least 2-dimensional"));
    assert_shape_err(
        linalg::matrix_transpose(&Array::from_elem_0d(1.0)),
        "matrix_transpose",
        &["()"],
    );
}

#[test]
fn outer_takes_vectors_only() {
    let c = linalg::outer(&array![1., 2.], &array![1., 10., 100.]).unwrap();
    assert_eq!(c, array![[1., 10., 100.], [2., 20., 200.]]);
    // numpy: np.linalg.outer(np.ones(0), np.ones(3)).shape  -> (0, 3)
    let e = linalg::outer(&Array::<f64>::ones(&[0]), &Array::<f64>::ones(&[3])).unwrap();
    assert_eq!(e.shape(), &[0, 3]);
    // Strided input.
    let v = array![1., 9., 2., 9., 3.];
    let c = linalg::outer(&v.slice(s![..;2]), &array![1., -1.]).unwrap();
    assert_eq!(c, array![[1., -1.], [2., -2.], [3., -3.]]);
    // numpy: "Input arrays must be one-dimensional, but they are x1.ndim=2 and x2.ndim=1."
    let e = assert_shape_err(
        linalg::outer(&Array::<f64>::ones(&[2, 2]), &Array::<f64>::ones(&[3])),
        "outer",
        &["(2, 2)", "(3,)"],
    );
    assert!(e.to_string().contains("x1.ndim=2 and x2.ndim=1"));
    assert_shape_err(
        linalg::outer(&Array::<f64>::ones(&[3]), &Array::from_elem_0d(2.0)),
        "outer",
        &["(3,)", "()"],
    );
    // np.outer (top level) flattens instead.
    assert_eq!(
        lapis::outer(&Array::<f64>::ones(&[2, 2]), &Array::<f64>::ones(&[3]))
            .unwrap()
            .shape(),
        &[4, 3]
    );
}

#[test]
fn cross_of_three_vectors_along_an_axis() {
    assert_eq!(
        linalg::cross(&array![1., 2., 3.], &array![4., 5., 6.], -1).unwrap(),
        array![-3., 6., -3.]
    );
    let (x, y) = (
        array![[1., 2., 3.], [4., 5., 6.]],
        array![[4., 5., 6.], [1., 2., 3.]],
    );
    assert_eq!(
        linalg::cross(&x, &y, -1).unwrap(),
        array![[-3., 6., -3.], [3., -6., 3.]]
    );
    // numpy: np.linalg.cross(x, y, axis=0) with the vectors in the columns
    let x = array![[1., 2.], [3., 4.], [5., 6.]];
    let y = array![[4., 5.], [6., 1.], [2., 3.]];
    assert_eq!(
        linalg::cross(&x, &y, 0).unwrap(),
        array![[-24., 6.], [18., 24.], [-6., -18.]]
    );
    // numpy: x1 = np.arange(12.).reshape(3, 4) - 5; x2 = np.arange(24.).reshape(2, 3, 4) % 7
    // np.linalg.cross(x1, x2, axis=-2): broadcast, components stay on axis -2
    let x1 = &arange(12, &[3, 4]) - 5.0;
    let x2 = arange(24, &[2, 3, 4]).mapv(|v| v % 7.0);
    let want = Array::from_shape_vec(
        &[2, 3, 4],
        vec![
            -13., -20., -27., 8., 5., 12., 19., 26., -20., -20., -20., -6., //
            -12., -12., -19., -26., 45., 24., 3., 10., -5., -12., -12., -12.,
        ],
    )
    .unwrap();
    assert_eq!(linalg::cross(&x1, &x2, -2).unwrap(), want);
    // Identities on random stacks: x×y ⟂ x, y; |x×y|² = |x|²|y|² − (x·y)²; y×x = −x×y.
    let (x, y) = (rand(&[5, 3], 3), rand(&[5, 3], 4));
    let c = linalg::cross(&x, &y, 1).unwrap();
    let minus = linalg::cross(&y, &x, 1).unwrap();
    assert_eq!(&c + &minus, Array::zeros(&[5, 3]));
    let dot = |u: &Array<f64>, v: &Array<f64>| linalg::vecdot(u, v, -1).unwrap();
    let (cx, cy) = (dot(&c, &x), dot(&c, &y));
    let (xx, yy, xy, cc) = (dot(&x, &x), dot(&y, &y), dot(&x, &y), dot(&c, &c));
    for i in 0..5 {
        let scale = xx[[i]] * yy[[i]];
        assert!(cx[[i]].abs() <= 16.0 * EPS * scale, "{}", cx[[i]]);
        assert!(cy[[i]].abs() <= 16.0 * EPS * scale, "{}", cy[[i]]);
        assert!((cc[[i]] - (scale - xy[[i]] * xy[[i]])).abs() <= 32.0 * EPS * scale);
    }
    // numpy: empty stacks broadcast -> (0, 3)
    let e = linalg::cross(
        &Array::<f64>::ones(&[0, 3]),
        &Array::<f64>::ones(&[1, 3]),
        -1,
    );
    assert_eq!(e.unwrap().shape(), &[0, 3]);
    // numpy: 2-vectors are refused by linalg.cross (np.cross accepts them)
    let e = assert_shape_err(
        linalg::cross(&array![1., 2.], &array![3., 4., 5.], -1),
        "cross",
        &["(2,)", "(3,)"],
    );
    assert!(e.to_string().contains("but they are 2 and 3 dimensional"));
    assert!(lapis::cross(&array![1., 2.], &array![3., 4., 5.]).is_ok());
    // numpy: (3, 4) with (2, 3, 4) on axis 0 -> sizes 3 and 2
    assert_shape_err(
        linalg::cross(
            &Array::<f64>::ones(&[3, 4]),
            &Array::<f64>::ones(&[2, 3, 4]),
            0,
        ),
        "cross",
        &["(3, 4)", "(2, 3, 4)"],
    );
    // numpy: (3, 4) with (3, 5) on axis 0 -> the other axes do not broadcast
    assert_shape_err(
        linalg::cross(
            &Array::<f64>::ones(&[3, 4]),
            &Array::<f64>::ones(&[3, 5]),
            0,
        ),
        "cross",
        &["(3, 4)", "(3, 5)"],
    );
    // numpy: axis 1 of a 1-D array, or a 0-d operand -> IndexError
    let e = linalg::cross(&array![1., 2., 3.], &array![1., 2., 3.], 1).unwrap_err();
    assert_eq!(e, LinalgError::AxisOutOfBounds { axis: 1, ndim: 1 });
    let e = linalg::cross(&Array::from_elem_0d(1.), &array![1., 2., 3.], -1).unwrap_err();
    assert_eq!(e, LinalgError::AxisOutOfBounds { axis: -1, ndim: 0 });
}

/// Σ x1·x2 along the last axis of two arrays of one shape, one number at a time.
fn naive_vecdot(x1: &Array<f64>, x2: &Array<f64>) -> Array<f64> {
    let nd = x1.ndim();
    let n = x1.shape()[nd - 1];
    let batch = &x1.shape()[..nd - 1];
    Array::from_shape_fn(batch, |ix| {
        let mut i = ix.to_vec();
        i.push(0);
        (0..n)
            .map(|k| {
                i[nd - 1] = k;
                x1[&i[..]] * x2[&i[..]]
            })
            .sum()
    })
}

#[test]
fn vecdot_on_broadcast_stacks() {
    // numpy: np.linalg.vecdot(np.arange(6.).reshape(2, 1, 3), np.arange(12.).reshape(4, 3) - 3)
    let a = arange(6, &[2, 1, 3]);
    let b = &arange(12, &[4, 3]) - 3.0;
    let d = linalg::vecdot(&a, &b, -1).unwrap();
    assert_eq!(d, array![[-4., 5., 14., 23.], [-22., 14., 50., 86.]]);
    // Random broadcast stacks against the definition; the error of a sum of n products is
    // at most n·ε·Σ|x1·x2|.
    let (x1, x2) = (rand(&[3, 1, 4, 37], 5), rand(&[5, 1, 37], 6));
    let d = linalg::vecdot(&x1, &x2, -1).unwrap();
    assert_eq!(d.shape(), &[3, 5, 4]);
    let full = [3, 5, 4, 37];
    let (b1, b2) = (
        x1.broadcast_to(&full).unwrap().to_owned(),
        x2.broadcast_to(&full).unwrap().to_owned(),
    );
    let want = naive_vecdot(&b1, &b2);
    let mag = naive_vecdot(&b1.abs(), &b2.abs());
    for ((&g, &w), &m) in d.iter().zip(want.iter()).zip(mag.iter()) {
        assert!((g - w).abs() <= 2.0 * 37.0 * EPS * m, "{g} vs {w}");
    }
    // axis counts in each operand's own axes: axis 0 of (3, 2) and of (3,)/(3, 1)
    let a = arange(6, &[3, 2]);
    let w = array![1., 2., 3.];
    assert_eq!(linalg::vecdot(&a, &w, 0).unwrap(), array![16., 22.]);
    assert_eq!(
        linalg::vecdot(&a, &w.reshape(&[3, 1]).unwrap(), 0).unwrap(),
        array![16., 22.]
    );
    // numpy: (3,) with (3, 3), axis=0 -> the columns' sums
    let m = arange(9, &[3, 3]);
    assert_eq!(
        linalg::vecdot(&Array::<f64>::ones(&[3]), &m, 0).unwrap(),
        array![9., 12., 15.]
    );
    // Transposed and reversed views.
    let t = linalg::vecdot(&m.t(), &m.slice(s![.., ..;-1]), -1).unwrap();
    let want = naive_vecdot(&m.t().to_owned(), &m.slice(s![.., ..;-1]).to_owned());
    assert_eq!(t, want);
    // Long strided and reversed vectors (the kernel path rather than the short loop).
    let big = rand(&[40, 20], 21);
    let rev = big.slice(s![..;-1, ..]);
    let t = linalg::vecdot(&big.t(), &rev.t(), -1).unwrap();
    let (bt, rt) = (big.t().to_owned(), rev.t().to_owned());
    let (want, mag) = (naive_vecdot(&bt, &rt), naive_vecdot(&bt.abs(), &rt.abs()));
    for ((&g, &w), &m) in t.iter().zip(want.iter()).zip(mag.iter()) {
        assert!((g - w).abs() <= 2.0 * 40.0 * EPS * m, "{g} vs {w}");
    }
    // numpy: empty vectors -> 0, empty batches -> empty
    let z = linalg::vecdot(&Array::<f64>::ones(&[2, 0]), &Array::<f64>::ones(&[0]), -1);
    assert_eq!(z.unwrap(), array![0., 0.]);
    let z = linalg::vecdot(
        &Array::<f64>::ones(&[0, 3]),
        &Array::<f64>::ones(&[1, 3]),
        -1,
    );
    assert_eq!(z.unwrap().shape(), &[0]);
    // 1-D · 1-D is 0-d.
    let s = linalg::vecdot(&array![1., 2.], &array![3., 4.], -1).unwrap();
    assert_eq!(s.into_scalar().unwrap(), 11.0);
    // Errors, numpy's: core sizes, 0-d operands, batch broadcast, axis range.
    let e = assert_shape_err(
        linalg::vecdot(&Array::<f64>::ones(&[2, 3]), &Array::<f64>::ones(&[2]), -1),
        "vecdot",
        &["(2, 3)", "(2,)"],
    );
    assert!(e.to_string().contains("size 2 is different from 3"));
    assert_shape_err(
        linalg::vecdot(&Array::<f64>::ones(&[2, 3]), &Array::<f64>::ones(&[3]), 0),
        "vecdot",
        &["(2, 3)", "(3,)"],
    );
    assert_shape_err(
        linalg::vecdot(&Array::from_elem_0d(2.0), &Array::<f64>::ones(&[3]), -1),
        "vecdot",
        &["()", "(3,)"],
    );
    assert_shape_err(
        linalg::vecdot(
            &Array::<f64>::ones(&[2, 3]),
            &Array::<f64>::ones(&[4, 3]),
            -1,
        ),
        "vecdot",
        &["(2, 3)", "(4, 3)"],
    );
    let e = linalg::vecdot(&Array::<f64>::ones(&[2, 3]), &Array::<f64>::ones(&[3]), -2);
    assert_eq!(
        e.unwrap_err(),
        LinalgError::AxisOutOfBounds { axis: -2, ndim: 1 }
    );
}

fn vnorm(x: &Array<f64>, ord: f64) -> f64 {
    let r = linalg::vector_norm(x, ord, None, false).unwrap();
    assert_eq!(r.ndim(), 0);
    r.into_scalar().unwrap()
}

#[test]
fn vector_norm_every_ord_closed_forms() {
    let x = array![3., -4., 0., 12.];
    close(vnorm(&x, 2.), 13.0, 4.0);
    assert_eq!(vnorm(&x, 1.), 19.0);
    assert_eq!(vnorm(&x, f64::INFINITY), 12.0);
    assert_eq!(vnorm(&x, f64::NEG_INFINITY), 0.0);
    assert_eq!(vnorm(&x, 0.), 3.0);
    // A zero entry makes every negative-order norm 0 (numpy: 0**-p = inf, inf**(-1/p) = 0).
    assert_eq!(vnorm(&x, -1.), 0.0);
    assert_eq!(vnorm(&x, -0.5), 0.0);
    close(vnorm(&x, 3.), (27f64 + 64. + 1728.).cbrt(), 8.0);
    close(
        vnorm(&x, 0.5),
        (3f64.sqrt() + 2. + 12f64.sqrt()).powi(2),
        8.0,
    );
    let y = array![1., -2., 4., 0.5];
    close(vnorm(&y, -1.), 1.0 / 3.75, 8.0);
    close(vnorm(&y, -2.), 1.0 / 5.3125f64.sqrt(), 8.0);
    close(vnorm(&y, 3.), 73.125f64.cbrt(), 8.0);
    close(
        vnorm(&y, -3.),
        (1. + 1. / 8. + 1. / 64. + 8f64).powf(-1. / 3.),
        8.0,
    );
    assert_eq!(vnorm(&y, f64::NEG_INFINITY), 0.5);
    // Whatever the dimensions, axis None flattens: numpy's LA.vector_norm(b) on 1..9.
    let b = Array::arange(1., 10., 1.).into_shape(&[3, 3]).unwrap();
    close(vnorm(&b, 2.), 285f64.sqrt(), 4.0);
    close(vnorm(&b, -1.), 0.3534857623790153, 8.0);
    close(vnorm(&b, -2.), 0.8058837395885292, 8.0);
    let c = arange(24, &[2, 3, 4]);
    close(
        vnorm(&c, 2.),
        (0..24).map(|i| (i * i) as f64).sum::<f64>().sqrt(),
        4.0,
    );
    // 0-d: |x|; keepdims keeps the 0-d shape.
    assert_eq!(vnorm(&Array::from_elem_0d(-3.), 2.), 3.0);
    let k = linalg::vector_norm(&Array::from_elem_0d(-3.), 2., None, true).unwrap();
    assert_eq!(k.shape(), &[] as &[usize]);
    // No overflow or underflow in the squares.
    close(vnorm(&array![1e300, -1e300], 2.), 2f64.sqrt() * 1e300, 4.0);
    close(vnorm(&array![3e-300, 4e-300], 2.), 5e-300, 4.0);
    close(vnorm(&array![3e200, 4e200], 3.), 91f64.cbrt() * 1e200, 16.0);
    // NaN propagates.
    assert!(vnorm(&array![1., f64::NAN], f64::INFINITY).is_nan());
    assert!(vnorm(&array![1., f64::NAN], 2.).is_nan());
    assert_eq!(vnorm(&array![1., f64::INFINITY], 2.), f64::INFINITY);
}

#[test]
fn vector_norm_axes_keepdims_empty_and_errors() {
    let x = rand(&[2, 3, 4], 7);
    // One axis: the same as norm's vector branch.
    for ax in [0isize, 1, 2, -1] {
        for ord in [2., 1., f64::INFINITY, 0.5, -2.] {
            let v = linalg::vector_norm(&x, ord, Some(&[ax]), false).unwrap();
            let n = linalg::norm(&x, Some(Ord::P(ord)), Some(&[ax]), false).unwrap();
            assert!(lapis::allclose_with(&v, &n, 4.0 * EPS, 0.0, false).unwrap());
        }
    }
    // Several axes: one flat vector per kept position, in any axis order.
    let v = linalg::vector_norm(&x, 2., Some(&[0, 2]), false).unwrap();
    let w = linalg::vector_norm(&x, 2., Some(&[2, 0]), false).unwrap();
    assert_eq!(v.shape(), &[3]);
    assert!(lapis::allclose_with(&v, &w, 4.0 * EPS, 0.0, false).unwrap());
    for j in 0..3 {
        let col = x.slice(s![.., j, ..]).to_owned();
        close(v[[j]], vnorm(&col, 2.), 8.0);
    }
    // numpy: keepdims=True keeps the reduced axes as 1
    let k = linalg::vector_norm(&x, 1., Some(&[0, 2]), true).unwrap();
    assert_eq!(k.shape(), &[1, 3, 1]);
    let k = linalg::vector_norm(&x, 1., None, true).unwrap();
    assert_eq!(k.shape(), &[1, 1, 1]);
    let all = linalg::vector_norm(&x, 2., Some(&[0, 1, 2]), false).unwrap();
    close(all.into_scalar().unwrap(), vnorm(&x, 2.), 4.0);
    // numpy: axis=() gives |x| with x's shape
    let id = linalg::vector_norm(&x, 2., Some(&[]), false).unwrap();
    assert_eq!(id, x.abs());
    // numpy 2.4 on empty vectors: inf -> 0, 0 -> 0, 3 -> 0, -1 -> inf, -inf -> error
    let e = Array::<f64>::ones(&[2, 0]);
    assert_eq!(vnorm(&e, 2.), 0.0);
    assert_eq!(vnorm(&e, f64::INFINITY), 0.0);
    assert_eq!(vnorm(&e, 0.), 0.0);
    assert_eq!(vnorm(&e, 3.), 0.0);
    assert_eq!(vnorm(&e, -1.), f64::INFINITY);
    let r = linalg::vector_norm(&e, f64::NEG_INFINITY, None, false).unwrap_err();
    assert!(matches!(
        r,
        LinalgError::InvalidArgument {
            op: "vector_norm",
            ..
        }
    ));
    // ... but along the non-empty axis, the result is empty and fine.
    let r = linalg::vector_norm(&e, f64::NEG_INFINITY, Some(&[0]), false).unwrap();
    assert_eq!(r.shape(), &[0]);
    // Errors: repeated axis, out of bounds.
    let r = linalg::vector_norm(&x, 2., Some(&[0, -3]), false).unwrap_err();
    assert_eq!(
        r,
        LinalgError::InvalidArgument {
            op: "vector_norm",
            message: "repeated axis".into()
        }
    );
    let r = linalg::vector_norm(&x, 2., Some(&[3]), false).unwrap_err();
    assert_eq!(r, LinalgError::AxisOutOfBounds { axis: 3, ndim: 3 });
}

const MATRIX_ORDS: [Ord; 8] = [
    Ord::Fro,
    Ord::Nuc,
    Ord::P(1.),
    Ord::P(-1.),
    Ord::P(2.),
    Ord::P(-2.),
    Ord::Inf,
    Ord::NegInf,
];

#[test]
fn matrix_norm_every_ord() {
    // numpy's example: b = (np.arange(9.) - 4).reshape(3, 3), singular with σ = (3√6, √6, 0)
    let b = Array::arange(-4., 5., 1.).into_shape(&[3, 3]).unwrap();
    let mn = |ord| {
        linalg::matrix_norm(&b, ord, false)
            .unwrap()
            .into_scalar()
            .unwrap()
    };
    close(mn(Ord::Fro), 60f64.sqrt(), 4.0);
    close(mn(Ord::Nuc), 4.0 * 6f64.sqrt(), 3.0 * 8.0);
    close(mn(Ord::P(2.)), 3.0 * 6f64.sqrt(), 3.0 * 8.0);
    // The smallest singular value of a singular matrix: 0 up to backward error n·ε·‖b‖₂.
    assert!(mn(Ord::P(-2.)) <= 3.0 * 8.0 * EPS * 3.0 * 6f64.sqrt());
    assert_eq!(mn(Ord::P(1.)), 7.0);
    assert_eq!(mn(Ord::P(-1.)), 6.0);
    assert_eq!(mn(Ord::Inf), 9.0);
    assert_eq!(mn(Ord::NegInf), 2.0);
    assert_eq!(mn(Ord::P(f64::INFINITY)), 9.0);
    // matrix_norm is norm over (-2, -1): stacks, views, keepdims, hard scales.
    let x = rand(&[2, 3, 4], 8);
    let hard = [
        x.clone(),
        x.t().to_owned(),
        &x * 1e300,
        &x * 1e-300,
        Array::from_shape_fn(&[2, 5, 5], |ix| 1.0 / (ix[1] + ix[2] + 1) as f64),
        Array::zeros(&[3, 2, 2]),
    ];
    for a in &hard {
        for ord in MATRIX_ORDS {
            for keep in [false, true] {
                let m = linalg::matrix_norm(a, ord, keep).unwrap();
                let n = linalg::norm(a, Some(ord), Some(&[-2, -1]), keep).unwrap();
                assert_eq!(m, n, "{ord:?}");
            }
        }
    }
    let k = linalg::matrix_norm(&x, Ord::Fro, true).unwrap();
    assert_eq!(k.shape(), &[2, 1, 1]);
    for i in 0..2 {
        let mi = x.index_axis(0, i).to_owned();
        close(k[[i, 0, 0]], vnorm(&mi, 2.), 8.0);
    }
    // numpy on empty: stacks of nothing are empty; 0-row matrices: sums give 0, a minimum
    // over an empty axis is an error.
    let r = linalg::matrix_norm(&Array::<f64>::ones(&[0, 3, 3]), Ord::P(2.), false).unwrap();
    assert_eq!(r.shape(), &[0]);
    let r = linalg::matrix_norm(&Array::<f64>::ones(&[0, 3, 3]), Ord::P(-2.), true).unwrap();
    assert_eq!(r.shape(), &[0, 1, 1]);
    let z = Array::<f64>::ones(&[0, 3]);
    assert_eq!(
        linalg::matrix_norm(&z, Ord::Nuc, false)
            .unwrap()
            .into_scalar(),
        Ok(0.0)
    );
    assert_eq!(
        linalg::matrix_norm(&z, Ord::P(-1.), false)
            .unwrap()
            .into_scalar(),
        Ok(0.0)
    );
    let r = linalg::matrix_norm(&Array::<f64>::ones(&[3, 0]), Ord::P(-1.), false);
    assert!(matches!(
        r,
        Err(LinalgError::InvalidArgument {
            op: "matrix_norm",
            ..
        })
    ));
    // Errors: numpy's AxisError for 1-D, ValueError for a vector order.
    let r = linalg::matrix_norm(&Array::<f64>::ones(&[3]), Ord::Fro, false).unwrap_err();
    assert_eq!(r, LinalgError::AxisOutOfBounds { axis: -2, ndim: 1 });
    let r = linalg::matrix_norm(&x, Ord::P(3.), false).unwrap_err();
    assert_eq!(
        r,
        LinalgError::InvalidArgument {
            op: "matrix_norm",
            message: "Invalid norm order for matrices.".into()
        }
    );
    // NaN: the entry-wise norms propagate it, the singular-value ones refuse it.
    let n = array![[1., f64::NAN], [0., 1.]];
    assert!(
        linalg::matrix_norm(&n, Ord::P(1.), false)
            .unwrap()
            .into_scalar()
            .unwrap()
            .is_nan()
    );
    assert_eq!(
        linalg::matrix_norm(&n, Ord::P(2.), false),
        Err(LinalgError::NonFinite)
    );
}

/// ‖tensordot(a, x, x.ndim) − b‖∞ ≤ c·n·ε·‖A‖∞·‖x‖∞ with A the n × n matrix of `a`
/// (backward-stable LU solve).
fn assert_tensor_residual(a: &Array<f64>, x: &Array<f64>, b: &Array<f64>) {
    let n = x.len();
    let r = &tensordot(a, x, x.ndim()).unwrap() - b;
    let am = a.reshape(&[n as isize, n as isize]).unwrap().into_owned();
    let norm_inf = linalg::matrix_norm(&am, Ord::Inf, false)
        .unwrap()
        .into_scalar()
        .unwrap();
    let bound = 4.0 * n as f64 * EPS * norm_inf * max_abs(x);
    assert!(max_abs(&r) <= bound, "residual {} > {bound}", max_abs(&r));
}

#[test]
fn tensorsolve_identities_and_numpy_shapes() {
    // a = b.shape + Q with prod(Q) = prod(b.shape)
    let a = rand(&[2, 3, 3, 2], 9);
    let b = rand(&[2, 3], 10);
    let x = linalg::tensorsolve(&a, &b, None).unwrap();
    assert_eq!(x.shape(), &[3, 2]);
    assert_tensor_residual(&a, &x, &b);
    // Ill-conditioned: the 6 × 6 Hilbert matrix (κ ≈ 1.5e7) as a (6, 2, 3) tensor; LU is
    // backward stable whatever the conditioning.
    let h = Array::from_shape_fn(&[6, 6], |ix| 1.0 / (ix[0] + ix[1] + 1) as f64)
        .into_shape(&[6, 2, 3])
        .unwrap();
    let b = rand(&[6], 11);
    let x = linalg::tensorsolve(&h, &b, None).unwrap();
    assert_eq!(x.shape(), &[2, 3]);
    assert_tensor_residual(&h, &x, &b);
    // Graded and tiny/huge scales.
    for scale in [1e-300, 1e300] {
        let g = &a * scale;
        let b = rand(&[2, 3], 12);
        let x = linalg::tensorsolve(&g, &b, None).unwrap();
        assert_tensor_residual(&g, &x, &b);
    }
    // axes: those axes of a move to the end first (numpy's transpose), in order.
    let a5 = rand(&[3, 2, 6], 13);
    let b = rand(&[6], 14);
    let x = linalg::tensorsolve(&a5, &b, Some(&[0, 1])).unwrap();
    assert_eq!(x.shape(), &[3, 2]);
    let moved = a5.permute_axes(&[2, 0, 1]).unwrap().to_owned();
    assert_eq!(x, linalg::tensorsolve(&moved, &b, None).unwrap());
    // numpy keeps moving a repeated axis: (0, 1, 0) leaves the order (2, 1, 0).
    let x = linalg::tensorsolve(&a5, &b, Some(&[0, 1, 0])).unwrap();
    let moved = a5.permute_axes(&[2, 1, 0]).unwrap().to_owned();
    assert_eq!(x, linalg::tensorsolve(&moved, &b, None).unwrap());
    // numpy checks sizes only: a (3, 2, 6) with b (2, 3) gives x (6,).
    let x = linalg::tensorsolve(&a5, &rand(&[2, 3], 15), None).unwrap();
    assert_eq!(x.shape(), &[6]);
    // numpy's corner cases: as many axes as b takes all of a's; 0-d; empty.
    let x = linalg::tensorsolve(&array![[2.]], &array![[4.]], None).unwrap();
    assert_eq!(x, array![[2.]]);
    let x = linalg::tensorsolve(&array![2.], &array![[4.]], None).unwrap();
    assert_eq!(x.shape(), &[] as &[usize]);
    assert_eq!(x.into_scalar(), Ok(2.0));
    let x = linalg::tensorsolve(&Array::from_elem_0d(2.), &Array::from_elem_0d(4.), None);
    assert_eq!(x.unwrap().into_scalar(), Ok(2.0));
    let x = linalg::tensorsolve(&Array::<f64>::ones(&[0]), &Array::<f64>::ones(&[0]), None);
    assert_eq!(x.unwrap().shape(), &[0]);
    // Errors: numpy's "Input arrays must satisfy the requirement …", b's size, singular,
    // axes, non-finite.
    let e = assert_shape_err(
        linalg::tensorsolve(&Array::<f64>::ones(&[2, 3, 6]), &Array::ones(&[6]), None),
        "tensorsolve",
        &["(2, 3, 6)", "(6,)"],
    );
    assert!(e.to_string().contains("prod(a.shape[b.ndim:])"));
    assert_shape_err(
        linalg::tensorsolve(&Array::<f64>::ones(&[0, 3]), &Array::ones(&[0]), None),
        "tensorsolve",
        &["(0, 3)", "(0,)"],
    );
    assert_shape_err(
        linalg::tensorsolve(&Array::<f64>::ones(&[2, 0, 0]), &Array::ones(&[2]), None),
        "tensorsolve",
        &["(2, 0, 0)", "(2,)"],
    );
    let e = assert_shape_err(
        linalg::tensorsolve(&a5, &Array::ones(&[2, 2]), None),
        "tensorsolve",
        &["(3, 2, 6)", "(2, 2)"],
    );
    assert!(e.to_string().contains("b has 4 elements"));
    let e = linalg::tensorsolve(&Array::<f64>::zeros(&[2, 2]), &Array::ones(&[2]), None);
    assert_eq!(e.unwrap_err(), LinalgError::Singular { index: 0 });
    let e = linalg::tensorsolve(&a5, &b, Some(&[5])).unwrap_err();
    assert_eq!(e, LinalgError::AxisOutOfBounds { axis: 5, ndim: 3 });
    let mut bad = a5.clone();
    bad[[1, 1, 1]] = f64::NAN;
    assert_eq!(
        linalg::tensorsolve(&bad, &b, Some(&[0, 1])),
        Err(LinalgError::NonFinite)
    );
}

/// ‖X·A − I‖∞ ≤ c·n·ε·‖X‖∞·‖A‖∞ for the matrices of `tensordot(x, a, ind)`: the left
/// residual of an LU-based inverse.
fn assert_tensor_inverse(a: &Array<f64>, ainv: &Array<f64>, ind: usize) {
    let prod = |s: &[usize]| s.iter().product::<usize>();
    let n = prod(&a.shape()[..ind.min(a.ndim())]);
    let id = tensordot(ainv, a, ind).unwrap();
    let nn = [n as isize, n as isize];
    let r = &id.reshape(&nn).unwrap().into_owned() - &Array::eye(n);
    let inf = |m: &Array<f64>| {
        let m = m.reshape(&nn).unwrap().into_owned();
        linalg::matrix_norm(&m, Ord::Inf, false)
            .unwrap()
            .into_scalar()
            .unwrap()
    };
    let bound = 8.0 * n as f64 * EPS * inf(a) * inf(ainv);
    assert!(max_abs(&r) <= bound, "residual {} > {bound}", max_abs(&r));
}

#[test]
fn tensorinv_identities_and_numpy_shapes() {
    let a = rand(&[4, 6, 8, 3], 16);
    let ainv = linalg::tensorinv(&a, 2).unwrap();
    assert_eq!(ainv.shape(), &[8, 3, 4, 6]);
    assert_tensor_inverse(&a, &ainv, 2);
    // numpy's example: tensordot(tensorinv(a), b) == tensorsolve(a, b)
    let b = rand(&[4, 6], 17);
    let via_inv = tensordot(&ainv, &b, 2).unwrap();
    let via_solve = linalg::tensorsolve(&a, &b, None).unwrap();
    let scale = max_abs(&via_solve);
    assert!(max_abs(&(&via_inv - &via_solve)) <= 1e-10 * scale);
    // ind = 1 and an ind past the last axis (all of a's axes come first).
    let a = rand(&[24, 8, 3], 18);
    let ainv = linalg::tensorinv(&a, 1).unwrap();
    assert_eq!(ainv.shape(), &[8, 3, 24]);
    assert_tensor_inverse(&a, &ainv, 1);
    let one = linalg::tensorinv(&array![[4.]], 5).unwrap();
    assert_eq!(one, array![[0.25]]);
    // Hard: Hilbert 6 × 6 as (2, 3, 6) with ind = 2, and huge/tiny scales.
    let h = Array::from_shape_fn(&[6, 6], |ix| 1.0 / (ix[0] + ix[1] + 1) as f64)
        .into_shape(&[2, 3, 6])
        .unwrap();
    let hinv = linalg::tensorinv(&h, 2).unwrap();
    assert_eq!(hinv.shape(), &[6, 2, 3]);
    assert_tensor_inverse(&h, &hinv, 2);
    for scale in [1e-300, 1e300] {
        let g = &rand(&[3, 3, 9], 19) * scale;
        assert_tensor_inverse(&g, &linalg::tensorinv(&g, 2).unwrap(), 2);
    }
    // A stride-reversed view inverts like its copy.
    let r = rand(&[2, 2, 4], 20);
    let v = r.slice(s![..;-1, .., ..]);
    assert_eq!(
        linalg::tensorinv(&v, 2).unwrap(),
        linalg::tensorinv(&v.to_owned(), 2).unwrap()
    );
    // Errors: numpy's "Invalid ind argument.", not square, empty, 0-d, singular, NaN.
    assert_eq!(
        linalg::tensorinv(&a, 0),
        Err(LinalgError::InvalidArgument {
            op: "tensorinv",
            message: "Invalid ind argument.".into()
        })
    );
    assert_shape_err(linalg::tensorinv(&a, 2), "tensorinv", &["(24, 8, 3)"]);
    assert_shape_err(
        linalg::tensorinv(&Array::<f64>::ones(&[2, 3]), 1),
        "tensorinv",
        &["(2, 3)"],
    );
    assert_shape_err(
        linalg::tensorinv(&Array::<f64>::ones(&[0, 0]), 1),
        "tensorinv",
        &["(0, 0)"],
    );
    assert!(matches!(
        linalg::tensorinv(&Array::from_elem_0d(3.), 1),
        Err(LinalgError::InvalidArgument {
            op: "tensorinv",
            ..
        })
    ));
    assert_eq!(
        linalg::tensorinv(&Array::<f64>::zeros(&[2, 2]), 1),
        Err(LinalgError::Singular { index: 0 })
    );
    assert_eq!(
        linalg::tensorinv(&array![[1., f64::INFINITY], [0., 1.]], 1),
        Err(LinalgError::NonFinite)
    );
}

#[test]
fn into_scalar_reads_zero_d_results() {
    // numpy: np.linalg.det(a).item(), np.linalg.norm(a).item()
    let a = array![[2., 1.], [1., 3.]];
    let d = linalg::det(&a).unwrap().into_scalar().unwrap();
    close(d, 5.0, 4.0);
    let n = linalg::norm(&a, None, None, false)
        .unwrap()
        .into_scalar()
        .unwrap();
    close(n, 15f64.sqrt(), 4.0);
    // Any size-1 array, owned or view, as numpy's item().
    assert_eq!(array![[7.]].into_scalar(), Ok(7.0));
    assert_eq!(a.slice(s![1.., 1..]).into_scalar(), Ok(3.0));
    assert_eq!(
        matmul(&array![1., 2.], &array![3., 4.])
            .unwrap()
            .into_scalar(),
        Ok(11.0)
    );
    // A stack of determinants is not a scalar: the error names the shape.
    let stack = Array::<f64>::eye(2)
        .broadcast_to(&[3, 2, 2])
        .unwrap()
        .to_owned();
    assert_shape_err(
        linalg::det(&stack).unwrap().into_scalar(),
        "item",
        &["(3,)"],
    );
    assert_shape_err(Array::<f64>::zeros(&[0]).into_scalar(), "item", &["(0,)"]);
}
