//! `linalg::norm` (every numpy `ord`, `axis`, `keepdims`) and `linalg::cond` (every numpy `p`):
//! values computed by hand from numpy's definitions, numpy's dispatch on `axis`, overflow.

use lapis::linalg::{self, Ord};
use lapis::{Array, LinalgError, array, matmul, random, s};

const EPS: f64 = f64::EPSILON;

fn rand(shape: &[usize], seed: u64) -> Array<f64> {
    random::default_rng(seed).standard_normal::<f64>(shape)
}

fn max_abs(a: &Array<f64>) -> f64 {
    a.iter().fold(0.0f64, |m, &x| m.max(x.abs()))
}

/// The 0-d result of a full reduction.
fn nrm(x: &Array<f64>, ord: Option<Ord>) -> f64 {
    let r = linalg::norm(x, ord, None, false).unwrap();
    assert_eq!(r.ndim(), 0);
    r.item().unwrap()
}

fn close(a: f64, b: f64, n: usize) {
    assert!(
        (a - b).abs() <= 4.0 * n as f64 * EPS * b.abs(),
        "{a} vs {b}"
    );
}

#[test]
fn vector_norms_by_hand() {
    let x = array![3., -4., 0., 12.];
    close(nrm(&x, None), 13.0, 4);
    close(nrm(&x, Some(Ord::P(2.))), 13.0, 4);
    assert_eq!(nrm(&x, Some(Ord::P(1.))), 19.0);
    assert_eq!(nrm(&x, Some(Ord::Inf)), 12.0);
    assert_eq!(nrm(&x, Some(Ord::P(f64::INFINITY))), 12.0);
    assert_eq!(nrm(&x, Some(Ord::NegInf)), 0.0);
    assert_eq!(nrm(&x, Some(Ord::P(0.))), 3.0);
    close(
        nrm(&x, Some(Ord::P(3.))),
        (27.0f64 + 64.0 + 1728.0).powf(1.0 / 3.0),
        8,
    );
    close(
        nrm(&x, Some(Ord::P(0.5))),
        (3f64.sqrt() + 2.0 + 12f64.sqrt()).powi(2),
        8,
    );
    // negative p: a zero entry makes the norm 0 (numpy: 0**p = inf, inf**(1/p) = 0)
    assert_eq!(nrm(&x, Some(Ord::P(-1.))), 0.0);
    let y = array![1., 2., 4.];
    close(nrm(&y, Some(Ord::P(-1.))), 1.0 / (1.0 + 0.5 + 0.25), 8);
    close(
        nrm(&y, Some(Ord::P(-2.))),
        (1.0f64 + 0.25 + 0.0625).powf(-0.5),
        8,
    );
    assert_eq!(nrm(&y, Some(Ord::NegInf)), 1.0);
    // 'fro' and 'nuc' are not vector norms
    for o in [Ord::Fro, Ord::Nuc] {
        assert!(matches!(
            linalg::norm(&y, Some(o), None, false),
            Err(LinalgError::InvalidArgument { op: "norm", .. })
        ));
    }
    // numpy: norm of a 0-d array is its magnitude
    assert_eq!(
        nrm(&Array::from_shape_vec(&[], vec![-3.0]).unwrap(), None),
        3.0
    );
    // empty: sums and initial-0 maxima are 0, a minimum is an error, p < 0 gives inf
    let e = Array::<f64>::zeros(&[0]);
    assert_eq!(nrm(&e, None), 0.0);
    assert_eq!(nrm(&e, Some(Ord::Inf)), 0.0);
    assert_eq!(nrm(&e, Some(Ord::P(1.))), 0.0);
    assert_eq!(nrm(&e, Some(Ord::P(-1.))), f64::INFINITY);
    assert!(linalg::norm(&e, Some(Ord::NegInf), None, false).is_err());
    // NaN propagates
    assert!(nrm(&array![1., f64::NAN], None).is_nan());
    assert!(nrm(&array![1., f64::NAN], Some(Ord::Inf)).is_nan());
    assert_eq!(
        nrm(&array![1., f64::INFINITY, f64::INFINITY], None),
        f64::INFINITY
    );
}

#[test]
fn two_norm_does_not_overflow_or_underflow() {
    let big = array![3e300, 4e300];
    close(nrm(&big, None), 5e300, 4);
    close(nrm(&big, Some(Ord::P(2.))), 5e300, 4);
    close(
        nrm(&big, Some(Ord::P(3.))),
        (27.0f64 + 64.0).powf(1.0 / 3.0) * 1e300,
        8,
    );
    let tiny = array![3e-300, 4e-300];
    close(nrm(&tiny, None), 5e-300, 4);
    close(
        nrm(&tiny, Some(Ord::P(-2.))),
        (1.0 / 9.0 + 1.0 / 16.0f64).powf(-0.5) * 1e-300,
        8,
    );
    let m = array![[3e300, 0.], [0., 4e300]];
    close(nrm(&m, Some(Ord::Fro)), 5e300, 4);
    close(nrm(&m, Some(Ord::P(2.))), 4e300, 8);
    let f32s = lapis::Array::<f32>::from_vec(vec![3e30, 4e30]);
    let r = linalg::norm(&f32s, None, None, false)
        .unwrap()
        .item()
        .unwrap();
    assert!((r - 5e30).abs() <= 8.0 * f32::EPSILON * 5e30);
}

#[test]
fn matrix_norms_by_hand() {
    // A = [[1, -2], [3, 4]]: column sums |.| = 4, 6; row sums = 3, 7; AᵀA = [[10, 10], [10, 20]]
    // with eigenvalues 15 ± 5√5, so σ = √(15 ± 5√5), σ₁σ₂ = |det A| = 10
    let a = array![[1., -2.], [3., 4.]];
    let s1 = (15.0 + 5.0 * 5f64.sqrt()).sqrt();
    let s2 = (15.0 - 5.0 * 5f64.sqrt()).sqrt();
    close(nrm(&a, None), 30f64.sqrt(), 4);
    close(nrm(&a, Some(Ord::Fro)), 30f64.sqrt(), 4);
    assert_eq!(nrm(&a, Some(Ord::P(1.))), 6.0);
    assert_eq!(nrm(&a, Some(Ord::P(-1.))), 4.0);
    assert_eq!(nrm(&a, Some(Ord::Inf)), 7.0);
    assert_eq!(nrm(&a, Some(Ord::NegInf)), 3.0);
    close(nrm(&a, Some(Ord::P(2.))), s1, 20);
    close(nrm(&a, Some(Ord::P(-2.))), s2, 20);
    close(nrm(&a, Some(Ord::Nuc)), s1 + s2, 20);
    close(
        nrm(&a, Some(Ord::P(2.))) * nrm(&a, Some(Ord::P(-2.))),
        10.0,
        40,
    );
    // orders numpy rejects for matrices
    for o in [Ord::P(0.), Ord::P(3.), Ord::P(0.5)] {
        assert!(matches!(
            linalg::norm(&a, Some(o), None, false),
            Err(LinalgError::InvalidArgument { .. })
        ));
    }
    // keepdims with axis = None
    let k = linalg::norm(&a, Some(Ord::P(1.)), None, true).unwrap();
    assert_eq!(k.shape(), &[1, 1]);
    assert_eq!(linalg::norm(&a, None, None, true).unwrap().shape(), &[1, 1]);
    // empty matrices: 0 for the sum/max norms, an error for the min norms
    let e = Array::<f64>::zeros(&[3, 0]);
    for o in [
        None,
        Some(Ord::Fro),
        Some(Ord::Nuc),
        Some(Ord::P(1.)),
        Some(Ord::Inf),
        Some(Ord::P(2.)),
    ] {
        assert_eq!(nrm(&e, o), 0.0);
    }
    for o in [Ord::P(-1.), Ord::P(-2.)] {
        assert!(linalg::norm(&e, Some(o), None, false).is_err());
    }
    assert_eq!(nrm(&e, Some(Ord::NegInf)), 0.0); // rows exist: min of three zero row sums
}

#[test]
fn axis_dispatch_as_numpy() {
    let x = rand(&[2, 3, 4], 5);
    // axis = None, ord = None: the flattened 2-norm whatever the dimensions
    let flat: f64 = x.iter().map(|v| v * v).sum::<f64>().sqrt();
    close(nrm(&x, None), flat, 24);
    assert_eq!(
        linalg::norm(&x, None, None, true).unwrap().shape(),
        &[1, 1, 1]
    );
    // any other ord with axis = None needs 1-D or 2-D input
    assert!(matches!(
        linalg::norm(&x, Some(Ord::P(2.)), None, false),
        Err(LinalgError::InvalidArgument { .. })
    ));
    assert!(linalg::norm(&x, None, Some(&[0, 1, 2]), false).is_err());
    // one axis: vector norms of every vector along it
    let r = linalg::norm(&x, Some(Ord::P(1.)), Some(&[1]), false).unwrap();
    assert_eq!(r.shape(), &[2, 4]);
    let rk = linalg::norm(&x, Some(Ord::P(1.)), Some(&[-2]), true).unwrap();
    assert_eq!(rk.shape(), &[2, 1, 4]);
    for i in 0..2 {
        for j in 0..4 {
            let v: f64 = (0..3).map(|t| x[[i, t, j]].abs()).sum();
            close(r[[i, j]], v, 4);
            assert_eq!(rk[[i, 0, j]], r[[i, j]]);
        }
    }
    let r2 = linalg::norm(&x, None, Some(&[2]), false).unwrap();
    for i in 0..2 {
        for t in 0..3 {
            let v = x.slice(s![i, t, ..]).to_owned();
            close(r2[[i, t]], v.iter().map(|a| a * a).sum::<f64>().sqrt(), 8);
        }
    }
    // two axes: matrix norms, rows along the first axis given, columns along the second
    let m = linalg::norm(&x, Some(Ord::Inf), Some(&[2, 0]), false).unwrap();
    assert_eq!(m.shape(), &[3]);
    let mk = linalg::norm(&x, Some(Ord::Inf), Some(&[2, 0]), true).unwrap();
    assert_eq!(mk.shape(), &[1, 3, 1]);
    for t in 0..3 {
        // the matrix B[r, c] = x[c, t, r] (4 × 2): the largest row sum
        let best = (0..4)
            .map(|rr| (0..2).map(|c| x[[c, t, rr]].abs()).sum::<f64>())
            .fold(0.0f64, f64::max);
        close(m[[t]], best, 4);
        assert_eq!(mk[[0, t, 0]], m[[t]]);
    }
    // stacked spectral norms equal the single-matrix ones
    let sp = linalg::norm(&x, Some(Ord::P(2.)), Some(&[-2, -1]), false).unwrap();
    let nu = linalg::norm(&x, Some(Ord::Nuc), Some(&[1, 2]), false).unwrap();
    for i in 0..2 {
        let xi = x.slice(s![i, .., ..]).to_owned();
        let sv = linalg::svdvals(&xi).unwrap();
        close(sp[[i]], sv[[0]], 4);
        close(nu[[i]], sv.iter().sum(), 8);
    }
    // errors: duplicate axes, out of bounds, three axes
    assert!(matches!(
        linalg::norm(&x, None, Some(&[1, -2]), false),
        Err(LinalgError::InvalidArgument { .. })
    ));
    assert!(matches!(
        linalg::norm(&x, None, Some(&[3]), false),
        Err(LinalgError::AxisOutOfBounds { .. })
    ));
}

#[test]
fn cond_every_p() {
    // numpy: cond(diag(1, 1e-3)) = 1e3 for p = 2 (and None), 1e-3 for -2
    let d = array![[1., 0.], [0., 1e-3]];
    let c = |p| linalg::cond(&d, p).unwrap().item().unwrap();
    close(c(None), 1e3, 8);
    close(c(Some(Ord::P(2.))), 1e3, 8);
    close(c(Some(Ord::P(-2.))), 1e-3, 8);
    close(c(Some(Ord::P(1.))), 1e3, 8);
    close(c(Some(Ord::Inf)), 1e3, 8);
    // -1, -inf: min column/row sums of d and of inv(d) = diag(1, 1e3): 1e-3 · 1
    close(c(Some(Ord::P(-1.))), 1e-3, 8);
    close(c(Some(Ord::NegInf)), 1e-3, 8);
    close(
        c(Some(Ord::Fro)),
        (1.0f64 + 1e-6).sqrt() * (1.0f64 + 1e6).sqrt(),
        8,
    );
    close(c(Some(Ord::Nuc)), 1.001 * 1001.0, 8);
    // a general matrix: cond_p = ‖A‖_p·‖A⁻¹‖_p
    let a = rand(&[6, 6], 3);
    let ai = linalg::inv(&a).unwrap();
    for p in [
        Ord::P(1.),
        Ord::P(-1.),
        Ord::Inf,
        Ord::NegInf,
        Ord::Fro,
        Ord::Nuc,
    ] {
        let want = nrm(&a, Some(p)) * nrm(&ai, Some(p));
        let got = linalg::cond(&a, Some(p)).unwrap().item().unwrap();
        assert!(
            (got - want).abs() <= 1e3 * 6.0 * EPS * want,
            "{p:?}: {got} vs {want}"
        );
    }
    // stacks: singular members give inf (not an error), as numpy
    let mut st = rand(&[3, 4, 4], 8);
    st.slice_mut(s![1, .., ..]).fill(0.0);
    st.slice_mut(s![2, 0, ..]).fill(0.0);
    for p in [
        None,
        Some(Ord::P(1.)),
        Some(Ord::Inf),
        Some(Ord::Fro),
        Some(Ord::P(-2.)),
    ] {
        let r = linalg::cond(&st, p).unwrap();
        assert_eq!(r.shape(), &[3]);
        assert!(r[[0]].is_finite() && r[[0]] > 0.0);
        match p {
            // σ_min/σ_max: 0/0 (numpy's NaN → inf) for the zero matrix; for the zero row σ_min
            // is zero only to rounding (numpy's too): at most c·n·ε relative to σ_max
            Some(Ord::P(-2.)) => {
                assert_eq!(r[[1]], f64::INFINITY);
                assert!(r[[2]] <= 20.0 * 4.0 * EPS);
            }
            None => {
                assert_eq!(r[[1]], f64::INFINITY);
                assert!(r[[2]] >= 1.0 / (20.0 * 4.0 * EPS));
            }
            // the inverse-based orders see the exactly zero pivot: inf
            _ => assert_eq!((r[[1]], r[[2]]), (f64::INFINITY, f64::INFINITY), "{p:?}"),
        }
    }
    // cond of [[1, 2], [2, 4]]: inf
    let sing = array![[1., 2.], [2., 4.]];
    let cs: f64 = linalg::cond(&sing, Some(Ord::P(1.)))
        .unwrap()
        .item()
        .unwrap();
    assert!(cs.is_infinite());
    // non-square: fine for the singular-value orders, NotSquare for the others
    let w = matmul(&rand(&[3, 5], 1), &Array::eye(5)).unwrap();
    assert!(linalg::cond(&w, None).unwrap().item().unwrap() >= 1.0);
    assert!(matches!(
        linalg::cond(&w, Some(Ord::P(1.))),
        Err(LinalgError::NotSquare { .. })
    ));
    // errors: empty, invalid order, NaN
    assert!(linalg::cond(&Array::<f64>::zeros(&[0, 0]), None).is_err());
    assert!(linalg::cond(&d, Some(Ord::P(3.))).is_err());
    assert_eq!(
        linalg::cond(&array![[1., f64::NAN], [0., 1.]], Some(Ord::P(1.))),
        Err(LinalgError::NonFinite)
    );
    assert_eq!(
        max_abs(&linalg::cond(&Array::<f64>::eye(3), None).unwrap()),
        1.0
    );
}
