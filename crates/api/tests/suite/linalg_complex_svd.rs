//! Complex `svd`, `svdvals`, `pinv`, `matrix_rank`, `norm`, `cond`, `lstsq`, `vecdot`,
//! `vector_norm`, `matrix_norm` (c64, c32): identities with bounds from n·ε (A = U·S·Vh,
//! UᴴU = I, A·A⁺·A = A), numpy literals for small cases, stacks, purely real complex input
//! against the real path, errors.

use lapis::linalg::{self, Ord};
use lapis::{Array, LinalgError, c32, c64, matmul};

fn z(re: f64, im: f64) -> c64 {
    c64::new(re, im)
}

/// numpy: A = [[1+2j, 3-1j, 0.5], [0.5j, -2, 1+1j]]
fn a23() -> Array<c64> {
    Array::from_shape_vec(
        &[2, 3],
        vec![
            z(1., 2.),
            z(3., -1.),
            z(0.5, 0.),
            z(0., 0.5),
            z(-2., 0.),
            z(1., 1.),
        ],
    )
    .unwrap()
}

fn random(shape: &[usize], seed: u64) -> Array<c64> {
    let mut s = seed;
    let n: usize = shape.iter().product();
    let v = (0..n)
        .map(|_| {
            let mut next = || {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 11) as f64 / (1u64 << 53) as f64) - 0.5
            };
            z(next(), next())
        })
        .collect();
    Array::from_shape_vec(shape, v).unwrap()
}

/// max |a − b| over the elements.
fn maxdiff(a: &Array<c64>, b: &Array<c64>) -> f64 {
    assert_eq!(a.shape(), b.shape());
    a.iter()
        .zip(b.iter())
        .map(|(x, y)| (x - y).norm())
        .fold(0.0, f64::max)
}

fn adjoint(a: &Array<c64>) -> Array<c64> {
    a.t().to_owned().conj()
}

/// `A = U·diag(S)·Vh` and unitary factors, for every shape regime, thin and full.
#[test]
fn svd_identities() {
    for (m, n) in [(1, 1), (4, 4), (6, 3), (3, 6), (40, 12), (30, 30)] {
        let a = random(&[m, n], (m * 100 + n) as u64);
        let k = m.min(n);
        for full in [false, true] {
            let (u, s, vh) = linalg::svd(&a, full, true).unwrap().into_usv().unwrap();
            let s: Array<f64> = s;
            let uk = u.slice(lapis::s![.., ..k]).to_owned();
            let vk = vh.slice(lapis::s![..k, ..]).to_owned();
            let us = &uk * &s.map(|&x| z(x, 0.));
            let back = maxdiff(&matmul(&us, &vk).unwrap(), &a);
            let anorm = a.iter().map(|x| x.norm()).fold(0.0, f64::max) * n as f64;
            let eps = f64::EPSILON;
            assert!(
                back <= 10.0 * (m.max(n) as f64) * eps * anorm,
                "{m}x{n}: {back}"
            );
            for q in [&u, &adjoint(&vh)] {
                let g = matmul(&adjoint(q), q).unwrap();
                let id = Array::<c64>::eye(q.shape()[1]);
                assert!(
                    maxdiff(&g, &id) <= 10.0 * q.shape()[0] as f64 * eps,
                    "{m}x{n}"
                );
            }
            let sv = linalg::svdvals(&a).unwrap();
            assert!(lapis::allclose(&sv, &s).unwrap());
        }
    }
}

#[test]
fn svdvals_numpy_literals_c64_and_c32() {
    // numpy: np.linalg.svdvals([[1+2j, 3-1j], [0.5j, -2]])
    let a = Array::from_shape_vec(&[2, 2], vec![z(1., 2.), z(3., -1.), z(0., 0.5), z(-2., 0.)])
        .unwrap();
    let want = [4.137354805346389, 1.460238067808515];
    let s = linalg::svdvals(&a).unwrap();
    for (g, w) in s.iter().zip(want) {
        assert!(
            (g - w).abs() <= 4.0 * 2.0 * f64::EPSILON * w.max(4.0),
            "{g} vs {w}"
        );
    }
    let a32 = a.map(|x| c32::new(x.re as f32, x.im as f32));
    let s32: Array<f32> = linalg::svdvals(&a32).unwrap();
    for (g, w) in s32.iter().zip(want) {
        assert!((*g as f64 - w).abs() <= 10.0 * 2.0 * f32::EPSILON as f64 * 4.2);
    }
    // numpy: np.linalg.svd(A, compute_uv=False) of the 2×3 A  -> [4.14632963, 2.07556032]
    let s = linalg::svd(&a23(), true, false).unwrap().into_s();
    assert!(
        (s[[0]] - 4.146329625507669).abs() < 1e-14 && (s[[1]] - 2.0755603187181615).abs() < 1e-14
    );
}

/// A stack of complex matrices, and purely real complex input against the real path.
#[test]
fn stacks_and_real_input() {
    let st = random(&[3, 4, 5], 9);
    let s = linalg::svdvals(&st).unwrap();
    assert_eq!(s.shape(), &[3, 4]);
    for b in 0..3 {
        let one = st.slice(lapis::s![b, .., ..]).to_owned();
        let sb = linalg::svdvals(&one).unwrap();
        assert!(lapis::allclose(&sb, &s.slice(lapis::s![b, ..]).to_owned()).unwrap());
    }
    let re = random(&[5, 4], 3).map(|x| x.re);
    let zre = re.map(|&x| z(x, 0.));
    let sr = linalg::svdvals(&re).unwrap();
    let sz = linalg::svdvals(&zre).unwrap();
    let tol = 10.0 * 5.0 * f64::EPSILON * sr[[0]];
    assert!(sr.iter().zip(sz.iter()).all(|(a, b)| (a - b).abs() <= tol));
}

#[test]
fn pinv_and_rank() {
    let a = a23();
    let p = linalg::pinv(&a, None, false).unwrap();
    // numpy: np.linalg.pinv(A)
    let want = Array::from_shape_vec(
        &[3, 2],
        vec![
            z(0.09113924050632913, -0.1991561181434599),
            z(0.03375527426160336, -0.2379746835443038),
            z(0.1316455696202532, 0.057383966244725755),
            z(-0.21603375527426155, 0.020253164556962067),
            z(0.11645569620253168, -0.047257383966244744),
            z(0.23628691983122369, -0.2126582278481013),
        ],
    )
    .unwrap();
    assert!(maxdiff(&p, &want) < 1e-14);
    // Rank-deficient: A·A⁺·A = A.
    let u = random(&[5, 1], 4);
    let v = random(&[1, 4], 5);
    let r1 = matmul(&u, &v).unwrap();
    let pr = linalg::pinv(&r1, None, false).unwrap();
    let back = matmul(&matmul(&r1, &pr).unwrap(), &r1).unwrap();
    assert!(maxdiff(&back, &r1) < 100.0 * f64::EPSILON);
    assert_eq!(
        linalg::matrix_rank(&r1, None, false)
            .unwrap()
            .item()
            .unwrap(),
        1
    );
    assert_eq!(
        linalg::matrix_rank(&a, None, false)
            .unwrap()
            .item()
            .unwrap(),
        2
    );
    // Hermitian input with `hermitian=true`: the complex Hermitian eigensolver (lower
    // triangle read). The same pseudo-inverse as the SVD's, up to rounding: the kept
    // spectrum is one value, so the perturbation bound is a few ε·‖A⁺‖.
    let h = &r1.t().to_owned().conj();
    let herm = matmul(h, &r1).unwrap();
    let ph = linalg::pinv(&herm, None, true).unwrap();
    let pg = linalg::pinv(&herm, None, false).unwrap();
    let scale = pg.iter().map(|x| x.norm()).fold(0.0, f64::max);
    assert!(maxdiff(&ph, &pg) <= 100.0 * f64::EPSILON * scale);
    // numpy's `hermitian=True` reads the lower triangle only: garbage above the diagonal
    // changes nothing, bit for bit.
    let mut junk = herm.clone();
    for i in 0..4 {
        for j in i + 1..4 {
            junk[[i, j]] = z(1e3, 7.0);
        }
    }
    let pj = linalg::pinv(&junk, None, true).unwrap();
    assert_eq!(maxdiff(&pj, &ph), 0.0);
    for a in [&herm, &junk] {
        assert_eq!(
            linalg::matrix_rank(a, None, true).unwrap().item().unwrap(),
            1
        );
    }
}

#[test]
fn norms_numpy_literals() {
    let v = Array::from_vec(vec![z(3., 4.), z(0., -1.), z(2., 0.)]);
    // numpy: [np.linalg.norm(v, o) for o in [None, inf, -inf, 0, 1, -1, 2, -2, 3, 0.5]]
    let want = [
        5.477225575051661,
        5.0,
        1.0,
        3.0,
        8.0,
        0.5882352941176471,
        5.477225575051661,
        0.8804509063256238,
        5.117229946912048,
        21.625118400082528,
    ];
    let ords = [
        None,
        Some(Ord::Inf),
        Some(Ord::NegInf),
        Some(Ord::P(0.)),
        Some(Ord::P(1.)),
        Some(Ord::P(-1.)),
        Some(Ord::P(2.)),
        Some(Ord::P(-2.)),
        Some(Ord::P(3.)),
        Some(Ord::P(0.5)),
    ];
    for (o, w) in ords.iter().zip(want) {
        let r: f64 = linalg::norm(&v, *o, None, false).unwrap().item().unwrap();
        assert!((r - w).abs() <= 1e-14 * w, "{o:?}: {r} vs {w}");
    }
    let vn: f64 = linalg::vector_norm(&v, 1., None, false)
        .unwrap()
        .into_scalar()
        .unwrap();
    assert_eq!(vn, 8.0);
    // numpy: [np.linalg.norm(A, o) for o in [None, 'fro', 'nuc', inf, -inf, 1, -1, 2, -2]]
    let a = a23();
    let want = [
        4.636809247747852,
        4.636809247747852,
        6.221889944225831,
        5.89834563766817,
        3.914213562373095,
        5.16227766016838,
        1.9142135623730951,
        4.146329625507669,
        2.0755603187181615,
    ];
    let ords = [
        None,
        Some(Ord::Fro),
        Some(Ord::Nuc),
        Some(Ord::Inf),
        Some(Ord::NegInf),
        Some(Ord::P(1.)),
        Some(Ord::P(-1.)),
        Some(Ord::P(2.)),
        Some(Ord::P(-2.)),
    ];
    for (o, w) in ords.iter().zip(want) {
        let r: f64 = linalg::norm(&a, *o, None, false).unwrap().item().unwrap();
        assert!((r - w).abs() <= 1e-14 * w, "{o:?}: {r} vs {w}");
        if let Some(o) = o {
            let m: f64 = linalg::matrix_norm(&a, *o, false)
                .unwrap()
                .into_scalar()
                .unwrap();
            assert!((m - w).abs() <= 1e-14 * w);
        }
    }
    // Huge entries: the 2-norms do not overflow.
    let big = Array::from_vec(vec![z(1e300, 1e300), z(-1e300, 0.)]);
    let r: f64 = linalg::norm(&big, None, None, false)
        .unwrap()
        .item()
        .unwrap();
    assert!((r / (3f64.sqrt() * 1e300) - 1.0).abs() < 4.0 * f64::EPSILON);
}

#[test]
fn cond_numpy_literals() {
    let s =
        Array::from_shape_vec(&[2, 2], vec![z(2., 1.), z(1., -1.), z(0., 0.5), z(3., 0.)]).unwrap();
    // numpy: [np.linalg.cond(S, p) for p in [None, 2, -2, 1, -1, inf, -inf, 'fro', 'nuc']]
    let cases = [
        (None, 2.2441077328768753),
        (Some(Ord::P(2.)), 2.2441077328768753),
        (Some(Ord::P(-2.)), 0.445611405080821),
        (Some(Ord::P(1.)), 2.6670629765043516),
        (Some(Ord::P(-1.)), 1.585070178856638),
        (Some(Ord::Inf), 2.6670629765043516),
        (Some(Ord::NegInf), 1.585070178856638),
        (Some(Ord::Fro), 2.6897191379576957),
        (Some(Ord::Nuc), 4.689719137957695),
    ];
    for (p, w) in cases {
        let c: f64 = linalg::cond(&s, p).unwrap().item().unwrap();
        assert!((c - w).abs() <= 1e-13 * w, "{p:?}: {c} vs {w}");
    }
    // A singular complex matrix: inf, as numpy.
    let sing =
        Array::from_shape_vec(&[2, 2], vec![z(1., 1.), z(2., 2.), z(1., 1.), z(2., 2.)]).unwrap();
    let c: f64 = linalg::cond(&sing, None).unwrap().item().unwrap();
    assert!(c > 1e15);
}

#[test]
fn lstsq_complex() {
    // numpy: np.linalg.lstsq(A.T, [1, 1j, 2-1j], rcond=None)
    let at = a23().t().to_owned();
    let b = Array::from_vec(vec![z(1., 0.), z(0., 1.), z(2., -1.)]);
    let r = linalg::lstsq(&at, &b, None).unwrap();
    let want = Array::from_vec(vec![
        z(0.2194092827004219, -0.2784810126582277),
        z(0.27341772151898724, -1.1156118143459905),
    ]);
    assert!(maxdiff(&r.x, &want) < 1e-14);
    assert_eq!(r.rank, 2);
    let res: &Array<f64> = &r.residuals;
    assert_eq!(res.shape(), &[1]);
    assert!((res[[0]] - 0.5105485232067509).abs() < 1e-14);
    assert!((r.singular_values[[0]] - 4.146329625507669).abs() < 1e-14);
    // Rank-deficient, wide: the minimum-norm solution, as pinv·b.
    let u = random(&[3, 1], 8);
    let v = random(&[1, 5], 9);
    let a = matmul(&u, &v).unwrap();
    let b = random(&[3, 2], 10);
    let r = linalg::lstsq(&a, &b, None).unwrap();
    assert_eq!(r.rank, 1);
    let px = matmul(&linalg::pinv(&a, None, false).unwrap(), &b).unwrap();
    assert!(maxdiff(&r.x, &px) < 1e-13);
}

#[test]
fn vecdot_conjugates_the_first() {
    // numpy: np.linalg.vecdot([1+2j, 3j], [2-1j, 1+1j])  -> (3-8j)
    let a = Array::from_vec(vec![z(1., 2.), z(0., 3.)]);
    let b = Array::from_vec(vec![z(2., -1.), z(1., 1.)]);
    let d = linalg::vecdot(&a, &b, -1).unwrap();
    assert_eq!(d.item().unwrap(), z(3., -8.));
    // Long lanes and a stack: Σ conj(x)·y against the elementwise definition.
    let x = random(&[3, 40], 1);
    let y = random(&[40], 2);
    let d = linalg::vecdot(&x, &y, -1).unwrap();
    for i in 0..3 {
        let want: c64 = (0..40).map(|j| x[[i, j]].conj() * y[[j]]).sum();
        assert!((d[[i]] - want).norm() < 1e-14);
    }
}

#[test]
fn errors() {
    let mut a = random(&[3, 3], 1);
    a[[1, 2]] = z(f64::NAN, 0.);
    assert_eq!(linalg::svdvals(&a).unwrap_err(), LinalgError::NonFinite);
    assert!(matches!(
        linalg::svd(&a, true, true),
        Err(LinalgError::NonFinite)
    ));
    a[[1, 2]] = z(0., f64::INFINITY);
    assert!(matches!(
        linalg::pinv(&a, None, false),
        Err(LinalgError::NonFinite)
    ));
    assert!(matches!(
        linalg::lstsq(&a, &a, None),
        Err(LinalgError::NonFinite)
    ));
    assert!(matches!(
        linalg::cond(&a, Some(Ord::P(1.))),
        Err(LinalgError::NonFinite)
    ));
    let v = Array::from_vec(vec![z(1., 0.)]);
    assert!(matches!(
        linalg::svd(&v, true, true),
        Err(LinalgError::Shape { .. })
    ));
    // Empty: numpy's shapes, identities for full factors.
    let e = Array::<c64>::zeros(&[0, 3]);
    let (u, s, vh) = linalg::svd(&e, true, true).unwrap().into_usv().unwrap();
    assert_eq!(
        (u.shape(), s.shape(), vh.shape()),
        (&[0, 0][..], &[0][..], &[3, 3][..])
    );
    assert_eq!(vh, Array::<c64>::eye(3));
}
