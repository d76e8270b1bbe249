//! `linalg::eig` and `linalg::eigvals` on complex input (`c32`, `c64`): numpy's literal
//! results (values as multisets, vectors matched by value and compared with numpy's
//! normalization: unit norm, largest component real), the identity `A·V = V·diag(w)` with an
//! `n·ε` bound on stacks, purely real complex input against the real path, and the errors.

use lapis::linalg;
use lapis::{
    Array, Complex, Element, Inexact, LinalgError, Number, Scalar, array, c32, c64, random,
};

/// The constant of every `n·ε` bound.
const BOUND: f64 = 10.0;

fn z(re: f64, im: f64) -> c64 {
    c64::new(re, im)
}

fn square(n: usize, data: Vec<c64>) -> Array<c64> {
    Array::from_shape_vec(&[n, n], data).unwrap()
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

/// Index of the nearest unused value of `of` to each of `to` (greedy): `perm[j]` is the
/// position in `of` matched to `to[j]`.
fn matching(of: &[c64], to: &[c64]) -> Vec<usize> {
    let mut used = vec![false; of.len()];
    to.iter()
        .map(|t| {
            let k = (0..of.len())
                .filter(|&k| !used[k])
                .min_by(|&p, &q| (of[p] - t).norm().total_cmp(&(of[q] - t).norm()))
                .unwrap();
            used[k] = true;
            k
        })
        .collect()
}

/// numpy's `eig` result, compared as a multiset of values with the matched vectors equal
/// (numpy's normalization makes a simple eigenvalue's vector unique).
fn assert_numpy_eig(a: &Array<c64>, w_np: &[c64], v_np: &[c64], tol: f64) {
    let n = w_np.len();
    let r = linalg::eig(a).unwrap();
    assert_eq!(r.eigenvalues.shape(), &[n]);
    assert_eq!(r.eigenvectors.shape(), &[n, n]);
    let w = r.eigenvalues.to_vec();
    let perm = matching(&w, w_np);
    for (j, &k) in perm.iter().enumerate() {
        assert!(
            (w[k] - w_np[j]).norm() <= tol,
            "value {j}: {} vs {}",
            w[k],
            w_np[j]
        );
        for i in 0..n {
            let (ours, theirs) = (r.eigenvectors[[i, k]], v_np[i * n + j]);
            assert!(
                (ours - theirs).norm() <= tol,
                "vector {j}, row {i}: {ours} vs {theirs}"
            );
        }
    }
}

#[test]
fn numpy_literals() {
    // numpy: a = np.array([[1+2j, 2-1j, 0.5j], [3, -1+1j, 2], [1j, 1-1j, -2]]); np.linalg.eig(a)
    let a = square(
        3,
        vec![
            z(1., 2.),
            z(2., -1.),
            z(0., 0.5),
            z(3., 0.),
            z(-1., 1.),
            z(2., 0.),
            z(0., 1.),
            z(1., -1.),
            z(-2., 0.),
        ],
    );
    let w = [
        z(2.7524914721399294, 1.1142022519126866),
        z(-3.529922000744286, 2.0635396542264335),
        z(-1.2225694713956468, -0.17774190613912083),
    ];
    let v = [
        z(0.7403065883738885, 0.0),
        z(-0.33678290796541954, 0.21945777090819857),
        z(-0.395269288992528, -0.08682235283685014),
        z(0.6590361354266994, -0.03030902063820003),
        z(0.776801214484564, 0.0),
        z(0.14608114422956553, 0.39727449007351945),
        z(0.12778453565461503, -0.01923546535809708),
        z(-0.47744887941656017, 0.08389279116549472),
        z(0.8105907395625864, 0.0),
    ];
    assert_numpy_eig(&a, &w, &v, 1e-14);

    // numpy: np.linalg.eig([[0, 1j], [1, 0]])  -> w = ±(1+1j)/√2
    let a = square(2, vec![z(0., 0.), z(0., 1.), z(1., 0.), z(0., 0.)]);
    let h = 0.7071067811865475;
    let w = [z(h, h), z(-h, -h)];
    let v = [
        z(h, 0.),
        z(0.7071067811865477, 0.),
        z(0.5, -0.5),
        z(-0.5, 0.5),
    ];
    assert_numpy_eig(&a, &w, &v, 1e-15);

    // numpy: np.linalg.eigvals([[2, 1j, 0], [0, 1+1j, 3], [0, 0, -4j]])  -> [2, 1+1j, -4j]
    let a = square(
        3,
        vec![
            z(2., 0.),
            z(0., 1.),
            z(0., 0.),
            z(0., 0.),
            z(1., 1.),
            z(3., 0.),
            z(0., 0.),
            z(0., 0.),
            z(0., -4.),
        ],
    );
    assert_eq!(
        linalg::eigvals(&a).unwrap().to_vec(),
        vec![z(2., 0.), z(1., 1.), z(0., -4.)]
    );

    // numpy: np.linalg.eig(np.array([[1, 2], [3, 4]], dtype=complex))
    let a = square(2, vec![z(1., 0.), z(2., 0.), z(3., 0.), z(4., 0.)]);
    let w = [z(-0.3722813232690143, 0.), z(5.372281323269014, 0.)];
    let v = [
        z(0.8245648401323938, 0.),
        z(0.4159735579192843, 0.),
        z(-0.5657674649689923, 0.),
        z(0.9093767091321241, 0.),
    ];
    assert_numpy_eig(&a, &w, &v, 1e-14);
}

/// `max_j ‖A·v_j − w_j·v_j‖/(‖A‖_F·n·ε)` over every matrix of the stack, in f64.
fn residual<F>(a: &Array<Complex<F>>, r: &linalg::EigResult<F>, eps: f64) -> f64
where
    F: Scalar + Element + Number + Into<f64>,
    Complex<F>: Inexact<Float = F>,
{
    let sh = a.shape();
    let n = sh[sh.len() - 1];
    if n == 0 {
        return 0.0;
    }
    let f = |x: Complex<F>| z(x.re.into(), x.im.into());
    let (ad, wd, vd) = (a.to_vec(), r.eigenvalues.to_vec(), r.eigenvectors.to_vec());
    let mut worst = 0.0f64;
    for b in 0..ad.len() / (n * n) {
        let at = |i: usize, j: usize| f(ad[b * n * n + i * n + j]);
        let vt = |i: usize, j: usize| f(vd[b * n * n + i * n + j]);
        let anorm = (0..n * n)
            .map(|p| at(p / n, p % n).norm_sqr())
            .sum::<f64>()
            .sqrt();
        for j in 0..n {
            let wj = f(wd[b * n + j]);
            let mut r2 = 0.0;
            for i in 0..n {
                let av: c64 = (0..n).map(|k| at(i, k) * vt(k, j)).sum();
                r2 += (av - wj * vt(i, j)).norm_sqr();
            }
            let vnorm = (0..n).map(|i| vt(i, j).norm_sqr()).sum::<f64>().sqrt();
            assert!(
                (vnorm - 1.0).abs() <= BOUND * n as f64 * eps,
                "‖v‖ = {vnorm}"
            );
            worst = worst.max(r2.sqrt() / (anorm.max(f64::MIN_POSITIVE) * n as f64 * eps));
        }
    }
    worst
}

#[test]
fn stacks_residuals_c64_and_c32() {
    for (n, seed) in [(1usize, 1u64), (2, 2), (5, 3), (17, 4), (40, 5)] {
        let a = crandn::<f64>(&[3, n, n], seed);
        let r = linalg::eig(&a).unwrap();
        assert_eq!(r.eigenvalues.shape(), &[3, n]);
        assert_eq!(r.eigenvectors.shape(), &[3, n, n]);
        let q = residual(&a, &r, f64::EPSILON);
        assert!(q <= BOUND, "c64 n = {n}: {q}");
        // eigvals gives the same values (as a multiset, within the eigenvalue bound).
        let w = linalg::eigvals(&a).unwrap();
        assert_eq!(w.shape(), &[3, n]);
        let (wa, wb) = (w.to_vec(), r.eigenvalues.to_vec());
        for b in 0..3 {
            let (x, y) = (&wa[b * n..(b + 1) * n], &wb[b * n..(b + 1) * n]);
            for (j, &k) in matching(x, y).iter().enumerate() {
                assert!(
                    (x[k] - y[j]).norm() <= 1e-10 * (n as f64),
                    "{} {}",
                    x[k],
                    y[j]
                );
            }
        }

        let a32 = crandn::<f32>(&[2, n, n], seed);
        let r32: linalg::EigResult<f32> = linalg::eig(&a32).unwrap();
        let q = residual(&a32, &r32, f32::EPSILON.into());
        assert!(q <= BOUND, "c32 n = {n}: {q}");
        let _: Array<c32> = linalg::eigvals(&a32).unwrap();
    }
    // Empty matrices and empty stacks.
    let e = linalg::eig(&Array::<c64>::zeros(&[0, 0])).unwrap();
    assert_eq!(
        (e.eigenvalues.shape(), e.eigenvectors.shape()),
        (&[0][..], &[0, 0][..])
    );
    let e = linalg::eigvals(&Array::<c64>::zeros(&[0, 3, 3])).unwrap();
    assert_eq!(e.shape(), &[0, 3]);
}

/// A complex array with zero imaginary parts gives the real path's spectrum.
#[test]
fn purely_real_complex_input_matches_real_path() {
    let n = 12;
    let re = random::default_rng(8).standard_normal::<f64>(&[n, n]);
    let c = Array::from_re_im(&re, &Array::<f64>::zeros(&[n, n])).unwrap();
    let wr = linalg::eigvals(&re).unwrap().to_vec();
    let r = linalg::eig(&c).unwrap();
    assert!(residual(&c, &r, f64::EPSILON) <= BOUND);
    let wc = r.eigenvalues.to_vec();
    let anorm = re.to_vec().iter().map(|x| x * x).sum::<f64>().sqrt();
    for (j, &k) in matching(&wc, &wr).iter().enumerate() {
        // A random matrix of this size has eigenvalue condition numbers well below 1e3.
        let tol = 2.0 * BOUND * n as f64 * f64::EPSILON * anorm * 1e3;
        assert!((wc[k] - wr[j]).norm() <= tol, "{} vs {}", wc[k], wr[j]);
    }
}

/// A non-contiguous (transposed) view: `eig(Aᵀ)` has the spectrum of `A`.
#[test]
fn transposed_view() {
    let a = crandn::<f64>(&[6, 6], 11);
    let at = linalg::matrix_transpose(&a).unwrap();
    let r = linalg::eig(&at).unwrap();
    let owned = at.to_owned();
    assert!(residual(&owned, &r, f64::EPSILON) <= BOUND);
    let w = linalg::eigvals(&a).unwrap().to_vec();
    let wt = r.eigenvalues.to_vec();
    for (j, &k) in matching(&wt, &w).iter().enumerate() {
        assert!((wt[k] - w[j]).norm() < 1e-12, "{} vs {}", wt[k], w[j]);
    }
}

#[test]
fn errors() {
    let a = Array::<c64>::zeros(&[2, 3]);
    assert!(matches!(
        linalg::eig(&a),
        Err(LinalgError::NotSquare { .. })
    ));
    assert!(matches!(
        linalg::eigvals(&a),
        Err(LinalgError::NotSquare { .. })
    ));
    assert!(matches!(
        linalg::eigvals(&Array::<c64>::zeros(&[3])),
        Err(LinalgError::Shape { .. })
    ));
    for bad in [z(f64::NAN, 0.), z(0., f64::INFINITY)] {
        let mut d = vec![z(1., 0.); 4];
        d[3] = bad;
        let a = square(2, d);
        assert_eq!(linalg::eig(&a).unwrap_err(), LinalgError::NonFinite);
        assert_eq!(linalg::eigvals(&a).unwrap_err(), LinalgError::NonFinite);
    }
    // Real input keeps working through the same functions. (A scalar taken out of the result
    // of untyped literals needs its type named, as for every `T::Float`-typed result.)
    let w: Vec<c64> = linalg::eigvals(&array![[0., -1.], [1., 0.]])
        .unwrap()
        .to_vec();
    assert!((w[0] - z(0., 1.)).norm() < 1e-15 && (w[1] - z(0., -1.)).norm() < 1e-15);
}
