//! `linalg::eig` / `eigvals`: numpy's answers on small matrices (eigenvalue order and
//! eigenvector normalization included), the eigen-equation residual on stacks, f32, and the
//! error cases.

use lapis::{Array, Complex, LinalgError, array, linalg, s};

const EPS: f64 = f64::EPSILON;

fn c(re: f64, im: f64) -> Complex<f64> {
    Complex::new(re, im)
}

/// `max_i ‖A·v_i − λ_i·v_i‖₁ / (‖A‖₁·‖v_i‖₁·n·ε)` for one matrix.
fn residual(a: &Array<f64>, w: &[Complex<f64>], v: &Array<Complex<f64>>) -> f64 {
    let n = a.shape()[0];
    let anorm = (0..n)
        .map(|j| (0..n).map(|i| a[[i, j]].abs()).sum::<f64>())
        .fold(0.0, f64::max);
    let mut worst: f64 = 0.0;
    for (k, &lam) in w.iter().enumerate() {
        let mut r = 0.0;
        let mut vn = 0.0;
        for i in 0..n {
            let av: Complex<f64> = (0..n).map(|p| a[[i, p]] * v[[p, k]]).sum();
            r += (av - lam * v[[i, k]]).norm();
            vn += v[[i, k]].norm();
        }
        worst = worst.max(r / (anorm.max(f64::MIN_POSITIVE) * vn * n as f64 * EPS));
    }
    worst
}

/// Unit Euclidean norm and a real largest component (LAPACK `geev`'s normalization).
fn check_normalized(v: &Array<Complex<f64>>, tol: f64) {
    let n = v.shape()[0];
    for k in 0..n {
        let norm2: f64 = (0..n).map(|i| v[[i, k]].norm_sqr()).sum();
        assert!(
            (norm2.sqrt() - 1.0).abs() <= tol,
            "column {k}: norm {}",
            norm2.sqrt()
        );
        // The largest component is real; ties within rounding may be broken either way.
        let big = (0..n).map(|i| v[[i, k]].norm()).fold(0.0, f64::max);
        assert!(
            (0..n).any(|i| v[[i, k]].im == 0.0 && v[[i, k]].norm() >= big * (1.0 - 4.0 * EPS)),
            "column {k}: largest component not real"
        );
    }
}

#[test]
fn matches_numpy_on_small_matrices() {
    // numpy 2.4: np.linalg.eig([[1,2,3],[4,5,6],[7,8,10]])
    let a = array![[1., 2., 3.], [4., 5., 6.], [7., 8., 10.]];
    let r: linalg::EigResult<f64> = linalg::eig(&a).unwrap();
    let want_w = [16.707493316124747, -0.9057401795217577, 0.1982468633970094];
    let want_v = [
        [
            -0.2235133577278518,
            -0.8658457814289262,
            0.27829648598057233,
        ],
        [
            -0.5039456275263903,
            0.08565120135087373,
            -0.8318468022052949,
        ],
        [
            -0.8343144391740168,
            0.49292489741225726,
            0.48018950795669213,
        ],
    ];
    // Both are LAPACK-quality answers for a well-separated symmetric-ish spectrum: the
    // eigenvalues agree within c·n·ε·‖A‖₁ (‖A‖₁ = 19), the eigenvectors within
    // c·n·ε·‖A‖₁/gap (smallest gap ≈ 1.1), c = 10.
    let (n, anorm, gap) = (3.0, 19.0, 1.1);
    for k in 0..3 {
        let w = r.eigenvalues[[k]];
        assert!(
            (w - c(want_w[k], 0.0)).norm() <= 10.0 * n * EPS * anorm,
            "w[{k}] = {w}"
        );
        // Eigenvectors are unique up to a sign for a simple real eigenvalue.
        let sign = if r.eigenvectors[[0, k]].re * want_v[0][k] < 0.0 {
            -1.0
        } else {
            1.0
        };
        for i in 0..3 {
            let got = r.eigenvectors[[i, k]];
            let bound = 10.0 * n * EPS * anorm / gap;
            assert!(got.im == 0.0 && (sign * got.re - want_v[i][k]).abs() <= bound);
        }
    }
    check_normalized(&r.eigenvectors, 10.0 * EPS);

    // A conjugate pair: positive imaginary part first, conjugate vectors, as numpy.
    // numpy: np.linalg.eig([[2,-1,0],[1,2,0],[0,0,3]]) -> [2+1j, 2-1j, 3+0j]
    let a = array![[2., -1., 0.], [1., 2., 0.], [0., 0., 3.]];
    let r: linalg::EigResult<f64> = linalg::eig(&a).unwrap();
    let w = r.eigenvalues.to_vec();
    for (got, want) in w.iter().zip([c(2.0, 1.0), c(2.0, -1.0), c(3.0, 0.0)]) {
        assert!((got - want).norm() <= 10.0 * EPS, "{w:?}");
    }
    assert_eq!(w[2].im, 0.0);
    // numpy: v[:, 0] = [0.70710678, -0.70710678j, 0] (up to the sign fixed by the real
    // largest component).
    let s2 = std::f64::consts::FRAC_1_SQRT_2;
    let want = [c(s2, 0.0), c(0.0, -s2), c(0.0, 0.0)];
    let sign = if r.eigenvectors[[0, 0]].re < 0.0 {
        -1.0
    } else {
        1.0
    };
    for i in 0..3 {
        assert!((r.eigenvectors[[i, 0]] * sign - want[i]).norm() <= 10.0 * EPS);
        assert_eq!(r.eigenvectors[[i, 1]], r.eigenvectors[[i, 0]].conj());
    }
    check_normalized(&r.eigenvectors, 10.0 * EPS);
    assert!(residual(&a, &w, &r.eigenvectors) < 10.0);

    // A companion matrix with roots 4, 3, 2, 1 (numpy's order).
    let b = array![
        [0., 1., 0., 0.],
        [0., 0., 1., 0.],
        [0., 0., 0., 1.],
        [-24., 50., -35., 10.]
    ];
    let w: Vec<Complex<f64>> = linalg::eigvals(&b).unwrap().to_vec();
    for (got, want) in w.iter().zip([4.0f64, 3.0, 2.0, 1.0]) {
        assert!(got.im == 0.0 && (got.re - want).abs() < 1e-12, "{w:?}");
    }
}

#[test]
fn stacks_and_eigvals_agree_with_single_matrices() {
    let a = lapis::random::Rng::new(11).standard_normal::<f64>(&[2, 3, 7, 7]);
    let r = linalg::eig(&a).unwrap();
    assert_eq!(r.eigenvalues.shape(), &[2, 3, 7]);
    assert_eq!(r.eigenvectors.shape(), &[2, 3, 7, 7]);
    let vals = linalg::eigvals(&a).unwrap();
    assert_eq!(vals, r.eigenvalues);
    for i in 0..2 {
        for j in 0..3 {
            let m = a.slice(s![i, j, .., ..]).to_owned();
            let one = linalg::eig(&m).unwrap();
            assert_eq!(
                one.eigenvalues,
                r.eigenvalues.slice(s![i, j, ..]).to_owned()
            );
            assert_eq!(
                one.eigenvectors,
                r.eigenvectors.slice(s![i, j, .., ..]).to_owned()
            );
            let w = one.eigenvalues.to_vec();
            assert!(residual(&m, &w, &one.eigenvectors) < 10.0);
            check_normalized(&one.eigenvectors, 100.0 * EPS);
        }
    }
    // A transposed (non-contiguous) view is read in place: the same answer, bit for bit, as
    // its contiguous copy.
    let m = a.slice(s![0, 0, .., ..]);
    let strided = linalg::eig(&m.t()).unwrap();
    let copied = linalg::eig(&m.t().to_owned()).unwrap();
    assert_eq!(strided, copied);
}

#[test]
fn single_precision() {
    let a = array![[4f32, 1., 0.], [-2., 1., 3.], [0., 0.5, 2.]];
    let r = linalg::eig(&a).unwrap();
    let n = 3;
    let anorm = (0..n)
        .map(|j| (0..n).map(|i| a[[i, j]].abs()).sum::<f32>())
        .fold(0.0, f32::max);
    // ‖A·v − λ·v‖ ≤ c·n·ε·‖A‖·‖v‖ componentwise-summed, c = 20 as the f64 checks; ‖v‖₂ = 1.
    for k in 0..n {
        let lam = r.eigenvalues[[k]];
        for i in 0..n {
            let av: Complex<f32> = (0..n).map(|p| a[[i, p]] * r.eigenvectors[[p, k]]).sum();
            let res = (av - lam * r.eigenvectors[[i, k]]).norm();
            let bound = 20.0 * n as f32 * f32::EPSILON * anorm;
            assert!(res <= bound, "k {k}: {res} > {bound}");
        }
    }
}

#[test]
fn errors_and_empty_inputs() {
    assert_eq!(
        linalg::eig(&array![[1., f64::NAN], [0., 1.]]).unwrap_err(),
        LinalgError::NonFinite
    );
    assert_eq!(
        linalg::eigvals(&array![[f64::INFINITY]]).unwrap_err(),
        LinalgError::NonFinite
    );
    assert!(matches!(
        linalg::eig(&Array::<f64>::zeros(&[2, 3])).unwrap_err(),
        LinalgError::NotSquare { .. }
    ));
    assert!(matches!(
        linalg::eigvals(&Array::<f64>::zeros(&[3])).unwrap_err(),
        LinalgError::Shape { .. }
    ));
    let r = linalg::eig(&Array::<f64>::zeros(&[4, 0, 0])).unwrap();
    assert_eq!(r.eigenvalues.shape(), &[4, 0]);
    assert_eq!(r.eigenvectors.shape(), &[4, 0, 0]);
    let w = linalg::eigvals(&Array::<f64>::zeros(&[0, 3, 3])).unwrap();
    assert_eq!(w.shape(), &[0, 3]);
    // 1 × 1: the value itself, the vector [1].
    let r = linalg::eig(&array![[-2.5]]).unwrap();
    assert_eq!(r.eigenvalues.to_vec(), vec![c(-2.5, 0.0)]);
    assert_eq!(r.eigenvectors.to_vec(), vec![c(1.0, 0.0)]);
}

/// Found by fuzzing: a matrix of subnormals is scaled up by 2^k before the QR iteration; a
/// complex pair of tiny imaginary part (≈ 3e-325 once scaled back) must stay a pair, or its
/// eigenvectors (stored as real and imaginary columns) would be read as two real vectors of
/// norm 0.96 and 0.28. Unit vectors and conjugate pairs, and the same structure as for the
/// matrix scaled by an exact power of two.
///
/// The exact eigenvalues of this matrix are real (`x·11ᵀ + δ·e₄e₂ᵀ` has `2x ± √(4x² + xδ)`
/// and a double 0; numpy finds four real ones): a pair here is rounding splitting the double
/// zero, so whether one appears depends on the order of operations, and any that does must
/// have an imaginary part at the rounding level. [`subnormal_matrix_with_true_pairs`] covers
/// pairs that must appear.
#[test]
fn subnormal_matrix_keeps_its_pairs() {
    let (x, y) = (-1.206407232659373e-309, -2.630454502103983e-309);
    let mut a = Array::<f64>::full(&[4, 4], x);
    a[[3, 1]] = y;
    let r = linalg::eig(&a).unwrap();
    let w = r.eigenvalues.to_vec();
    let mut k = 0;
    while k < 4 {
        let norm: f64 = (0..4).map(|i| r.eigenvectors[[i, k]].norm_sqr()).sum();
        assert!(
            (norm.sqrt() - 1.0).abs() <= 40.0 * EPS,
            "‖v_{k}‖ = {}",
            norm.sqrt()
        );
        if w[k].im != 0.0 {
            assert!(w[k].im > 0.0 && w[k + 1] == w[k].conj(), "{w:?}");
            k += 2;
        } else {
            k += 1;
        }
    }
    // The same matrix scaled by 2^1000 (no internal scaling then) has a pair too.
    let scaled = linalg::eig(&(&a * 2f64.powi(1000))).unwrap();
    let count = |w: &[Complex<f64>]| w.iter().filter(|z| z.im != 0.0).count();
    assert_eq!(count(&scaled.eigenvalues.to_vec()), count(&w));
    let norm_a = 4.0 * y.abs();
    for z in &w {
        assert!(z.im.abs() <= 64.0 * EPS * norm_a, "{w:?}");
    }
}

/// Subnormal entries (an exact power-of-two scaling of a small integer matrix with two
/// well-separated complex pairs): both pairs are found, as conjugate pairs with unit
/// eigenvectors, at the eigenvalues numpy computes for the unscaled matrix.
#[test]
fn subnormal_matrix_with_true_pairs() {
    let m = array![
        [1., -3., 2., 0.5],
        [2., 1., -1., 1.],
        [0.5, 1., 3., -2.],
        [1., -1., 0.5, 2.]
    ];
    // numpy/scipy: w, vl, vr = scipy.linalg.eig(m, left=True); eigenvalue condition numbers
    // 1/|vlᴴ·vr| are 1.78 and 3.68, and ‖m‖_F = 6.46.
    let want = [
        (1.3769211689284697, 2.459595778504601),
        (1.3769211689284697, -2.459595778504601),
        (2.1230788310715307, 0.594780829171335),
        (2.1230788310715307, -0.594780829171335),
    ];
    // |Δλ| ≤ κ·‖E‖ with a backward error ‖E‖ ≤ c·n·ε·‖m‖_F (c = 16).
    let bound = 3.7 * 16.0 * 4.0 * EPS * 6.47;
    let scale = 2f64.powi(-1024);
    let a = &m * scale;
    assert!(a[[0, 0]] < f64::MIN_POSITIVE, "the input is subnormal");
    let r = linalg::eig(&a).unwrap();
    let w = r.eigenvalues.to_vec();
    assert_eq!(w.iter().filter(|z| z.im != 0.0).count(), 4, "{w:?}");
    for k in [0, 2] {
        assert!(w[k].im > 0.0 && w[k + 1] == w[k].conj(), "{w:?}");
    }
    for k in 0..4 {
        let norm: f64 = (0..4).map(|i| r.eigenvectors[[i, k]].norm_sqr()).sum();
        assert!(
            (norm.sqrt() - 1.0).abs() <= 40.0 * EPS,
            "‖v_{k}‖ = {}",
            norm.sqrt()
        );
        let z = w[k] / scale;
        let near = want
            .iter()
            .any(|&(re, im)| (z.re - re).hypot(z.im - im) <= bound);
        assert!(near, "{z:?} not among numpy's eigenvalues");
    }
}
