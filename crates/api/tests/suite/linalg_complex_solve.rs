//! Complex input (`c32`, `c64`) to `solve`, `inv`, `det`, `slogdet`, `cholesky`, `lu`,
//! `lu_factor`/`lu_solve`, `cho_factor`/`cho_solve`, `solve_triangular` and negative
//! `matrix_power`: numpy literals for small cases, identities (A·x = b, A·A⁻¹ = I,
//! A = L·Lᴴ, A = P·L·U) with tolerances from n·ε on random, Hermitian, graded and scaled
//! matrices, stacks and strided views, purely real complex input against the real path,
//! empty shapes and errors.

use lapis::linalg::{self, SolveTriangular, Trans};
use lapis::{Array, LinalgError, array, c32, c64, matmul, matrix_power, random};

fn z(re: f64, im: f64) -> c64 {
    c64::new(re, im)
}

fn zs(v: &[(f64, f64)], shape: &[usize]) -> Array<c64> {
    Array::from_shape_vec(shape, v.iter().map(|&(r, i)| z(r, i)).collect()).unwrap()
}

/// A complex array with standard normal parts.
fn crandn(shape: &[usize], seed: u64) -> Array<c64> {
    let mut rng = random::default_rng(seed);
    let re = rng.standard_normal::<f64>(shape);
    let im = rng.standard_normal::<f64>(shape);
    let v: Vec<c64> = re.iter().zip(im.iter()).map(|(&r, &i)| z(r, i)).collect();
    Array::from_shape_vec(shape, v).unwrap()
}

fn to_c32(a: &Array<c64>) -> Array<c32> {
    let v: Vec<c32> = a
        .iter()
        .map(|w| c32::new(w.re as f32, w.im as f32))
        .collect();
    Array::from_shape_vec(a.shape(), v).unwrap()
}

fn to_c64(a: &Array<c32>) -> Array<c64> {
    let v: Vec<c64> = a.iter().map(|w| z(w.re as f64, w.im as f64)).collect();
    Array::from_shape_vec(a.shape(), v).unwrap()
}

/// The conjugate transpose of a 2-D array.
fn h(a: &Array<c64>) -> Array<c64> {
    let (m, n) = (a.shape()[0], a.shape()[1]);
    Array::from_shape_fn(&[n, m], |ix| a[[ix[1], ix[0]]].conj())
}

/// The Frobenius norm, scaled so that 1e±300 entries neither overflow nor underflow.
fn fro(a: &Array<c64>) -> f64 {
    let big = a
        .iter()
        .map(|w| w.re.abs().max(w.im.abs()))
        .fold(0.0, f64::max);
    if big == 0.0 || !big.is_finite() {
        return big;
    }
    big * a.iter().map(|w| (w / big).norm_sqr()).sum::<f64>().sqrt()
}

fn max_diff(a: &Array<c64>, b: &Array<c64>) -> f64 {
    assert_eq!(a.shape(), b.shape());
    a.iter()
        .zip(b.iter())
        .map(|(x, y)| (x - y).norm())
        .fold(0.0, f64::max)
}

/// `B·Bᴴ/n + shift·I`, Hermitian positive definite.
fn hpd(n: usize, shift: f64, seed: u64) -> Array<c64> {
    let b = crandn(&[n, n], seed);
    let p = matmul(&b, &h(&b)).unwrap();
    Array::from_shape_fn(&[n, n], |ix| {
        let v = p[[ix[0], ix[1]]] / n as f64;
        if ix[0] == ix[1] {
            z(v.re + shift, 0.0)
        } else {
            v
        }
    })
}

/// ‖A·X − B‖_F ≤ c·n·ε·‖A‖_F·‖X‖_F for 2-D arrays (X, B of shape (n, k)).
fn assert_residual(a: &Array<c64>, x: &Array<c64>, b: &Array<c64>, eps: f64, what: &str) {
    let n = a.shape()[0] as f64;
    let r = fro(&(&matmul(a, x).unwrap() - b));
    let bound = 4.0 * n * eps * fro(a) * fro(x);
    assert!(r <= bound, "{what}: residual {r:e} > {bound:e}");
}

const EPS: f64 = f64::EPSILON;

// numpy: a = np.array([[1+2j, 3-1j, 0.5], [-2j, 1, 2+2j], [0.25, -1+1j, 3j]])
fn a3() -> Array<c64> {
    zs(
        &[
            (1.0, 2.0),
            (3.0, -1.0),
            (0.5, 0.0),
            (0.0, -2.0),
            (1.0, 0.0),
            (2.0, 2.0),
            (0.25, 0.0),
            (-1.0, 1.0),
            (0.0, 3.0),
        ],
        &[3, 3],
    )
}

// numpy: b = np.array([1, 1j, 2-1j])
fn b3() -> Array<c64> {
    zs(&[(1.0, 0.0), (0.0, 1.0), (2.0, -1.0)], &[3])
}

// numpy: hh = np.array([[4, 1-2j, 0.5j], [1+2j, 6, 2-1j], [-0.5j, 2+1j, 5]])
fn h3() -> Array<c64> {
    zs(
        &[
            (4.0, 0.0),
            (1.0, -2.0),
            (0.0, 0.5),
            (1.0, 2.0),
            (6.0, 0.0),
            (2.0, -1.0),
            (0.0, -0.5),
            (2.0, 1.0),
            (5.0, 0.0),
        ],
        &[3, 3],
    )
}

#[test]
fn numpy_literals() {
    let tol = 16.0 * EPS;
    // numpy: np.linalg.solve(a, b)
    let want = zs(
        &[
            (-0.8244931101186922, -0.914766078379863),
            (-0.3269887517015738, 0.8999832827836551),
            (0.1518878513600651, -0.9263726028705848),
        ],
        &[3],
    );
    assert!(max_diff(&linalg::solve(&a3(), &b3()).unwrap(), &want) <= tol);
    // numpy: np.linalg.inv(a)
    let want = zs(
        &[
            (-0.017576958899529482, -0.1946839252023977),
            (-0.15523129462899715, 0.32412294318534607),
            (-0.08014711150383294, -0.3224989850261505),
            (0.15847921094738854, 0.14663386908031426),
            (0.2474386836386215, 0.0993480285625582),
            (-0.25563011964750554, 0.12514030520860692),
            (0.012275213144508412, -0.10316910658419506),
            (-0.07637379695746661, -0.1285315119528097),
            (0.15379839037088341, -0.29651565447901984),
        ],
        &[3, 3],
    );
    assert!(max_diff(&linalg::inv(&a3()).unwrap(), &want) <= tol);
    // numpy: np.linalg.det(a)  -> (-17.124999999999993+18.999999999999996j)
    let d = linalg::det(&a3()).unwrap().item().unwrap();
    assert!((d - z(-17.125, 19.0)).norm() <= 64.0 * EPS * 25.6, "{d}");
    // numpy: np.linalg.slogdet(a)  -> (-0.6695045434316619+0.7428079605957126j, 3.2417567117165316)
    let r = linalg::slogdet(&a3()).unwrap();
    let s = r.sign.item().unwrap();
    let l: f64 = r.logabsdet.item().unwrap();
    assert!((s - z(-0.6695045434316619, 0.7428079605957126)).norm() <= tol);
    assert!((l - 3.2417567117165316).abs() <= tol);
    // numpy: np.linalg.cholesky(hh), np.linalg.cholesky(hh, upper=True)
    let low = zs(
        &[
            (2.0, 0.0),
            (0.0, 0.0),
            (0.0, 0.0),
            (0.5, 1.0),
            (2.179449471770337, 0.0),
            (0.0, 0.0),
            (0.0, -0.25),
            (1.0323708024175278, 0.5161854012087639),
            (1.898753053426047, 0.0),
        ],
        &[3, 3],
    );
    let l = linalg::cholesky(&h3(), false).unwrap();
    assert!(max_diff(&l, &low) <= tol);
    // Exact zeros above, an exactly real diagonal.
    assert!((0..3).all(|i| l[[i, i]].im == 0.0 && (i + 1..3).all(|j| l[[i, j]] == z(0., 0.))));
    assert!(max_diff(&linalg::cholesky(&h3(), true).unwrap(), &h(&low)) <= tol);
    // numpy: np.linalg.solve(a.T, b), np.linalg.solve(a.conj().T, b) = lu_solve(…, trans=1/2)
    let f = linalg::lu_factor(&a3()).unwrap();
    let t = zs(
        &[
            (-0.24282950827502214, -0.2548181405679077),
            (-0.5358584290592984, 0.39087239987581507),
            (-0.19420629044969323, -1.3249588040025793),
        ],
        &[3],
    );
    let c = zs(
        &[
            (0.2567764430539966, 0.547226136173668),
            (-0.08009934802856274, 0.25675256131636137),
            (0.6491056289255607, 0.5061017839658015),
        ],
        &[3],
    );
    let sol = |tr| linalg::lu_solve((&f.lu, &f.piv), &b3(), tr).unwrap();
    assert!(max_diff(&sol(Trans::N), &linalg::solve(&a3(), &b3()).unwrap()) <= tol);
    assert!(max_diff(&sol(Trans::T), &t) <= tol);
    assert!(max_diff(&sol(Trans::C), &c) <= tol);
    assert!(max_diff(&f.solve_transpose(&b3()).unwrap(), &t) <= tol);
    // numpy: np.linalg.solve(hh, b) = cho_solve(cho_factor(hh), b)
    let want = zs(
        &[
            (0.08759124087591241, -0.31386861313868614),
            (-0.2773722627737226, 0.39051094890510946),
            (0.6204379562043796, -0.291970802919708),
        ],
        &[3],
    );
    for lower in [false, true] {
        let cf = linalg::cho_factor(&h3(), lower).unwrap();
        assert!(max_diff(&cf.solve(&b3()).unwrap(), &want) <= tol);
        // The other triangle keeps the input's entries (scipy's "arbitrary data").
        let other = if lower { (0, 2) } else { (2, 0) };
        assert_eq!(cf.c[[other.0, other.1]], h3()[[other.0, other.1]]);
    }
    // numpy: np.linalg.solve(np.array([[1+2j, 3-1j], [0.5j, -2]], np.complex64), [1, 1j])
    let c2 = array![
        [c32::new(1., 2.), c32::new(3., -1.)],
        [c32::new(0., 0.5), c32::new(-2., 0.)]
    ];
    let x = linalg::solve(&c2, &array![c32::new(1., 0.), c32::new(0., 1.)]).unwrap();
    let want = [
        (0.6575342416763306, -0.24657534062862396),
        (0.06164383515715599, -0.33561643958091736),
    ];
    for (got, w) in x.iter().zip(want) {
        assert!((to_c64_1(*got) - z(w.0, w.1)).norm() <= 16.0 * f32::EPSILON as f64);
    }
}

fn to_c64_1(w: c32) -> c64 {
    z(w.re as f64, w.im as f64)
}

/// scipy's `lu`: `A = P·L·U`, `L` unit lower with the complex pivoting on `|re| + |im|`.
#[test]
fn lu_reconstructs_and_pivots_on_abs1() {
    // |1+1j|₁ = 2 > |1.5|₁ although |1.5| > |1+1j|: LAPACK's zgetrf pivots on row 0.
    let a = array![[z(1., 1.), z(2., 0.)], [z(1.5, 0.), z(0., 1.)]];
    let f = linalg::lu(&a).unwrap();
    assert_eq!(f.p, Array::<c64>::eye(2));
    let l10 = z(1.5, 0.) / z(1., 1.);
    assert!((f.l[[1, 0]] - l10).norm() <= EPS);
    for (m, n) in [(6, 6), (9, 4), (4, 9), (70, 70)] {
        let a = crandn(&[m, n], (m * n) as u64);
        let f = linalg::lu(&a).unwrap();
        let plu = matmul(&f.p, &matmul(&f.l, &f.u).unwrap()).unwrap();
        let r = fro(&(&plu - &a)) / (fro(&a) * m.min(n) as f64 * EPS);
        assert!(r < 4.0, "{m}x{n}: {r}");
        // lu_factor holds the same factors compactly.
        let lf = linalg::lu_factor(&a).unwrap();
        let k = m.min(n);
        for i in 0..m {
            for j in 0..n {
                let want = if i > j { f.l[[i, j]] } else { f.u[[i, j]] };
                assert_eq!(lf.lu[[i, j]], want, "{i},{j}");
            }
        }
        assert_eq!(lf.piv.shape(), &[k]);
    }
}

/// Identities on random, Hermitian, graded and scaled matrices, c64 and c32.
#[test]
fn identities_on_hard_matrices() {
    let mut cases: Vec<(String, Array<c64>)> = Vec::new();
    for n in [1, 5, 6, 33, 100] {
        cases.push((format!("random{n}"), crandn(&[n, n], 7 + n as u64)));
    }
    let g = crandn(&[40, 40], 3);
    cases.push((
        "graded40".into(),
        Array::from_shape_fn(&[40, 40], |ix| {
            g[[ix[0], ix[1]]] * 10f64.powi(ix[0] as i32 / 4)
        }),
    ));
    for s in [1e-300, 1e300] {
        cases.push((format!("scale{s:e}"), &crandn(&[30, 30], 4) * z(s, 0.0)));
    }
    for (tag, a) in &cases {
        let n = a.shape()[0];
        let b = crandn(&[n, 3], 11);
        let x = linalg::solve(a, &b).unwrap();
        assert_residual(a, &x, &b, EPS, tag);
        let ai = linalg::inv(a).unwrap();
        let r = fro(&(&matmul(a, &ai).unwrap() - &Array::<c64>::eye(n)))
            / (fro(a) * fro(&ai) * n as f64 * EPS);
        assert!(r < 4.0, "{tag}: inv {r}");
        // det = sign·exp(logabsdet), where det is in range.
        let d = linalg::det(a).unwrap().item().unwrap();
        let sl = linalg::slogdet(a).unwrap();
        let (s, l): (c64, f64) = (sl.sign.item().unwrap(), sl.logabsdet.item().unwrap());
        assert!((s.norm() - 1.0).abs() <= 4.0 * EPS, "{tag}");
        if d.norm().is_finite() && d.norm() > 1e-300 {
            let back = s * l.exp();
            assert!(
                (back - d).norm() <= 64.0 * n as f64 * EPS * d.norm() * (1.0 + l.abs()),
                "{tag}"
            );
        }
        // c32: the same checks at single precision (where the scale fits).
        if !tag.starts_with("scale") {
            let a32 = to_c32(a);
            let x32 = linalg::solve(&a32, &to_c32(&b)).unwrap();
            let rr = fro(&(&matmul(a, &to_c64(&x32)).unwrap() - &b));
            let bound = 4.0 * n as f64 * f32::EPSILON as f64 * fro(a) * fro(&to_c64(&x32));
            // The stored a32 differs from a by ε_f32·|a|, within the same bound.
            assert!(rr <= 2.0 * bound, "{tag}: c32 {rr:e} > {bound:e}");
        }
    }
    // Hermitian positive definite: cholesky, cho_solve; clustered eigenvalues (I + δ·B·Bᴴ).
    let clustered = {
        let c = hpd(30, 0.0, 5);
        Array::from_shape_fn(&[30, 30], |ix| {
            c[[ix[0], ix[1]]] * 1e-9 + z(if ix[0] == ix[1] { 1.0 } else { 0.0 }, 0.0)
        })
    };
    for (tag, a) in [
        ("hpd1", hpd(1, 0.5, 1)),
        ("hpd20", hpd(20, 0.1, 2)),
        ("hpd90", hpd(90, 0.01, 3)),
        ("clustered30", clustered),
        ("huge", &hpd(25, 0.5, 4) * z(1e300, 0.0)),
        ("tiny", &hpd(25, 0.5, 4) * z(1e-300, 0.0)),
    ] {
        let n = a.shape()[0];
        for upper in [false, true] {
            let f = linalg::cholesky(&a, upper).unwrap();
            let prod = if upper {
                matmul(&h(&f), &f).unwrap()
            } else {
                matmul(&f, &h(&f)).unwrap()
            };
            let r = fro(&(&prod - &a)) / (fro(&a) * n as f64 * EPS);
            assert!(r < 4.0, "{tag} upper={upper}: {r}");
        }
        let b = crandn(&[n, 2], 6);
        let x = linalg::cho_solve((&linalg::cholesky(&a, false).unwrap(), true), &b).unwrap();
        assert_residual(&a, &x, &b, EPS, tag);
    }
}

/// Stacks broadcast as numpy 2's rule says, every matrix as if alone; transposed and
/// strided views give what their contiguous copies give.
#[test]
fn stacks_and_views() {
    let a = crandn(&[2, 3, 4, 4], 1);
    let b = crandn(&[4], 2);
    let x = linalg::solve(&a, &b).unwrap();
    assert_eq!(x.shape(), &[2, 3, 4]);
    let d = linalg::det(&a).unwrap();
    let ai = linalg::inv(&a).unwrap();
    let sl = linalg::slogdet(&a).unwrap();
    assert_eq!(sl.logabsdet.shape(), &[2, 3]);
    for i in 0..2 {
        for j in 0..3 {
            let m = Array::from_shape_fn(&[4, 4], |ix| a[[i, j, ix[0], ix[1]]]);
            let xi = linalg::solve(&m, &b).unwrap();
            let di = linalg::det(&m).unwrap().item().unwrap();
            let inv = linalg::inv(&m).unwrap();
            for r in 0..4 {
                assert_eq!(x[[i, j, r]], xi[[r]]);
                for c in 0..4 {
                    assert_eq!(ai[[i, j, r, c]], inv[[r, c]]);
                }
            }
            assert_eq!(d[[i, j]], di);
        }
    }
    // A transposed (strided) view against its contiguous copy: bit for bit.
    let m = crandn(&[7, 7], 3);
    let mt = m.t();
    let copy = mt.to_owned();
    let rhs = crandn(&[7, 2], 4);
    assert_eq!(
        linalg::solve(&mt, &rhs).unwrap(),
        linalg::solve(&copy, &rhs).unwrap()
    );
    assert_eq!(linalg::inv(&mt).unwrap(), linalg::inv(&copy).unwrap());
    assert_eq!(linalg::det(&mt).unwrap(), linalg::det(&copy).unwrap());
    let hp = hpd(6, 0.5, 5);
    assert_eq!(
        linalg::cholesky(&hp.t(), false).unwrap(),
        linalg::cholesky(&hp.t().to_owned(), false).unwrap()
    );
    // Negative powers of a complex matrix go through the complex inverse.
    let p = matrix_power(&m, -2).unwrap();
    let back = matmul(&matmul(&m, &m).unwrap(), &p).unwrap();
    assert!(max_diff(&back, &Array::<c64>::eye(7)) <= 1e-10);
}

/// A complex array with zero imaginary parts gives the real path's answers (to rounding:
/// the complex LU is recursive, the real one blocked) and exactly zero imaginary parts where
/// the arithmetic keeps them zero.
#[test]
fn purely_real_complex_input_agrees_with_the_real_path() {
    for n in [3, 8, 50] {
        let mut rng = random::default_rng(n as u64);
        let a = rng.standard_normal::<f64>(&[n, n]);
        let b = rng.standard_normal::<f64>(&[n]);
        let ac = a.map(|&v| z(v, 0.0));
        let bc = b.map(|&v| z(v, 0.0));
        let close = |c: &Array<c64>, r: &Array<f64>, scale: f64| {
            c.iter()
                .zip(r.iter())
                .all(|(w, &v)| (w.re - v).abs() <= 64.0 * n as f64 * EPS * scale && w.im == 0.0)
        };
        let x = linalg::solve(&a, &b).unwrap();
        let xs = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(
            close(&linalg::solve(&ac, &bc).unwrap(), &x, xs * 10.0),
            "solve n={n}"
        );
        let ai = linalg::inv(&a).unwrap();
        let is = ai.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(
            close(&linalg::inv(&ac).unwrap(), &ai, is * 10.0),
            "inv n={n}"
        );
        let d = linalg::det(&a).unwrap().item().unwrap();
        let dc = linalg::det(&ac).unwrap().item().unwrap();
        assert!((dc.re - d).abs() <= 64.0 * n as f64 * EPS * d.abs() && dc.im == 0.0);
        let (sr, sc) = (linalg::slogdet(&a).unwrap(), linalg::slogdet(&ac).unwrap());
        assert_eq!(sc.sign.item().unwrap(), z(sr.sign.item().unwrap(), 0.0));
        let (lr, lc): (f64, f64) = (sr.logabsdet.item().unwrap(), sc.logabsdet.item().unwrap());
        assert!((lr - lc).abs() <= 64.0 * n as f64 * EPS * lr.abs().max(1.0));
        let spd = &matmul(&a, &a.t()).unwrap() + &(&Array::<f64>::eye(n) * 0.5);
        let spdc = spd.map(|&v| z(v, 0.0));
        let l = linalg::cholesky(&spd, false).unwrap();
        let ls = l.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(
            close(&linalg::cholesky(&spdc, false).unwrap(), &l, ls),
            "cholesky n={n}"
        );
        let lf = linalg::lu_factor(&a).unwrap();
        assert_eq!(
            linalg::lu_factor(&ac).unwrap().piv,
            lf.piv,
            "same pivots n={n}"
        );
    }
}

#[test]
fn solve_triangular_every_variant() {
    let n = 40;
    let mut a = crandn(&[n, n], 9);
    for i in 0..n {
        a[[i, i]] = z(n as f64, 1.0);
    }
    let b = crandn(&[n, 3], 10);
    for lower in [false, true] {
        for unit in [false, true] {
            let tri = Array::from_shape_fn(&[n, n], |ix| {
                let (i, j) = (ix[0], ix[1]);
                let inside = if lower { i >= j } else { i <= j };
                if i == j && unit {
                    z(1.0, 0.0)
                } else if inside {
                    a[[i, j]]
                } else {
                    z(0.0, 0.0)
                }
            });
            for (trans, op) in [
                (Trans::N, tri.clone()),
                (Trans::T, tri.t().to_owned()),
                (Trans::C, h(&tri)),
            ] {
                let opts = SolveTriangular {
                    lower,
                    trans,
                    unit_diagonal: unit,
                };
                // `a` itself: the other triangle (and with `unit`, the diagonal) is not read.
                let x = linalg::solve_triangular(&a, &b, opts).unwrap();
                assert_residual(&op, &x, &b, EPS, &format!("{opts:?}"));
            }
        }
    }
}

#[test]
fn errors_and_empty_shapes() {
    // Singular, with the index of the first zero pivot.
    let s = array![[z(1., 1.), z(2., 2.)], [z(0., 1.), z(0., 2.)]];
    assert_eq!(
        linalg::solve(&s, &array![z(1., 0.), z(0., 0.)]),
        Err(LinalgError::Singular { index: 1 })
    );
    assert_eq!(linalg::inv(&s), Err(LinalgError::Singular { index: 1 }));
    assert_eq!(linalg::det(&s).unwrap().item(), Some(z(0.0, 0.0)));
    let sl = linalg::slogdet(&s).unwrap();
    assert_eq!(
        (sl.sign.item(), sl.logabsdet.item()),
        (Some(z(0., 0.)), Some(f64::NEG_INFINITY))
    );
    let f = linalg::lu_factor(&s).unwrap();
    assert_eq!(
        f.solve(&array![z(1., 0.), z(0., 0.)]),
        Err(LinalgError::Singular { index: 1 })
    );
    assert_eq!(
        matrix_power(&s, -1),
        Err(LinalgError::Singular { index: 1 })
    );
    let tri = array![[z(1., 0.), z(0., 0.)], [z(1., 1.), z(0., 0.)]];
    let opts = SolveTriangular {
        lower: true,
        ..Default::default()
    };
    assert_eq!(
        linalg::solve_triangular(&tri, &array![z(1., 0.), z(1., 0.)], opts),
        Err(LinalgError::Singular { index: 1 })
    );
    // Not positive definite, with the minor; Hermitian with a negative Schur complement.
    let np = array![[z(1., 0.), z(0., 2.)], [z(0., -2.), z(1., 0.)]];
    assert_eq!(
        linalg::cholesky(&np, false),
        Err(LinalgError::NotPositiveDefinite { minor: 2 })
    );
    assert_eq!(
        linalg::cho_factor(&np, false).map(|_| ()),
        Err(LinalgError::NotPositiveDefinite { minor: 2 })
    );
    // The diagonal's imaginary parts are ignored (LAPACK's zpotrf); the other triangle too.
    let odd = array![[z(4., 9.), z(f64::NAN, 0.)], [z(0., -2.), z(5., -3.)]];
    assert_eq!(
        linalg::cholesky(&odd, false).unwrap(),
        array![[z(2., 0.), z(0., 0.)], [z(0., -1.), z(2., 0.)]]
    );
    // NaN / infinities in what is read.
    let nan = array![[z(1., 0.), z(0., f64::NAN)], [z(0., 0.), z(1., 0.)]];
    assert_eq!(linalg::inv(&nan), Err(LinalgError::NonFinite));
    assert_eq!(linalg::det(&nan).map(|_| ()), Err(LinalgError::NonFinite));
    assert_eq!(linalg::lu(&nan).map(|_| ()), Err(LinalgError::NonFinite));
    assert_eq!(
        linalg::cholesky(&nan, true).map(|_| ()),
        Err(LinalgError::NonFinite)
    );
    let inf_b = array![z(1., 0.), z(f64::INFINITY, 0.)];
    assert_eq!(
        linalg::solve(&Array::<c64>::eye(2), &inf_b),
        Err(LinalgError::NonFinite)
    );
    // Shapes.
    let rect = crandn(&[2, 3], 1);
    assert!(matches!(
        linalg::inv(&rect),
        Err(LinalgError::NotSquare { .. })
    ));
    assert!(matches!(
        linalg::cholesky(&rect, false),
        Err(LinalgError::NotSquare { .. })
    ));
    assert!(matches!(
        linalg::solve(&Array::<c64>::eye(3), &crandn(&[2], 1)),
        Err(LinalgError::Shape { .. })
    ));
    // Empty: numpy's answers.
    let e = Array::<c64>::zeros(&[0, 0]);
    assert_eq!(linalg::inv(&e).unwrap().shape(), &[0, 0]);
    assert_eq!(linalg::det(&e).unwrap().item(), Some(z(1.0, 0.0)));
    let sl = linalg::slogdet(&e).unwrap();
    assert_eq!(
        (sl.sign.item(), sl.logabsdet.item()),
        (Some(z(1., 0.)), Some(0.0))
    );
    assert_eq!(linalg::cholesky(&e, false).unwrap().shape(), &[0, 0]);
    let x = linalg::solve(&Array::<c64>::eye(3), &Array::<c64>::zeros(&[3, 0])).unwrap();
    assert_eq!(x.shape(), &[3, 0]);
    let stack = linalg::det(&Array::<c32>::zeros(&[0, 3, 3])).unwrap();
    assert_eq!(stack.shape(), &[0]);
}
