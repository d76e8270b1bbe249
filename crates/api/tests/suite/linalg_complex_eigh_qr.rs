//! `linalg::eigh`, `linalg::eigvalsh` and `linalg::qr` on complex input (`c32`, `c64`):
//! numpy's shapes, dtypes and literal results, and the identities `A·V = V·diag(w)`,
//! `VᴴV = I`, `A = Q·R`, `QᴴQ = I` with `n·ε` bounds, checked in f64 from the results.

use lapis::linalg::{self, QrMode, Uplo};
use lapis::{Array, Complex, Element, Inexact, LinalgError, Scalar, array, c32, c64, random};

/// The constant of every `n·ε` bound.
const BOUND: f64 = 10.0;

fn z(re: f64, im: f64) -> c64 {
    c64::new(re, im)
}

/// A seeded complex array with standard normal parts.
fn crandn<F>(shape: &[usize], seed: u64) -> Array<Complex<F>>
where
    F: Scalar + Element,
    Complex<F>: Inexact<Float = F>,
{
    let mut rng = random::default_rng(seed);
    Array::from_re_im(
        &rng.standard_normal::<F>(shape),
        &rng.standard_normal::<F>(shape),
    )
    .unwrap()
}

/// `(A + Aᴴ)/2` over the last two axes of a square stack, in f64 parts.
fn hermitian<F>(a: &Array<Complex<F>>) -> Array<Complex<F>>
where
    F: Scalar + Element,
    Complex<F>: Inexact<Float = F>,
{
    let at = linalg::matrix_transpose(a).unwrap().to_owned().conj();
    let half = Complex::new(F::from_f64(0.5), F::from_f64(0.0));
    (a + &at) * half
}

/// The matrices of a stack `(…, m, n)` as f64 complex row-major matrices.
fn matrices<F: Into<f64> + Copy>(a: &Array<Complex<F>>) -> Vec<(usize, usize, Vec<c64>)>
where
    Complex<F>: Element,
{
    let sh = a.shape();
    let (m, n) = (sh[sh.len() - 2], sh[sh.len() - 1]);
    let data: Vec<c64> = a
        .to_vec()
        .iter()
        .map(|w| z(w.re.into(), w.im.into()))
        .collect();
    if m * n == 0 {
        return Vec::new();
    }
    data.chunks(m * n).map(|c| (m, n, c.to_vec())).collect()
}

fn mul(a: &[c64], b: &[c64], m: usize, k: usize, n: usize, conj_a: bool) -> Vec<c64> {
    // conj_a: a is k × m, use aᴴ
    let mut c = vec![z(0., 0.); m * n];
    for i in 0..m {
        for l in 0..k {
            let ail = if conj_a {
                a[l * m + i].conj()
            } else {
                a[i * k + l]
            };
            for j in 0..n {
                c[i * n + j] += ail * b[l * n + j];
            }
        }
    }
    c
}

fn fro(x: &[c64]) -> f64 {
    let s = x
        .iter()
        .map(|w| w.re.abs().max(w.im.abs()))
        .fold(0.0, f64::max);
    if s == 0.0 {
        return 0.0;
    }
    s * x.iter().map(|w| (w / s).norm_sqr()).sum::<f64>().sqrt()
}

/// `‖QᴴQ − I‖_F / (max(p, 1)·ε)` for an `m × p` `q`.
fn orthogonality(q: &[c64], m: usize, p: usize, eps: f64) -> f64 {
    let mut g = mul(q, q, p, m, p, true);
    for i in 0..p {
        g[i * p + i] -= z(1., 0.);
    }
    fro(&g) / (p.max(1) as f64 * eps)
}

fn check_eigh<F>(a: &Array<Complex<F>>, eps: f64, tag: &str)
where
    F: Scalar + Element + Into<f64> + Copy,
    Complex<F>: Inexact<Float = F>,
{
    let r = linalg::eigh(a, Uplo::Lower).unwrap();
    let wv: Array<F> = linalg::eigvalsh(a, Uplo::Lower).unwrap();
    let sh = a.shape();
    let n = sh[sh.len() - 1];
    assert_eq!(r.eigenvalues.shape(), &sh[..sh.len() - 1]);
    assert_eq!(r.eigenvectors.shape(), sh);
    let w: Vec<f64> = r.eigenvalues.to_vec().iter().map(|&x| x.into()).collect();
    let wv: Vec<f64> = wv.to_vec().iter().map(|&x| x.into()).collect();
    let vs = matrices(&r.eigenvectors);
    for (b, ((_, _, am), (_, _, v))) in matrices(a).iter().zip(&vs).enumerate() {
        let wb = &w[b * n..(b + 1) * n];
        assert!(wb.windows(2).all(|p| p[0] <= p[1]), "{tag}: ascending");
        // A·V − V·diag(w)
        let av = mul(am, v, n, n, n, false);
        let res: Vec<c64> = (0..n * n).map(|t| av[t] - v[t] * wb[t % n]).collect();
        let anorm = fro(am).max(f64::MIN_POSITIVE);
        let be = fro(&res) / (anorm * n as f64 * eps);
        assert!(be <= BOUND, "{tag} [{b}]: residual {be}");
        let o = orthogonality(v, n, n, eps);
        assert!(o <= BOUND, "{tag} [{b}]: orthogonality {o}");
        for (x, y) in wb.iter().zip(&wv[b * n..(b + 1) * n]) {
            assert!(
                (x - y).abs() <= BOUND * anorm * n as f64 * eps,
                "{tag}: eigvalsh"
            );
        }
    }
}

#[test]
fn eigh_complex_stacks_f64_and_f32() {
    for (shape, seed) in [
        (vec![1, 1], 1),
        (vec![2, 3, 5, 5], 2),
        (vec![40, 40], 3),
        (vec![2, 70, 70], 4),
    ] {
        let a = hermitian(&crandn::<f64>(&shape, seed));
        check_eigh(&a, f64::EPSILON, &format!("c64 {shape:?}"));
        let a = hermitian(&crandn::<f32>(&shape, seed));
        check_eigh(&a, f32::EPSILON as f64, &format!("c32 {shape:?}"));
    }
    // Tiny and huge scale.
    for s in [1e-300, 1e300] {
        let a = hermitian(&crandn::<f64>(&[30, 30], 5));
        let a = &a * z(s, 0.);
        check_eigh(&a, f64::EPSILON, &format!("scale {s}"));
    }
}

/// numpy's values for a small case, c64 and c32; `w` is real (float64 / float32).
#[test]
fn eigh_numpy_literal() {
    // numpy: np.linalg.eigvalsh(np.array([[2, 1-1j, 0], [1+1j, 3, 2j], [0, -2j, 1]]))
    //        -> array([-0.4892885718100789, 1.7108314535516893, 4.7784571182583875])
    let a = Array::from_shape_vec(
        &[3, 3],
        vec![
            z(2., 0.),
            z(1., -1.),
            z(0., 0.),
            z(1., 1.),
            z(3., 0.),
            z(0., 2.),
            z(0., 0.),
            z(0., -2.),
            z(1., 0.),
        ],
    )
    .unwrap();
    let want = array![-0.4892885718100789, 1.7108314535516893, 4.7784571182583875];
    let w: Array<f64> = linalg::eigvalsh(&a, Uplo::Lower).unwrap();
    assert!(lapis::allclose_with(&w, &want, 1e-14, 1e-14, false).unwrap());
    let r = linalg::eigh(&a, Uplo::Upper).unwrap();
    assert!(lapis::allclose_with(&r.eigenvalues, &want, 1e-14, 1e-14, false).unwrap());
    let a32 = a.mapv(|x| c32::new(x.re as f32, x.im as f32));
    let w32: Array<f32> = linalg::eigvalsh(&a32, Uplo::Lower).unwrap();
    let want32 = want.mapv(|x| x as f32);
    assert!(lapis::allclose_with(&w32, &want32, 1e-5, 1e-5, false).unwrap());
}

/// Only the triangle `UPLO` is read; the diagonal's imaginary parts are ignored.
#[test]
fn eigh_reads_one_triangle() {
    let a = hermitian(&crandn::<f64>(&[6, 6], 7));
    let w0 = linalg::eigvalsh(&a, Uplo::Lower).unwrap();
    for uplo in [Uplo::Lower, Uplo::Upper] {
        let mut p = a.clone();
        for i in 0..6 {
            p[[i, i]] = z(p[[i, i]].re, 99.0);
            for j in 0..6 {
                let outside = match uplo {
                    Uplo::Lower => j > i,
                    Uplo::Upper => j < i,
                };
                if outside {
                    p[[i, j]] = z(f64::NAN, 1.0);
                }
            }
        }
        let w = linalg::eigvalsh(&p, uplo).unwrap();
        assert!(lapis::allclose_with(&w, &w0, 1e-13, 1e-13, false).unwrap());
        let r = linalg::eigh(&p, uplo).unwrap();
        assert!(lapis::allclose_with(&r.eigenvalues, &w0, 1e-13, 1e-13, false).unwrap());
    }
}

/// A complex matrix with zero imaginary parts gives the real path's eigenvalues; a
/// transposed (strided) view of a Hermitian matrix is its conjugate, with the same spectrum.
#[test]
fn eigh_real_parts_and_strided_views() {
    let a = hermitian(&crandn::<f64>(&[9, 9], 8));
    let re = a.re();
    let as_complex = Array::<c64>::from_re_im(&re, &Array::zeros(&[9, 9])).unwrap();
    let wc = linalg::eigvalsh(&as_complex, Uplo::Lower).unwrap();
    let wr = linalg::eigvalsh(&re, Uplo::Lower).unwrap();
    assert!(lapis::allclose_with(&wc, &wr, 1e-13, 1e-13, false).unwrap());
    let w = linalg::eigvalsh(&a, Uplo::Lower).unwrap();
    let wt = linalg::eigvalsh(&a.t(), Uplo::Lower).unwrap();
    assert!(lapis::allclose_with(&w, &wt, 1e-13, 1e-13, false).unwrap());
    let rt = linalg::eigh(&a.t(), Uplo::Upper).unwrap();
    assert!(lapis::allclose_with(&rt.eigenvalues, &w, 1e-13, 1e-13, false).unwrap());
}

#[test]
fn eigh_complex_errors_and_empty() {
    let a = Array::<c64>::zeros(&[2, 3]);
    assert!(matches!(
        linalg::eigh(&a, Uplo::Lower),
        Err(LinalgError::NotSquare { .. })
    ));
    let v = Array::<c64>::zeros(&[3]);
    assert!(matches!(
        linalg::eigvalsh(&v, Uplo::Lower),
        Err(LinalgError::Shape { .. })
    ));
    let mut a = Array::<c64>::eye(3);
    a[[2, 0]] = z(0., f64::INFINITY);
    assert_eq!(
        linalg::eigh(&a, Uplo::Lower).unwrap_err(),
        LinalgError::NonFinite
    );
    assert_eq!(
        linalg::eigvalsh(&a, Uplo::Lower).unwrap_err(),
        LinalgError::NonFinite
    );
    let e = linalg::eigh(&Array::<c64>::zeros(&[4, 0, 0]), Uplo::Lower).unwrap();
    assert_eq!(e.eigenvalues.shape(), &[4, 0]);
    assert_eq!(e.eigenvectors.shape(), &[4, 0, 0]);
    let e = linalg::eigvalsh(&Array::<c32>::zeros(&[0, 2, 2]), Uplo::Lower).unwrap();
    assert_eq!(e.shape(), &[0, 2]);
}

// ---------------------------------------------------------------------------------------------
// QR
// ---------------------------------------------------------------------------------------------

fn check_qr<F>(a: &Array<Complex<F>>, eps: f64, tag: &str)
where
    F: Scalar + Element + Into<f64> + Copy,
    Complex<F>: Inexact<Float = F>,
{
    let sh = a.shape().to_vec();
    let nd = sh.len();
    let (m, n) = (sh[nd - 2], sh[nd - 1]);
    let k = m.min(n);
    for (mode, p) in [(QrMode::Reduced, k), (QrMode::Complete, m)] {
        let (q, r) = linalg::qr(a, mode).unwrap().into_qr().unwrap();
        assert_eq!(q.shape()[nd - 2..], [m, p], "{tag}");
        assert_eq!(r.shape()[nd - 2..], [p, n], "{tag}");
        let r_only = linalg::qr(a, QrMode::R).unwrap().into_r().unwrap();
        assert_eq!(r_only.shape()[nd - 2..], [k, n], "{tag}");
        for ((_, _, am), ((_, _, qm), (_, _, rm))) in matrices(a)
            .iter()
            .zip(matrices(&q).iter().zip(&matrices(&r)))
        {
            for i in 0..p {
                for j in 0..n {
                    if i > j {
                        assert_eq!(rm[i * n + j], z(0., 0.), "{tag}: R not upper");
                    }
                    if i == j {
                        assert_eq!(rm[i * n + j].im, 0.0, "{tag}: R's diagonal not real");
                    }
                }
            }
            let qr = mul(qm, rm, m, p, n, false);
            let res: Vec<c64> = qr.iter().zip(am).map(|(x, y)| x - y).collect();
            let be = fro(&res) / (fro(am).max(f64::MIN_POSITIVE) * m.max(n) as f64 * eps);
            assert!(be <= BOUND, "{tag} {mode:?}: backward error {be}");
            let o = orthogonality(qm, m, p, eps);
            assert!(o <= BOUND, "{tag} {mode:?}: orthogonality {o}");
        }
    }
}

#[test]
fn qr_complex_modes_stacks_f64_and_f32() {
    for (shape, seed) in [
        (vec![1, 1], 1),
        (vec![2, 3, 7, 4], 2),
        (vec![4, 9], 3),
        (vec![70, 45], 4),
        (vec![2, 40, 80], 5),
    ] {
        check_qr(
            &crandn::<f64>(&shape, seed),
            f64::EPSILON,
            &format!("c64 {shape:?}"),
        );
        check_qr(
            &crandn::<f32>(&shape, seed),
            f32::EPSILON as f64,
            &format!("c32 {shape:?}"),
        );
    }
    // Rank-deficient, strided (a transposed view), tiny and huge.
    let b = crandn::<f64>(&[30, 5], 6);
    let c = crandn::<f64>(&[5, 20], 7);
    check_qr(&lapis::matmul(&b, &c).unwrap(), f64::EPSILON, "rank 5");
    check_qr(
        &crandn::<f64>(&[20, 33], 8).t().to_owned(),
        f64::EPSILON,
        "transposed",
    );
    for s in [1e-300, 1e300] {
        let a = &crandn::<f64>(&[25, 15], 9) * z(s, 0.);
        check_qr(&a, f64::EPSILON, &format!("scale {s}"));
    }
}

/// numpy's `R` and `raw` results for a small case.
#[test]
fn qr_numpy_literals() {
    let a =
        Array::from_shape_vec(&[2, 2], vec![z(1., 1.), z(2., 0.), z(0., 3.), z(4., -1.)]).unwrap();
    // numpy: np.linalg.qr(a, mode='r')
    //   -> [[-3.3166247903554003+0.j, 0.30151134457776374+4.22115882408869j],
    //       [ 0.+0.j, -1.7580981459830656+0.j]]
    let r = linalg::qr(&a, QrMode::R).unwrap().into_r().unwrap();
    let want = Array::from_shape_vec(
        &[2, 2],
        vec![
            z(-3.3166247903554003, 0.),
            z(0.30151134457776374, 4.22115882408869),
            z(0., 0.),
            z(-1.7580981459830656, 0.),
        ],
    )
    .unwrap();
    assert!(lapis::allclose_with(&r, &want, 1e-14, 1e-14, false).unwrap());
    // numpy: h, tau = np.linalg.qr(a, mode='raw')
    //   h   -> [[-3.3166247903554003+0.j, 0.1528020100629408+0.6595889446538256j],
    //           [ 0.30151134457776374+4.22115882408869j, -1.7580981459830656+0.j]]
    //   tau -> [1.3015113445777635+0.3015113445777636j, 1.5439046890359152-0.839147000974647j]
    let (h, tau) = linalg::qr(&a, QrMode::Raw).unwrap().into_raw().unwrap();
    let want_h = Array::from_shape_vec(
        &[2, 2],
        vec![
            z(-3.3166247903554003, 0.),
            z(0.1528020100629408, 0.6595889446538256),
            z(0.30151134457776374, 4.22115882408869),
            z(-1.7580981459830656, 0.),
        ],
    )
    .unwrap();
    let want_tau = Array::from_shape_vec(
        &[2],
        vec![
            z(1.3015113445777635, 0.3015113445777636),
            z(1.5439046890359152, -0.839147000974647),
        ],
    )
    .unwrap();
    assert!(lapis::allclose_with(&h, &want_h, 1e-14, 1e-14, false).unwrap());
    assert!(lapis::allclose_with(&tau, &want_tau, 1e-14, 1e-14, false).unwrap());
}

/// Zero imaginary parts: the real path's `R`, `raw` shapes; errors and empty input.
#[test]
fn qr_complex_real_parts_errors_and_empty() {
    let a = crandn::<f64>(&[8, 5], 11);
    let re = a.re();
    let as_complex = Array::<c64>::from_re_im(&re, &Array::zeros(&[8, 5])).unwrap();
    let rc = linalg::qr(&as_complex, QrMode::R)
        .unwrap()
        .into_r()
        .unwrap();
    let rr = linalg::qr(&re, QrMode::R).unwrap().into_r().unwrap();
    assert!(lapis::allclose_with(&rc.re(), &rr, 1e-13, 1e-13, false).unwrap());
    assert!(rc.im().to_vec().iter().all(|&x| x == 0.0));
    let (h, tau) = linalg::qr(&a, QrMode::Raw).unwrap().into_raw().unwrap();
    assert_eq!((h.shape(), tau.shape()), (&[5, 8][..], &[5][..]));
    let mut bad = a.clone();
    bad[[3, 2]] = z(f64::NAN, 0.);
    for mode in [QrMode::Reduced, QrMode::Complete, QrMode::R, QrMode::Raw] {
        assert_eq!(linalg::qr(&bad, mode).unwrap_err(), LinalgError::NonFinite);
    }
    let (q, r) = linalg::qr(&Array::<c64>::zeros(&[0, 3]), QrMode::Complete)
        .unwrap()
        .into_qr()
        .unwrap();
    assert_eq!((q.shape(), r.shape()), (&[0, 0][..], &[0, 3][..]));
    let (q, r) = linalg::qr(&Array::<c32>::zeros(&[3, 0]), QrMode::Complete)
        .unwrap()
        .into_qr()
        .unwrap();
    assert_eq!((q.shape(), r.shape()), (&[3, 3][..], &[3, 0][..]));
    assert_eq!(q.to_vec()[0], c32::new(1.0, 0.0));
}
