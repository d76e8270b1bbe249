//! Complex arrays (`c32`, `c64`): element traits, arithmetic with numpy's division,
//! elementwise functions at the edges of the range, parts, casts, printing checked against
//! numpy 2, and the products (four real GEMMs) against a naive complex triple loop with the
//! bound of the mathematics.

use lapis::random::Rng;
use lapis::{
    Array, ArrayView, Complex, Element, Inexact, LinalgError, Number, Scalar, allclose,
    allclose_with, array, c32, c64, dot, einsum, inner, isclose, isclose_with, kron, matmul,
    matrix_power, multi_dot, outer, s, tensordot, trace, vdot,
};

fn z(re: f64, im: f64) -> c64 {
    c64::new(re, im)
}

fn zs(v: &[(f64, f64)]) -> Array<c64> {
    Array::from_vec(v.iter().map(|&(r, i)| z(r, i)).collect())
}

/// Bit-level equality of two complex values (so `-0.0 ≠ 0.0` and NaN = NaN).
fn same_bits(a: c64, b: c64) -> bool {
    a.re.to_bits() == b.re.to_bits() && a.im.to_bits() == b.im.to_bits()
}

/// A seeded complex array with standard normal parts.
fn crandn<F>(rng: &mut Rng, shape: &[usize]) -> Array<Complex<F>>
where
    F: Scalar + Element,
    Complex<F>: Inexact<Float = F>,
{
    Array::from_re_im(
        &rng.standard_normal::<F>(shape),
        &rng.standard_normal::<F>(shape),
    )
    .unwrap()
}

#[test]
fn dtypes_and_construction() {
    assert_eq!(<c64 as Element>::DTYPE, "complex128");
    assert_eq!(<c32 as Element>::DTYPE, "complex64");
    const { assert!(<c64 as Element>::DEFAULT_DTYPE && !<c32 as Element>::DEFAULT_DTYPE) };
    const { assert!(<c64 as Inexact>::IS_COMPLEX && !<f64 as Inexact>::IS_COMPLEX) };
    let a = array![[z(1., 2.), z(3., 4.)], [z(5., 6.), z(7., 8.)]];
    assert_eq!(a.shape(), &[2, 2]);
    assert_eq!(a[[1, 0]], z(5., 6.));
    assert_eq!(Array::<c64>::zeros(&[2]).to_vec(), vec![z(0., 0.); 2]);
    assert_eq!(Array::<c64>::eye(2)[[1, 1]], z(1., 0.));
    // numpy: np.array([1.,2.]) + 1j*np.array([3.,4.]), with broadcasting
    let b = Array::<c64>::from_re_im(&array![1., 2.], &array![3., 4.]).unwrap();
    assert_eq!(b, zs(&[(1., 3.), (2., 4.)]));
    let e = Array::<c64>::from_re_im(&array![1., 2.], &array![1., 2., 3.]).unwrap_err();
    assert!(matches!(e, LinalgError::Broadcast { .. }), "{e}");
}

#[test]
fn arithmetic_broadcasts_and_matches_the_complex_formulas() {
    let mut rng = Rng::new(11);
    let a = crandn::<f64>(&mut rng, &[3, 4]);
    let b = crandn::<f64>(&mut rng, &[4]);
    let zc = z(0.5, -2.0);
    let mul = |x: c64, y: c64| z(x.re * y.re - x.im * y.im, x.re * y.im + x.im * y.re);
    let div = |x: c64, y: c64| {
        let d = y.re * y.re + y.im * y.im;
        z(
            (x.re * y.re + x.im * y.im) / d,
            (x.im * y.re - x.re * y.im) / d,
        )
    };
    let sum = &a + &b;
    let diff = &a - &b;
    let prod = &a * &b;
    let quot = &a / &b;
    for i in 0..3 {
        for j in 0..4 {
            let (x, y) = (a[[i, j]], b[[j]]);
            assert_eq!(sum[[i, j]], z(x.re + y.re, x.im + y.im));
            assert_eq!(diff[[i, j]], z(x.re - y.re, x.im - y.im));
            assert_eq!(prod[[i, j]], mul(x, y));
            // Smith's division and the textbook one agree to a few ulps at unit scale.
            let (q, r) = (quot[[i, j]], div(x, y));
            assert!(
                (q - r).norm() <= 8.0 * f64::EPSILON * r.norm(),
                "{q} vs {r}"
            );
        }
    }
    // scalars on either side, by value and by reference
    assert_eq!((&a * zc)[[2, 3]], mul(a[[2, 3]], zc));
    assert_eq!((zc * &a)[[1, 2]], mul(zc, a[[1, 2]]));
    assert_eq!((zc - a.clone())[[0, 0]], zc - a[[0, 0]]);
    assert_eq!((a.clone() + zc)[[0, 1]], a[[0, 1]] + zc);
    let q = zc / &a;
    assert!((q[[0, 0]] - div(zc, a[[0, 0]])).norm() <= 8.0 * f64::EPSILON * q[[0, 0]].norm());
    // in place: the same operations as the operators
    let mut c = a.clone();
    c += &b;
    assert_eq!(c, sum);
    c -= &b;
    assert_eq!(c, &sum - &b);
    let mut d = a.clone();
    d *= zc;
    assert_eq!(d, &a * zc);
    d /= zc;
    assert_eq!(d, &(&a * zc) / zc);
    // unary minus
    assert_eq!((-&a)[[1, 1]], z(-a[[1, 1]].re, -a[[1, 1]].im));
    assert_eq!(-a.clone(), a.mapv(|x| -x));
    // shape errors name both shapes
    let e = a.try_add(&crandn::<f64>(&mut rng, &[3])).unwrap_err();
    assert!(
        e.to_string().contains("(3,4)") && e.to_string().contains("(3,)"),
        "{e}"
    );
}

#[test]
fn division_is_numpys_scaled_division() {
    // Values and bits from numpy 2: (1+1j) / d for each divisor d.
    let cases = [
        // |d|² overflows: the textbook formula gives 0, numpy (and Smith) 1e-300.
        ((1e300, 1e300), (1e-300, 0.0)),
        // |d|² underflows to 0: the textbook formula gives inf/nan.
        ((1e-300, 1e-300), (9.999999999999999e+299, 0.0)),
        ((3.0, 4.0), (0.28, -0.04)),
        ((f64::INFINITY, 0.0), (0.0, 0.0)),
        ((0.0, 0.0), (f64::INFINITY, f64::INFINITY)),
        // numpy's own algorithm overflows here; Lapis follows it.
        ((1e-310, 2e-310), (f64::INFINITY, f64::NEG_INFINITY)),
    ];
    let num = zs(&[(1.0, 1.0)]);
    for ((dr, di), (qr, qi)) in cases {
        let q = (&num / &zs(&[(dr, di)]))[[0]];
        assert!(
            same_bits(q, z(qr, qi)),
            "(1+1j)/({dr}+{di}j) = {q}, numpy {qr}+{qi}j"
        );
    }
    // c32 uses the same algorithm at its own scale
    let q = (Array::from_vec(vec![c32::new(1.0, 1.0)]) / c32::new(1e30, 1e30))[[0]];
    assert_eq!(q, c32::new(1e-30, 0.0));
}

#[test]
fn reductions() {
    let a = array![[z(1., 2.), z(3., -4.)], [z(-1., 0.5), z(0., 1.)]];
    assert_eq!(a.sum(), z(3., -0.5));
    assert_eq!(
        a.prod(),
        (z(1., 2.) * z(3., -4.)) * (z(-1., 0.5) * z(0., 1.))
    );
    assert_eq!(a.sum_axis(0, false).unwrap(), zs(&[(0., 2.5), (3., -3.)]));
    assert_eq!(a.prod_axis(1, true).unwrap().shape(), &[2, 1]);
    // numpy: np.mean([[1+2j, 3-4j], [-1+0.5j, 1j]]) -> (0.75-0.125j)
    assert_eq!(a.mean(), z(0.75, -0.125));
    assert_eq!(
        a.mean_axis(-1, false).unwrap(),
        zs(&[(2., -1.), (-0.5, 0.75)])
    );
    // numpy: np.mean(np.array([], complex)) -> (nan+nanj)
    let m = Array::<c64>::zeros(&[0]).mean();
    assert!(m.re.is_nan() && m.im.is_nan());
    assert_eq!(Array::<c64>::zeros(&[0]).sum(), z(0., 0.));
    assert_eq!(Array::<c32>::ones(&[5]).sum(), c32::new(5., 0.));
}

#[test]
fn abs_sqrt_exp_at_the_edges() {
    // abs is hypot: no overflow above √max, no underflow below √min.
    let a = zs(&[
        (1e300, 1e300),
        (1e-320, 1e-320),
        (3., -4.),
        (f64::INFINITY, f64::NAN),
    ]);
    let m = a.abs();
    assert_eq!(m.shape(), &[4]);
    assert!((m[[0]] - 1.4142135623730951e300).abs() <= 2.0 * f64::EPSILON * m[[0]]);
    assert!(m[[1]] > 1.4e-320 && m[[1]] < 1.42e-320);
    assert_eq!((m[[2]], m[[3]]), (5.0, f64::INFINITY));

    // sqrt: values from numpy 2 (np.sqrt on complex128).
    let cases = [
        ((-4.0, 0.0), (0.0, 2.0)),
        ((-4.0, -0.0), (0.0, -2.0)),
        ((0.0, -0.0), (0.0, -0.0)),
        ((3.0, 4.0), (2.0, 1.0)),
        ((0.0, 2.0), (1.0, 1.0)),
        ((-3.0, -4.0), (1.0, -2.0)),
        ((f64::NEG_INFINITY, 1.0), (0.0, f64::INFINITY)),
        ((f64::NAN, f64::INFINITY), (f64::INFINITY, f64::INFINITY)),
    ];
    for ((xr, xi), (yr, yi)) in cases {
        let r = zs(&[(xr, xi)]).sqrt()[[0]];
        assert!(
            same_bits(r, z(yr, yi)),
            "sqrt({xr}+{xi}j) = {r}, numpy {yr}+{yi}j"
        );
    }
    // Near the branch cut the polar form loses the tiny real part; numpy: 5e-21+1j.
    let r = zs(&[(-1.0, 1e-20)]).sqrt()[[0]];
    assert!(
        (r.re - 5e-21).abs() <= 2.0 * f64::EPSILON * 5e-21 && r.im == 1.0,
        "{r}"
    );
    // Huge and subnormal inputs stay accurate (numpy's values, relative error ≤ 4ε).
    for ((xr, xi), (yr, yi)) in [
        (
            (1e300, 1e300),
            (1.09868411346781e150, 4.550898605622274e149),
        ),
        (
            (1e-310, 1e-310),
            (1.0986841134678082e-155, 4.550898605622267e-156),
        ),
    ] {
        let r = zs(&[(xr, xi)]).sqrt()[[0]];
        assert!((r.re - yr).abs() <= 4.0 * f64::EPSILON * yr, "{r}");
        assert!((r.im - yi).abs() <= 4.0 * f64::EPSILON * yi, "{r}");
    }
    // The root squares back for random inputs of every scale: the root is within ≈3u of
    // √x (u = ε/2) and squaring doubles that and adds √5·u, ≈ 4.1ε to first order.
    let mut rng = Rng::new(5);
    let w = crandn::<f64>(&mut rng, &[200]);
    let scale = Array::from_shape_fn(&[200], |i| 10f64.powi(i[0] as i32 % 41 * 15 - 300));
    let w = Array::from_re_im(&(&w.re() * &scale), &(&w.im() * &scale)).unwrap();
    let r = w.sqrt();
    for (x, y) in w.iter().zip(r.iter()) {
        assert!(y.re >= 0.0);
        assert!(
            (y * y - x).norm() <= 8.0 * f64::EPSILON * x.norm(),
            "{x} {y}"
        );
    }

    // exp: numpy's values; a zero imaginary part stays exact.
    let e = zs(&[
        (1.0, 1.0),
        (f64::INFINITY, 0.0),
        (f64::NAN, 0.0),
        (f64::NEG_INFINITY, 1.0),
    ])
    .exp();
    assert!(
        (e[[0]] - z(1.4686939399158851, 2.2873552871788423)).norm() <= 4.0 * f64::EPSILON * 2.8
    );
    assert!(same_bits(e[[1]], z(f64::INFINITY, 0.0)));
    assert!(e[[2]].re.is_nan() && e[[2]].im.to_bits() == 0);
    assert_eq!(e[[3]], z(0.0, 0.0));
    // exp(iπ) = -1 + 1.22e-16j
    let e = zs(&[(0.0, std::f64::consts::PI)]).exp()[[0]];
    assert_eq!(e, z(-1.0, 1.2246467991473532e-16));
    // c32 too
    let r = Array::from_vec(vec![c32::new(-9.0, 0.0)]).sqrt();
    assert_eq!(r[[0]], c32::new(0.0, 3.0));
}

#[test]
fn closeness_uses_the_modulus() {
    let a = zs(&[
        (1.0, 1.0),
        (1e10, 0.0),
        (f64::NAN, 0.0),
        (f64::INFINITY, 1.0),
    ]);
    // |a-b| = 1e-6·√2 > 1e-8 + 1e-5·|b|? no: 1.4e-6 ≤ 1.4e-5 -> close
    let b = zs(&[
        (1.000001, 1.000001),
        (1e10, 1e6),
        (f64::NAN, 0.0),
        (f64::INFINITY, 1.0),
    ]);
    // numpy: np.isclose(a, b) -> [True, False, False, True]
    assert_eq!(isclose(&a, &b).unwrap(), array![true, false, false, true]);
    assert_eq!(
        isclose_with(&a, &b, 1e-5, 1e-8, true).unwrap(),
        array![true, false, true, true]
    );
    // the imaginary part counts: 1 vs 1+1e-3j is not close
    assert!(!allclose(&zs(&[(1.0, 0.0)]), &zs(&[(1.0, 1e-3)])).unwrap());
    assert!(allclose_with(&zs(&[(1.0, 0.0)]), &zs(&[(1.0, 1e-3)]), 2e-3, 0.0, false).unwrap());
    // an infinite imaginary part is only close to itself
    let inf = zs(&[(0.0, f64::INFINITY)]);
    assert!(allclose(&inf, &inf).unwrap());
    assert!(!allclose(&inf, &zs(&[(0.0, 1e308)])).unwrap());
    // broadcasting, and c32 with real f32 tolerances
    assert!(
        allclose(
            &Array::<c64>::ones(&[2, 3]),
            &Array::from_elem_0d(z(1.0, 0.0))
        )
        .unwrap()
    );
    let x = Array::from_vec(vec![c32::new(1.0, 2.0)]);
    assert!(allclose_with(&x, &x, 0.0f32, 0.0f32, false).unwrap());
}

#[test]
fn parts_conj_angle_real_if_close() {
    let a = zs(&[(1.0, 2.0), (-3.0, -0.0), (0.0, -1.0)]);
    assert_eq!(a.re(), array![1.0, -3.0, 0.0]);
    assert_eq!(a.im(), array![2.0, -0.0, -1.0]);
    assert_eq!(a.conj(), zs(&[(1.0, -2.0), (-3.0, 0.0), (0.0, 1.0)]));
    let pi = std::f64::consts::PI;
    // numpy: np.angle([1+2j, -3-0j, -1j])
    assert_eq!(a.angle(), array![2f64.atan2(1.0), -pi, -pi / 2.0]);
    // on a real array, numpy's .real/.imag/conj/angle
    let r = array![[1.5, -2.0]];
    assert_eq!((r.re(), r.im()), (r.clone(), array![[0.0, 0.0]]));
    assert_eq!((r.conj(), r.angle()), (r.clone(), array![[0.0, pi]]));
    // parts of a strided view
    let m = Array::from_shape_fn(&[3, 4], |i| z(i[0] as f64, i[1] as f64));
    let v = m.slice(s![..;-2, 1..;2]);
    assert_eq!(v.re(), array![[2.0, 2.0], [0.0, 0.0]]);
    assert_eq!(v.im(), array![[1.0, 3.0], [1.0, 3.0]]);

    // real_if_close: numpy's tol is in machine epsilons above 1, absolute below.
    let eps = f64::EPSILON;
    let near = zs(&[(2.1, 99.0 * eps), (5.2, -3e-15)]);
    assert_eq!(near.real_if_close(), Some(array![2.1, 5.2]));
    assert_eq!(zs(&[(2.1, 100.0 * eps)]).real_if_close(), None); // strict <
    assert_eq!(
        zs(&[(2.1, 4e-14)]).real_if_close_with(1000.0),
        Some(array![2.1])
    );
    assert_eq!(
        zs(&[(1.0, 1e-3)]).real_if_close_with(1e-2),
        Some(array![1.0])
    );
    assert_eq!(zs(&[(1.0, f64::NAN)]).real_if_close(), None);
    assert_eq!(
        Array::<c64>::zeros(&[0, 2])
            .real_if_close()
            .unwrap()
            .shape(),
        &[0, 2]
    );
    let f = Array::from_vec(vec![c32::new(1.0, 50.0 * f32::EPSILON)]);
    assert_eq!(f.real_if_close(), Some(array![1.0f32]));
}

#[test]
fn casts_follow_numpy() {
    // real -> complex
    assert_eq!(
        array![1.5, -2.0].astype::<c64>(),
        zs(&[(1.5, 0.0), (-2.0, 0.0)])
    );
    assert_eq!(array![3i64].astype::<c32>()[[0]], c32::new(3.0, 0.0));
    assert_eq!(
        array![true, false].astype::<c64>(),
        zs(&[(1.0, 0.0), (0.0, 0.0)])
    );
    // complex -> real keeps the real part (numpy: ComplexWarning), -> int truncates it
    let a = zs(&[(1.0, 2.0), (0.0, -3.7), (f64::NAN, 0.0)]);
    assert_eq!(a.astype::<f64>().to_vec()[..2], [1.0, 0.0]);
    assert_eq!(
        zs(&[(1.9, 2.0), (-3.7, 1.0)]).astype::<i64>(),
        array![1i64, -3]
    );
    // numpy: np.array([1+2j, 3+0j, nan+0j, 0-0j]).astype(bool) -> [T, T, T, F]
    let b = zs(&[
        (1.0, 2.0),
        (3.0, 0.0),
        (f64::NAN, 0.0),
        (0.0, -0.0),
        (0.0, 1.0),
    ]);
    assert_eq!(b.astype::<bool>(), array![true, true, true, false, true]);
    // precision changes
    let c = a.astype::<c32>();
    assert_eq!(c[[0]], c32::new(1.0, 2.0));
    assert_eq!(c.astype::<c64>()[[1]], z(0.0, -3.700000047683716));
}

#[test]
fn printing_matches_numpy() {
    // Each expectation is numpy 2.4's repr(a) (and str(a) where given).
    let nan = f64::NAN;
    let inf = f64::INFINITY;
    let a = zs(&[(1.0, 2.0), (3.0, -0.5)]);
    assert_eq!(a.to_string(), "array([1.+2.j , 3.-0.5j])");
    assert_eq!(format!("{a:#}"), "[1.+2.j  3.-0.5j]");
    let b = array![[z(1.0, 0.0), z(-0.0, -1.0)], [z(0.5, 2.0), z(3.0, 0.0)]];
    assert_eq!(
        b.to_string(),
        "array([[ 1. +0.j, -0. -1.j],\n       [ 0.5+2.j,  3. +0.j]])"
    );
    assert_eq!(
        format!("{b:#}"),
        "[[ 1. +0.j -0. -1.j]\n [ 0.5+2.j  3. +0.j]]"
    );
    assert_eq!(
        zs(&[(nan, nan), (1.0, 1.0)]).to_string(),
        "array([nan+nanj,  1. +1.j])"
    );
    assert_eq!(
        zs(&[(inf, 0.0), (1.0, -inf), (2.0, 3.0)]).to_string(),
        "array([inf +0.j,  1.-infj,  2. +3.j])"
    );
    assert_eq!(
        zs(&[(nan, 1.0), (1.0, nan)]).to_string(),
        "array([nan +1.j,  1.+nanj])"
    );
    assert_eq!(zs(&[(-inf, nan)]).to_string(), "array([-inf+nanj])");
    assert_eq!(
        zs(&[(1e10, 1.0), (1.0, -1e-10)]).to_string(),
        "array([1.e+10+1.e+00j, 1.e+00-1.e-10j])"
    );
    assert_eq!(
        zs(&[(1e-5, 1e5), (2.0, 2.0)]).to_string(),
        "array([1.e-05+1.e+05j, 2.e+00+2.e+00j])"
    );
    assert_eq!(
        zs(&[(-0.0, 0.0), (0.0, -0.0), (0.0, 0.0)]).to_string(),
        "array([-0.+0.j,  0.-0.j,  0.+0.j])"
    );
    let c = Array::from_vec(vec![c32::new(1.0, 2.0), c32::new(3.0, -4.0)]);
    assert_eq!(c.to_string(), "array([1.+2.j, 3.-4.j], dtype=complex64)");
    let d = Array::from_vec(vec![c32::new(0.1, 0.2)]);
    assert_eq!(d.to_string(), "array([0.1+0.2j], dtype=complex64)");
    assert_eq!(
        Array::from_elem_0d(z(1.0, 2.0)).to_string(),
        "array(1.+2.j)"
    );
    assert_eq!(
        Array::<c64>::zeros(&[0]).to_string(),
        "array([], dtype=complex128)"
    );
    assert_eq!(
        Array::<c32>::zeros(&[2, 0]).to_string(),
        "array([], shape=(2, 0), dtype=complex64)"
    );
    // numpy: np.arange(12).reshape(3, 4) * (1+1j) / 3  (wraps at 75 characters)
    let e = Array::from_shape_fn(&[3, 4], |i| {
        let k = (i[0] * 4 + i[1]) as f64;
        z(k, k) / z(3.0, 0.0)
    });
    assert_eq!(
        e.to_string(),
        "array([[0.        +0.j        , 0.33333333+0.33333333j,\n        0.66666667+0.66666667j, 1.        +1.j        ],\n       [1.33333333+1.33333333j, 1.66666667+1.66666667j,\n        2.        +2.j        , 2.33333333+2.33333333j],\n       [2.66666667+2.66666667j, 3.        +3.j        ,\n        3.33333333+3.33333333j, 3.66666667+3.66666667j]])"
    );
    assert_eq!(
        format!("{e:#}"),
        "[[0.        +0.j         0.33333333+0.33333333j 0.66666667+0.66666667j\n  1.        +1.j        ]\n [1.33333333+1.33333333j 1.66666667+1.66666667j 2.        +2.j\n  2.33333333+2.33333333j]\n [2.66666667+2.66666667j 3.        +3.j         3.33333333+3.33333333j\n  3.66666667+3.66666667j]]"
    );
}

/// The naive complex product in f64 (the parts of `c32` inputs widen exactly), and the
/// elementwise `(|A|·|B|)ᵢⱼ` that bounds the rounding error.
fn naive_with_bound<F>(
    a: &ArrayView<'_, Complex<F>>,
    b: &ArrayView<'_, Complex<F>>,
) -> (Array<c64>, Array<f64>)
where
    F: Scalar + Element,
    Complex<F>: Inexact<Float = F>,
{
    let (n, k, m) = (a.shape()[0], a.shape()[1], b.shape()[1]);
    let w = |x: Complex<F>| z(Scalar::to_f64(x.re), Scalar::to_f64(x.im));
    let c = Array::from_shape_fn(&[n, m], |ix| {
        (0..k).fold(z(0.0, 0.0), |acc, p| {
            acc + w(a[[ix[0], p]]) * w(b[[p, ix[1]]])
        })
    });
    let bound = Array::from_shape_fn(&[n, m], |ix| {
        (0..k)
            .map(|p| w(a[[ix[0], p]]).norm() * w(b[[p, ix[1]]]).norm())
            .sum()
    });
    (c, bound)
}

/// `|C − C_ref|ᵢⱼ ≤ c·k·ε·(|A|·|B|)ᵢⱼ`. Each part of a complex product is a sum of `2k`
/// real products with `Σ(|arbr| + |aibi|) ≤ (|A|·|B|)ᵢⱼ` (Cauchy–Schwarz), so each part's
/// error is at most `γ₂ₖ ≈ 2kε` times that, and the modulus √2 times more: `c = 2√2`
/// covers our product; the f64 reference adds as much again for `c64` (`c = 6`) and
/// nothing visible for `c32` (`c = 3`). Gradual underflow adds at most half the smallest
/// subnormal (`MIN_POSITIVE·ε`) per rounding. Non-finite reference parts must match
/// exactly (NaN where NaN, the same infinity).
fn assert_product_close<F>(
    got: &ArrayView<'_, Complex<F>>,
    a: &ArrayView<'_, Complex<F>>,
    b: &ArrayView<'_, Complex<F>>,
    what: &str,
) where
    F: Scalar + Element,
    Complex<F>: Inexact<Float = F>,
{
    let (want, bound) = naive_with_bound(a, b);
    assert_eq!(got.shape(), want.shape(), "{what}");
    let k = a.shape()[1].max(1) as f64;
    let c = if std::mem::size_of::<F>() == 4 {
        3.0
    } else {
        6.0
    };
    let eps = Scalar::to_f64(F::EPS);
    let tiny = Scalar::to_f64(F::MIN_POSITIVE) * eps;
    let bound = bound.to_vec();
    for (ix, (g, w)) in got.iter().zip(want.iter()).enumerate() {
        let g = z(Scalar::to_f64(g.re), Scalar::to_f64(g.im));
        let tol = c * k * (eps * bound[ix] + tiny);
        if !(w.re.is_finite() && w.im.is_finite()) {
            for (gp, wp) in [(g.re, w.re), (g.im, w.im)] {
                let ok = if wp.is_finite() {
                    (gp - wp).abs() <= tol
                } else {
                    gp.to_bits() == wp.to_bits() || (gp.is_nan() && wp.is_nan())
                };
                assert!(ok, "{what}[{ix}]: {g} vs {w}");
            }
            continue;
        }
        assert!(
            (g - w).norm() <= tol,
            "{what}[{ix}]: {g} vs {w} (tol {tol:e})"
        );
    }
}

fn check_products<F>(seed: u64)
where
    F: Scalar + Element,
    Complex<F>: Inexact<Float = F>,
{
    let mut rng = Rng::new(seed);
    // shapes around the kernels' tiles and blocks, and a parallel one (work ≥ 2¹⁶)
    for (n, k, m) in [
        (1, 1, 1),
        (2, 3, 4),
        (7, 1, 5),
        (17, 33, 9),
        (70, 130, 45),
        (64, 64, 64),
    ] {
        let a = crandn::<F>(&mut rng, &[n, k]);
        let b = crandn::<F>(&mut rng, &[k, m]);
        let c = matmul(&a, &b).unwrap();
        assert_product_close(&c.view(), &a.view(), &b.view(), &format!("{n}x{k}x{m}"));
        // transposed, reversed and stepped operands are read in place
        let at = a.t().to_owned();
        let c2 = matmul(&at.t(), &b).unwrap();
        assert_product_close(&c2.view(), &a.view(), &b.view(), "a from a transpose");
        let big = crandn::<F>(&mut rng, &[2 * k, 3 * m]);
        let bs = big.slice(s![..;-2, 1..;3]);
        let c3 = matmul(&a, &bs).unwrap();
        assert_product_close(&c3.view(), &a.view(), &bs, "strided b");
        // dot on 2-D is the same product
        let d = dot(&a, &bs).unwrap();
        assert_product_close(&d.view(), &a.view(), &bs, "dot");
    }
    // k = 0 gives zeros, empty outer dimensions give empty results
    let e = matmul(&Array::<Complex<F>>::zeros(&[3, 0]), &Array::zeros(&[0, 2])).unwrap();
    assert_eq!(e, Array::<Complex<F>>::zeros(&[3, 2]));
    assert_eq!(
        matmul(&Array::<Complex<F>>::zeros(&[0, 4]), &Array::zeros(&[4, 2]))
            .unwrap()
            .shape(),
        &[0, 2]
    );
}

#[test]
fn matmul_c64_matches_the_naive_product() {
    check_products::<f64>(1);
}

#[test]
fn matmul_c32_matches_the_naive_product() {
    check_products::<f32>(2);
}

#[test]
fn matmul_on_hard_matrices() {
    // 5: the direct loop for small products; 24: the four real GEMMs
    for n in [5, 24] {
        hard_matrices(n);
    }
}

fn hard_matrices(n: usize) {
    let mut rng = Rng::new(3);
    // graded: rows and columns scaled over 1e±100 (no overflow in any product)
    let g = |i: usize| 10f64.powi(((i * 9) % 21) as i32 * 10 - 100);
    let a0 = crandn::<f64>(&mut rng, &[n, n]);
    let b0 = crandn::<f64>(&mut rng, &[n, n]);
    let a = Array::from_shape_fn(&[n, n], |ix| a0[[ix[0], ix[1]]] * g(ix[0]));
    let b = Array::from_shape_fn(&[n, n], |ix| b0[[ix[0], ix[1]]] * g(ix[1]));
    assert_product_close(
        &matmul(&a, &b).unwrap().view(),
        &a.view(),
        &b.view(),
        "graded",
    );
    // tiny (subnormal products flush through the absolute term) and huge scale
    for s in [1e-160, 1e150] {
        let (as_, bs) = (&a0 * z(s, 0.0), &b0 * z(0.0, s));
        let c = matmul(&as_, &bs).unwrap();
        assert_product_close(&c.view(), &as_.view(), &bs.view(), &format!("scale {s:e}"));
    }
    // purely real and purely imaginary operands
    let re = Array::from_re_im(&a0.re(), &Array::zeros(&[n, n])).unwrap();
    let im = Array::from_re_im(&Array::zeros(&[n, n]), &b0.im()).unwrap();
    assert_product_close(
        &matmul(&re, &im).unwrap().view(),
        &re.view(),
        &im.view(),
        "re·im",
    );
    // zero and identity
    let zero = Array::<c64>::zeros(&[n, n]);
    assert_eq!(matmul(&a0, &zero).unwrap(), zero);
    assert_eq!(matmul(&a0, &Array::<c64>::eye(n)).unwrap(), a0);
    // NaN and Inf propagate where the naive product has them
    let mut bad = a0.clone();
    bad[[2, 3]] = z(f64::NAN, 0.0);
    bad[[n - 1, 1]] = z(f64::INFINITY, 0.0);
    bad[[n - 2, 0]] = z(0.0, f64::NEG_INFINITY);
    let c = matmul(&bad, &b0).unwrap();
    assert_product_close(&c.view(), &bad.view(), &b0.view(), "nan/inf");
    assert!(
        c.index_axis(0, 2)
            .iter()
            .all(|x| x.re.is_nan() && x.im.is_nan())
    );
    // 1×1
    let one = array![[z(2.0, -1.0)]];
    assert_eq!(matmul(&one, &one).unwrap(), array![[z(3.0, -4.0)]]);
}

#[test]
fn stacks_and_promotion() {
    let mut rng = Rng::new(4);
    // (3, 1, 4, 5) @ (2, 5, 6) -> (3, 2, 4, 6), with b a transposed view
    let a = crandn::<f64>(&mut rng, &[3, 1, 4, 5]);
    let bt = crandn::<f64>(&mut rng, &[2, 6, 5]);
    let b = bt.permute_axes(&[0, 2, 1]).unwrap();
    let c = matmul(&a, &b).unwrap();
    assert_eq!(c.shape(), &[3, 2, 4, 6]);
    for i in 0..3 {
        for j in 0..2 {
            let ai = a.index_axis(0, i);
            let ai = ai.index_axis(0, 0);
            let bj = b.index_axis(0, j);
            let cij = c.index_axis(0, i);
            let cij = cij.index_axis(0, j);
            assert_product_close(&cij, &ai, &bj, &format!("stack {i},{j}"));
        }
    }
    // many small matrices run the batched path
    let a = crandn::<f64>(&mut rng, &[500, 3, 2]);
    let b = crandn::<f64>(&mut rng, &[500, 2, 3]);
    let c = matmul(&a, &b).unwrap();
    for i in [0, 137, 499] {
        assert_product_close(
            &c.index_axis(0, i),
            &a.index_axis(0, i),
            &b.index_axis(0, i),
            "batch",
        );
    }
    // 1-D promotion, as numpy: (k,) @ (k,) is 0-d, (n, k) @ (k,) is (n,)
    let v = zs(&[(1.0, 1.0), (2.0, -1.0)]);
    let m = array![[z(1.0, 0.0), z(0.0, 1.0)], [z(2.0, 0.0), z(1.0, 1.0)]];
    assert_eq!(matmul(&v, &v).unwrap().item(), Some(z(3.0, -2.0)));
    assert_eq!(matmul(&m, &v).unwrap(), zs(&[(2.0, 3.0), (5.0, 3.0)]));
    assert_eq!(matmul(&v, &m).unwrap(), zs(&[(5.0, -1.0), (2.0, 2.0)]));
    let e = matmul(&v, &Array::<c64>::zeros(&[3])).unwrap_err();
    assert!(
        e.to_string().contains("(2,)") && e.to_string().contains("(3,)"),
        "{e}"
    );
}

#[test]
fn the_other_products_follow_numpy() {
    // Expectations from numpy 2 (small integer-valued data, so exact).
    let a = array![[z(1.0, 2.0), z(3.0, -1.0)], [z(0.0, 0.5), z(-2.0, 0.0)]];
    assert_eq!(
        matmul(&a, &a).unwrap(),
        array![[z(-2.5, 5.5), z(-1.0, 7.0)], [z(-1.0, -0.5), z(4.5, 1.5)]]
    );
    assert_eq!(
        matrix_power(&a, 3).unwrap(),
        array![
            [z(-17.0, 0.0), z(0.0, 5.0)],
            [z(-0.75, -0.25), z(-12.5, -3.5)]
        ]
    );
    assert_eq!(matrix_power(&a, 0).unwrap(), Array::<c64>::eye(2));
    // numpy: np.linalg.matrix_power(a, -1)
    let want = array![
        [
            z(0.13698630136986303, -0.30136986301369867),
            z(0.0547945205479452, -0.5205479452054794)
        ],
        [
            z(0.07534246575342465, 0.03424657534246575),
            z(-0.3698630136986301, 0.013698630136986306)
        ]
    ];
    assert!(lapis::allclose(&matrix_power(&a, -1).unwrap(), &want).unwrap());
    // real matrices still take negative powers
    assert_eq!(
        matrix_power(&array![[2., 0.], [0., 4.]], -1).unwrap(),
        array![[0.5, 0.], [0., 0.25]]
    );
    // numpy: np.kron(a, [[1, 1j]])
    assert_eq!(
        kron(&a, &array![[z(1.0, 0.0), z(0.0, 1.0)]]).unwrap(),
        array![
            [z(1.0, 2.0), z(-2.0, 1.0), z(3.0, -1.0), z(1.0, 3.0)],
            [z(0.0, 0.5), z(-0.5, 0.0), z(-2.0, 0.0), z(-0.0, -2.0)]
        ]
    );
    assert_eq!(trace(&a, 0).unwrap().item(), Some(z(-1.0, 2.0)));
    // inner does not conjugate: numpy: np.inner(a, a)
    assert_eq!(
        inner(&a, &a).unwrap(),
        array![[z(5.0, -2.0), z(-7.0, 2.5)], [z(-7.0, 2.5), z(3.75, 0.0)]]
    );
    // outer does not conjugate: numpy: np.outer([1j, 2], [1, 1j])
    let u = zs(&[(0.0, 1.0), (2.0, 0.0)]);
    let w = zs(&[(1.0, 0.0), (0.0, 1.0)]);
    assert_eq!(
        outer(&u, &w).unwrap(),
        array![[z(0.0, 1.0), z(-1.0, 0.0)], [z(2.0, 0.0), z(0.0, 2.0)]]
    );
    // vdot conjugates its first argument, dot does not; numpy: np.vdot(u, w) = (-1j)·1 + 2·1j
    assert_eq!(vdot(&u, &w).unwrap(), z(0.0, 1.0));
    assert_eq!(vdot(&w, &u).unwrap(), z(0.0, -1.0));
    assert_eq!(dot(&u, &w).unwrap().item(), Some(z(0.0, 3.0)));
    // vdot flattens (any shapes of equal size) and gives the squared norm on itself
    let mut rng = Rng::new(9);
    let x = crandn::<f64>(&mut rng, &[3, 5]);
    // (the same bound as the products: 6·k·ε·Σ|xᵢ||yᵢ|, k = 15)
    let nx = vdot(&x, &x).unwrap();
    let sq: f64 = x.iter().map(|v| v.norm_sqr()).sum();
    assert!(nx.im.abs() <= 6.0 * 15.0 * f64::EPSILON * sq, "{nx}");
    assert!((nx.re - sq).abs() <= 6.0 * 15.0 * f64::EPSILON * sq, "{nx}");
    let xt = x.t();
    let y = crandn::<f64>(&mut rng, &[15]);
    let want: c64 = xt.iter().zip(y.iter()).map(|(p, q)| p.conj() * q).sum();
    let mag: f64 = xt
        .iter()
        .zip(y.iter())
        .map(|(p, q)| p.norm() * q.norm())
        .sum();
    assert!((vdot(&xt, &y).unwrap() - want).norm() <= 6.0 * 15.0 * f64::EPSILON * mag);
    // tensordot / dot on 3-D / multi_dot / einsum run on the same kernel
    let t = crandn::<f64>(&mut rng, &[2, 3, 4]);
    let r = crandn::<f64>(&mut rng, &[4, 5]);
    let td = tensordot(&t, &r, 1).unwrap();
    assert_eq!(td.shape(), &[2, 3, 5]);
    let t0 = t.index_axis(0, 1);
    assert_product_close(&td.index_axis(0, 1), &t0, &r.view(), "tensordot");
    assert_eq!(dot(&t, &r).unwrap(), td);
    let (p, q) = (
        crandn::<f64>(&mut rng, &[3, 4]),
        crandn::<f64>(&mut rng, &[4, 2]),
    );
    let chain = multi_dot(&[p.view(), q.view(), Array::<c64>::eye(2).view()]).unwrap();
    assert_product_close(&chain.view(), &p.view(), &q.view(), "multi_dot");
    let ein = einsum("ij,jk->ik", &[p.view(), q.view()]).unwrap();
    assert_product_close(&ein.view(), &p.view(), &q.view(), "einsum");
    // cross does not conjugate either: numpy: np.cross([1j, 0, 0], [0, 1, 1j])
    let cr = lapis::cross(
        &zs(&[(0., 1.), (0., 0.), (0., 0.)]),
        &zs(&[(0., 0.), (1., 0.), (0., 1.)]),
    );
    assert_eq!(cr.unwrap(), zs(&[(0., 0.), (1., 0.), (0., 1.)]));
    // c32 vdot
    let f = Array::from_vec(vec![c32::new(0.0, 2.0)]);
    assert_eq!(vdot(&f, &f).unwrap(), c32::new(4.0, 0.0));
}

#[test]
fn number_hierarchy_on_complex() {
    assert_eq!(<c64 as Number>::one() + <c64 as Number>::one(), z(2.0, 0.0));
    assert_eq!(<c64 as Number>::from_usize(3), z(3.0, 0.0));
    assert!(Number::is_nan(z(1.0, f64::NAN)) && !Number::is_nan(z(1.0, 2.0)));
    assert_eq!(Number::abs(c32::new(-3.0, 4.0)), 5.0f32);
    assert_eq!(<f64 as Inexact>::from_float(2.0), 2.0);
    assert_eq!(<c64 as Inexact>::from_float(2.0), z(2.0, 0.0));
    assert!(Inexact::isfinite(z(1.0, 2.0)) && !Inexact::isfinite(z(1.0, f64::INFINITY)));
}
