//! A guided tour of Lapis for people who know numpy.
//!
//! ```sh
//! cargo run --release -p lapis --example tour
//! ```
//!
//! Each section prints the numpy code it mirrors (`>>>` lines) and the result the way numpy
//! prints it. Every identity the tour shows (Q·R = A, A·A⁻¹ = I, rows summing to 1, …) is
//! checked on the computed values: if the library gives a wrong answer the tour stops with
//! a message naming the broken identity. The output is deterministic except for timings.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use lapis::linalg::{self, Ord, QrMode, Uplo};
use lapis::random::default_rng;
use lapis::{Array, ArrayBase, Data, LinalgError, allclose, array, c64, matmul, s};

/// Prints a section heading, numbered in order of appearance.
fn heading(title: &str) {
    static SECTION: AtomicU32 = AtomicU32::new(1);
    let n = SECTION.fetch_add(1, Ordering::Relaxed);
    println!();
    println!("== {n}. {title} ==");
}

/// Prints a line of numpy code the way an interactive session shows it.
fn np(code: &str) {
    println!(">>> {code}");
}

/// Stops the tour with a clear message when an identity does not hold.
fn check(ok: bool, what: &str) {
    assert!(ok, "tour check failed: {what}");
}

/// A shape as numpy prints it: `(5, 3)`, `(3,)`.
fn tup(shape: &[usize]) -> String {
    match shape {
        [n] => format!("({n},)"),
        _ => {
            let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
            format!("({})", dims.join(", "))
        }
    }
}

/// The Frobenius norm (the 2-norm for vectors): `np.linalg.norm(a)`.
fn fro<S: Data<Elem = f64>>(a: &ArrayBase<S>) -> f64 {
    a.iter().map(|&x| x * x).sum::<f64>().sqrt()
}

/// The `n × n` Hilbert matrix `h[i, j] = 1 / (i + j + 1)`, famously ill-conditioned.
fn hilbert(n: usize) -> Array<f64> {
    Array::from_shape_fn(&[n, n], |ix| 1.0 / (ix[0] + ix[1] + 1) as f64)
}

fn main() -> Result<(), LinalgError> {
    println!("A tour of Lapis: numpy.linalg in pure Rust. Lines starting with >>> are the numpy");
    println!("code each step mirrors; what follows is Lapis's result, printed as numpy prints it.");

    arrays()?;
    solve_vs_inverse()?;
    determinants()?;
    least_squares()?;
    qr()?;
    cholesky()?;
    eigh()?;
    eig()?;
    complex_linalg()?;
    svd_low_rank()?;
    pca()?;
    norms()?;
    batched_inverse()?;
    neural_network()?;

    heading("Configuration");
    np("np.show_config()");
    lapis::config::show_config();
    println!();
    println!("Tour complete: every check passed.");
    Ok(())
}

fn arrays() -> Result<(), LinalgError> {
    heading("Arrays: creation, slicing, broadcasting, reductions");
    np("a = np.arange(12.).reshape(3, 4); a");
    let a = Array::arange(0.0, 12.0, 1.0).into_shape(&[3, 4])?;
    println!("{a:?}");
    np("a[1:, ::-2]");
    let v = a.slice(s![1.., ..;-2]);
    println!("{v:?}");
    check(v.to_vec() == vec![7.0, 5.0, 11.0, 9.0], "a[1:, ::-2]");
    np("a - a.mean(axis=0)        # (3, 4) - (4,) broadcasts");
    let centred = &a - &a.mean_axis(0, false)?;
    println!("{centred:?}");
    check(
        centred.sum_axis(0, false)?.iter().all(|&x| x == 0.0),
        "columns of a - a.mean(axis=0) sum to 0",
    );
    np("a.sum(), a.max(axis=1)");
    println!("({:?}, {:?})", a.sum(), a.max_axis(1, false)?);
    check(a.sum() == 66.0, "a.sum() == 66");
    np("np.linspace(0, 1, 5)[:, None] * np.array([1., 10.])   # outer product by broadcasting");
    let outer = &Array::linspace(0.0, 1.0, 5).slice(s![.., lapis::NewAxis]) * &array![1.0, 10.0];
    println!("{outer:?}");
    check(outer.shape() == [5, 2], "(5, 1) * (2,) is (5, 2)");
    Ok(())
}

fn solve_vs_inverse() -> Result<(), LinalgError> {
    heading("Solving A x = b: solve, not inv");
    np("np.linalg.solve([[2., 1.], [1., 3.]], [5., 10.])");
    let a = array![[2.0, 1.0], [1.0, 3.0]];
    let b = array![5.0, 10.0];
    let x = linalg::solve(&a, &b)?;
    println!("{x:?}");
    check(
        allclose(&x, &array![1.0, 3.0])?,
        "solve([[2,1],[1,3]], [5,10]) == [1, 3]",
    );

    println!();
    println!("On an ill-conditioned system (Hilbert 10, true x = ones), solve is backward stable;");
    println!("multiplying by the inverse is not:");
    np("h = hilbert(10); b = h @ np.ones(10)");
    let h = hilbert(10);
    let ones = Array::<f64>::ones(&[10]);
    let b = matmul(&h, &ones)?;
    let x_solve = linalg::solve(&h, &b)?;
    let x_inv = matmul(&linalg::inv(&h)?, &b)?;
    let res_solve = fro(&(&matmul(&h, &x_solve)? - &b));
    let res_inv = fro(&(&matmul(&h, &x_inv)? - &b));
    np("np.linalg.norm(h @ np.linalg.solve(h, b) - b)");
    println!("{res_solve:.3e}");
    np("np.linalg.norm(h @ (np.linalg.inv(h) @ b) - b)");
    println!("{res_inv:.3e}");
    np("np.linalg.cond(h)      # x may lose up to log10(cond) ≈ 13 digits either way");
    let cond_h: f64 = linalg::cond(&h, None)?.item().unwrap();
    println!("{cond_h:.4e}");
    println!(
        "error in x: solve {:.3e}, inv {:.3e}",
        fro(&(&x_solve - &ones)),
        fro(&(&x_inv - &ones))
    );
    check(
        cond_h > 1e13 && cond_h < 1e14,
        "cond(hilbert(10)) is about 1.6e13",
    );
    check(
        res_solve < 1e-13 * fro(&h) * fro(&x_solve),
        "solve's residual on Hilbert 10 is at rounding level",
    );
    check(
        res_solve < res_inv,
        "solve's residual is smaller than inv's",
    );

    println!();
    println!("A singular matrix is an error, not garbage:");
    np("np.linalg.solve([[1., 2.], [2., 4.]], [3., 6.])");
    match linalg::solve(&array![[1.0, 2.0], [2.0, 4.0]], &array![3.0, 6.0]) {
        Err(e) => println!("LinalgError: {e}"),
        Ok(x) => panic!("tour check failed: solve of a singular matrix returned {x:?}"),
    }
    np("np.linalg.inv([[1., 2.], [2., 4.]])");
    match linalg::inv(&array![[1.0, 2.0], [2.0, 4.0]]) {
        Err(e) => println!("LinalgError: {e}"),
        Ok(x) => panic!("tour check failed: inv of a singular matrix returned {x:?}"),
    }
    Ok(())
}

fn determinants() -> Result<(), LinalgError> {
    heading("Determinants and log-determinants");
    np("np.linalg.det([[1., 2.], [3., 4.]])");
    let d: f64 = linalg::det(&array![[1.0, 2.0], [3.0, 4.0]])?
        .item()
        .unwrap();
    println!("{d:?}");
    check((d + 2.0).abs() < 1e-14, "det([[1,2],[3,4]]) == -2");

    println!();
    println!("The determinant of a large matrix over- or underflows; slogdet does not:");
    for scale in [10.0, 0.1] {
        let big = &Array::<f64>::eye(500) * scale;
        np(&format!("a = np.eye(500) * {scale}; np.linalg.det(a)"));
        let d = linalg::det(&big)?.item().unwrap();
        println!("{d:?}");
        np("sign, logabsdet = np.linalg.slogdet(a); sign, logabsdet");
        let r = linalg::slogdet(&big)?;
        let (sign, logabsdet) = (r.sign.item().unwrap(), r.logabsdet.item().unwrap());
        println!("({sign:?}, {logabsdet:?})");
        let expected = 500.0 * f64::ln(scale);
        check(
            sign == 1.0 && (logabsdet - expected).abs() < 1e-9 * expected.abs(),
            "slogdet(eye(500) * s) == (1, 500 ln s)",
        );
    }

    println!();
    println!("On a random 300 × 300 matrix scaled by 1e3, det overflows but slogdet is fine:");
    np("a = rng.standard_normal((300, 300)) * 1e3");
    let a = &default_rng(7).standard_normal::<f64>(&[300, 300]) * 1e3;
    let det = linalg::det(&a)?.item().unwrap();
    let r = linalg::slogdet(&a)?;
    let (sign, logabsdet) = (r.sign.item().unwrap(), r.logabsdet.item().unwrap());
    np("np.linalg.det(a), np.linalg.slogdet(a)");
    println!("({det:?}, ({sign:?}, {logabsdet:.6}))");
    // slogdet(c·a) = slogdet(a) + n·ln(c): scaling shifts the log-determinant exactly.
    let r1 = linalg::slogdet(&(&a * 1e-3))?;
    let shift = logabsdet - r1.logabsdet.item().unwrap();
    check(
        det.is_infinite() && (shift - 300.0 * f64::ln(1e3)).abs() < 1e-8,
        "slogdet(1e3 · a) = slogdet(a) + 300 ln 1e3",
    );
    Ok(())
}

fn least_squares() -> Result<(), LinalgError> {
    heading("Least squares");
    println!("A singular system has no unique solution; lstsq returns the one of minimum norm:");
    np("x, residuals, rank, s = np.linalg.lstsq([[1., 2.], [2., 4.]], [3., 6.])");
    let r = linalg::lstsq(&array![[1.0, 2.0], [2.0, 4.0]], &array![3.0, 6.0], None)?;
    np("x");
    println!("{:?}", r.x);
    np("residuals, rank, s     # residuals are empty when rank < n; s[1] is zero up to rounding");
    println!("({:?}, {}, {:?})", r.residuals, r.rank, r.singular_values);
    check(allclose(&r.x, &array![0.6, 1.2])?, "lstsq x == [0.6, 1.2]");
    check(r.rank == 1, "lstsq rank == 1");
    check(
        allclose(&r.singular_values, &array![5.0, 0.0])?,
        "lstsq singular values == [5, 0]",
    );
    np(
        "a = [[1., 2.], [2., 4.]]; p = np.linalg.pinv(a); p, p @ [3., 6.], np.linalg.matrix_rank(a)",
    );
    let sing = array![[1.0, 2.0], [2.0, 4.0]];
    let p = linalg::pinv(&sing, None, false)?;
    let px = matmul(&p, &array![3.0, 6.0])?;
    let rank = linalg::matrix_rank(&sing, None, false)?.item().unwrap();
    println!("({p:?}, {px:?}, {rank})");
    check(
        allclose(&p, &array![[0.04, 0.08], [0.08, 0.16]])? && allclose(&px, &r.x)? && rank == 1,
        "pinv(a) == [[.04, .08], [.08, .16]], pinv(a) @ b == lstsq x, matrix_rank(a) == 1",
    );

    println!();
    println!("Linear regression: fit y = m t + c to 50 noisy samples of y = 2 t + 1:");
    np("rng = np.random.default_rng(0)");
    np("t = np.linspace(0, 1, 50); y = 2 * t + 1 + 0.05 * rng.standard_normal(50)");
    let mut rng = default_rng(0);
    let t = Array::linspace(0.0, 1.0, 50);
    let y = &(&(2.0 * &t) + 1.0) + &(0.05 * &rng.standard_normal::<f64>(&[50]));
    np("A = np.vstack([t, np.ones(len(t))]).T");
    let ones = Array::<f64>::ones(&[50]);
    let design = lapis::vstack(&[t.view(), ones.view()])?.t().to_owned();
    np("m, c = np.linalg.lstsq(A, y)[0]; m, c");
    let fit = linalg::lstsq(&design, &y, None)?;
    let (m, c) = (fit.x[[0]], fit.x[[1]]);
    println!("({m:.6}, {c:.6})");
    np("np.linalg.lstsq(A, y)[1]     # residuals: the sum of squared errors");
    println!("{:?}", fit.residuals);
    check(
        (m - 2.0).abs() < 0.1 && (c - 1.0).abs() < 0.05,
        "regression recovers slope 2 and intercept 1",
    );
    // The least-squares residual is orthogonal to the columns of A (the normal equations).
    let resid = &y - &matmul(&design, &fit.x)?;
    let normal = matmul(&design.t(), &resid)?;
    check(
        fro(&normal) < 1e-12 * fro(&design) * fro(&y),
        "Aᵀ (y − A x) = 0 at the least-squares solution",
    );
    check(
        (fit.residuals[[0]] - fro(&resid).powi(2)).abs() < 1e-12,
        "residuals == ‖y − A x‖²",
    );
    Ok(())
}

fn qr() -> Result<(), LinalgError> {
    heading("QR decomposition");
    np("a = rng.standard_normal((5, 3)); q, r = np.linalg.qr(a)   # mode='reduced'");
    let a = default_rng(1).standard_normal::<f64>(&[5, 3]);
    let (q, r) = linalg::qr(&a, QrMode::Reduced)?
        .into_qr()
        .expect("reduced mode gives q and r");
    np("q.shape, r.shape");
    println!("({}, {})", tup(q.shape()), tup(r.shape()));
    np("r");
    println!("{r:?}");
    let qr_err = fro(&(&matmul(&q, &r)? - &a));
    let orth_err = fro(&(&matmul(&q.t(), &q)? - &Array::<f64>::eye(3)));
    np("np.linalg.norm(q @ r - a), np.linalg.norm(q.T @ q - np.eye(3))");
    println!("({qr_err:.3e}, {orth_err:.3e})");
    check(qr_err < 1e-13, "q @ r == a");
    check(orth_err < 1e-13, "q.T @ q == I");
    check(
        r.iter()
            .enumerate()
            .all(|(k, &v)| k / 3 <= k % 3 || v == 0.0),
        "r is upper triangular",
    );
    Ok(())
}

fn cholesky() -> Result<(), LinalgError> {
    heading("Cholesky factorization of a symmetric positive definite matrix");
    np("a = np.array([[4., 12., -16.], [12., 37., -43.], [-16., -43., 98.]])");
    let a = array![
        [4.0, 12.0, -16.0],
        [12.0, 37.0, -43.0],
        [-16.0, -43.0, 98.0]
    ];
    np("l = np.linalg.cholesky(a); l");
    let l = linalg::cholesky(&a, false)?;
    println!("{l:?}");
    check(
        allclose(
            &l,
            &array![[2.0, 0.0, 0.0], [6.0, 1.0, 0.0], [-8.0, 5.0, 3.0]],
        )?,
        "cholesky(a) == [[2,0,0],[6,1,0],[-8,5,3]]",
    );
    let llt_err = fro(&(&matmul(&l, &l.t())? - &a));
    np("np.linalg.norm(l @ l.T - a)");
    println!("{llt_err:.3e}");
    check(llt_err < 1e-12, "l @ l.T == a");

    println!();
    println!("Factor once, solve many (scipy.linalg.cho_factor / cho_solve):");
    np("c, low = scipy.linalg.cho_factor(a); scipy.linalg.cho_solve((c, low), [1., 2., 3.])");
    let f = linalg::cho_factor(&a, false)?;
    let b = array![1.0, 2.0, 3.0];
    let x = linalg::cho_solve((&f.c, f.lower), &b)?;
    println!("{x:?}");
    check(
        allclose(&matmul(&a, &x)?, &b)?,
        "a @ cho_solve(cho_factor(a), b) == b",
    );
    println!();
    println!("A matrix that is not positive definite is reported:");
    np("np.linalg.cholesky([[1., 2.], [2., 1.]])");
    match linalg::cholesky(&array![[1.0, 2.0], [2.0, 1.0]], false) {
        Err(e) => println!("LinalgError: {e}"),
        Ok(l) => panic!("tour check failed: cholesky of an indefinite matrix returned {l:?}"),
    }
    Ok(())
}

fn eigh() -> Result<(), LinalgError> {
    heading("Symmetric eigenproblem");
    np("a = np.array([[2., 1., 0.], [1., 2., 1.], [0., 1., 2.]])");
    let a = array![[2.0, 1.0, 0.0], [1.0, 2.0, 1.0], [0.0, 1.0, 2.0]];
    np("w, v = np.linalg.eigh(a); w     # ascending: 2 - √2, 2, 2 + √2");
    let r = linalg::eigh(&a, Uplo::Lower)?;
    let (w, v) = (r.eigenvalues, r.eigenvectors);
    println!("{w:?}");
    let sqrt2 = 2f64.sqrt();
    check(
        allclose(&w, &array![2.0 - sqrt2, 2.0, 2.0 + sqrt2])?,
        "eigh eigenvalues == [2 - √2, 2, 2 + √2]",
    );
    np("np.linalg.norm(a @ v - v * w), np.linalg.norm(v.T @ v - np.eye(3))");
    let av_err = fro(&(&matmul(&a, &v)? - &(&v * &w)));
    let orth_err = fro(&(&matmul(&v.t(), &v)? - &Array::<f64>::eye(3)));
    println!("({av_err:.3e}, {orth_err:.3e})");
    check(av_err < 1e-13, "a @ v == v * w (A·v = λ·v for every pair)");
    check(orth_err < 1e-13, "the eigenvectors are orthonormal");
    np("np.linalg.eigvalsh(a, UPLO='U')");
    let w_upper = linalg::eigvalsh(&a, Uplo::Upper)?;
    println!("{w_upper:?}");
    check(
        allclose(&w_upper, &w)?,
        "eigvalsh(a, 'U') == eigh(a).eigenvalues",
    );
    Ok(())
}

fn eig() -> Result<(), LinalgError> {
    heading("General (non-symmetric) eigenproblem");
    np("a = np.array([[0., -1., 0.], [1., 0., 0.], [0., 0., 2.]])  # a rotation and a stretch");
    let a = array![[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 2.0]];
    np("w, v = np.linalg.eig(a); w     # [1j, -1j, 2]: a conjugate pair, + first");
    let r: linalg::EigResult<f64> = linalg::eig(&a)?; // generic over real and complex input
    println!("{:?}", r.eigenvalues);
    let want = [c64::new(0.0, 1.0), c64::new(0.0, -1.0), c64::new(2.0, 0.0)];
    check(
        r.eigenvalues
            .iter()
            .zip(&want)
            .all(|(w, x)| (w - x).norm() < 1e-15),
        "eig eigenvalues == [1j, -1j, 2]",
    );
    np("np.abs(a @ v - v * w).max()");
    let ac = a.astype::<c64>();
    let err = (&matmul(&ac, &r.eigenvectors)? - &(&r.eigenvectors * &r.eigenvalues))
        .abs()
        .iter()
        .fold(0.0f64, |m, x| m.max(*x));
    println!("{err:.3e}");
    check(err < 1e-14, "a @ v == v * w (complex)");
    np("np.real_if_close(np.linalg.eigvals([[2., 1.], [0., 3.]]))   # a real spectrum");
    let w = linalg::eigvals(&array![[2.0, 1.0], [0.0, 3.0]])?
        .real_if_close()
        .expect("the spectrum of a triangular real matrix is real");
    println!("{w:?}");
    check(
        w.to_vec() == vec![2.0, 3.0],
        "eigvals of a triangular matrix == its diagonal",
    );
    Ok(())
}

fn complex_linalg() -> Result<(), LinalgError> {
    heading("Complex matrices");
    np("a = np.array([[2, 1 - 1j], [1 + 1j, 3]]); b = np.array([1, 1j])");
    let a = array![
        [c64::new(2., 0.), c64::new(1., -1.)],
        [c64::new(1., 1.), c64::new(3., 0.)]
    ];
    let b = array![c64::new(1., 0.), c64::new(0., 1.)];
    np("np.linalg.solve(a, b)");
    let x = linalg::solve(&a, &b)?;
    println!("{x:?}");
    check(
        allclose(&x, &array![c64::new(0.5, -0.25), c64::new(-0.25, 0.25)])?,
        "solve(a, b) == [0.5-0.25j, -0.25+0.25j]",
    );
    np("np.linalg.det(a)     # (2·3 − |1 − 1j|²)");
    let d = linalg::det(&a)?.into_scalar()?;
    println!("({}{:+}j)", d.re, d.im);
    check((d - c64::new(4., 0.)).norm() < 1e-14, "det(a) == 4");
    np("w, v = np.linalg.eigh(a); w     # a is Hermitian: real eigenvalues");
    let r = linalg::eigh(&a, Uplo::Lower)?;
    println!("{:?}", r.eigenvalues);
    check(
        allclose(&r.eigenvalues, &array![1., 4.])?,
        "eigh(a) eigenvalues == [1, 4] (trace 5, det 4)",
    );
    let w = r.eigenvalues.map(|&x| c64::new(x, 0.));
    let v = &r.eigenvectors;
    let resid = &matmul(&a, v)? - &(v * &w);
    let unit = &matmul(&v.t().to_owned().conj(), v)? - &Array::<c64>::eye(2);
    let err = resid
        .iter()
        .chain(unit.iter())
        .map(|z| z.norm())
        .fold(0.0, f64::max);
    check(err < 1e-14, "a @ v == v * w and v.conj().T @ v == I");
    np("np.linalg.svd(np.array([[1, 1j], [1j, 1]]), compute_uv=False)   # I + iσx: both √2");
    let m = array![
        [c64::new(1., 0.), c64::new(0., 1.)],
        [c64::new(0., 1.), c64::new(1., 0.)]
    ];
    let sv = linalg::svdvals(&m)?;
    println!("{sv:?}");
    check(
        allclose(&sv, &array![2f64.sqrt(), 2f64.sqrt()])?,
        "svdvals == [√2, √2]",
    );
    Ok(())
}

fn svd_low_rank() -> Result<(), LinalgError> {
    heading("SVD and low-rank approximation");
    np("a = rng.standard_normal((8, 6)); u, s, vh = np.linalg.svd(a, full_matrices=False)");
    let a = default_rng(4).standard_normal::<f64>(&[8, 6]);
    let (u, sv, vh) = linalg::svd(&a, false, true)?
        .into_usv()
        .expect("compute_uv=True gives u, s, vh");
    np("u.shape, s.shape, vh.shape");
    println!(
        "({}, {}, {})",
        tup(u.shape()),
        tup(sv.shape()),
        tup(vh.shape())
    );
    np("s");
    println!("{sv:?}");
    let rebuilt_err = fro(&(&matmul(&(&u * &sv), &vh)? - &a));
    np("np.linalg.norm(u * s @ vh - a)");
    println!("{rebuilt_err:.3e}");
    check(rebuilt_err < 1e-13, "u @ diag(s) @ vh == a");

    println!();
    println!("Eckart–Young: truncating the SVD after k terms gives the best rank-k approximation,");
    println!("and its 2-norm error is exactly the next singular value s[k]:");
    np("k = 2; ak = u[:, :k] * s[:k] @ vh[:k]");
    let k = 2;
    let ak = matmul(
        &(&u.slice(s![.., ..k]) * &sv.slice(s![..k])),
        &vh.slice(s![..k, ..]),
    )?;
    np("np.linalg.svd(a - ak, compute_uv=False)[0], s[k]");
    let err2 = linalg::svdvals(&(&a - &ak))?[[0]];
    println!("({err2:.8}, {:.8})", sv[[k]]);
    np("np.linalg.norm(a - ak), np.sqrt((s[k:] ** 2).sum())    # Frobenius error");
    let err_f = fro(&(&a - &ak));
    let tail = sv.slice(s![k..]).powi(2).sum().sqrt();
    println!("({err_f:.8}, {tail:.8})");
    check(
        (err2 - sv[[k]]).abs() < 1e-12 * sv[[0]],
        "‖a − a_k‖₂ == s[k] (Eckart–Young)",
    );
    check(
        (err_f - tail).abs() < 1e-12 * sv[[0]],
        "‖a − a_k‖_F == √(Σ s[k:]²)",
    );

    println!();
    println!("For a big matrix of low rank, a randomized SVD finds the top singular triplets:");
    np("b = rng.standard_normal((300, 5)) @ rng.standard_normal((5, 200))    # rank 5");
    let mut rng = default_rng(5);
    let b = matmul(
        &rng.standard_normal::<f64>(&[300, 5]),
        &rng.standard_normal::<f64>(&[5, 200]),
    )?;
    np("u5, s5, vt5 = sklearn.utils.extmath.randomized_svd(b, 5, random_state=0)");
    let (u5, s5, vt5) = linalg::randomized_svd(&b, 5, 10, 4, 0)?;
    np("s5, np.linalg.svd(b, compute_uv=False)[:6]");
    let exact = linalg::svdvals(&b)?;
    println!("({s5:?}, {:?})", exact.slice(s![..6]));
    let rel = fro(&(&matmul(&(&u5 * &s5), &vt5)? - &b)) / fro(&b);
    np("np.linalg.norm(u5 * s5 @ vt5 - b) / np.linalg.norm(b)");
    println!("{rel:.3e}");
    check(
        allclose(&s5, &exact.slice(s![..5]))? && rel < 1e-12,
        "randomized_svd recovers a rank-5 matrix exactly",
    );
    Ok(())
}

fn pca() -> Result<(), LinalgError> {
    heading("PCA from scratch");
    np(
        "z = rng.standard_normal((500, 2)); x = z @ [[2., 1.5], [0.3, 0.5]]   # correlated 2-D data",
    );
    let z = default_rng(6).standard_normal::<f64>(&[500, 2]);
    let x = matmul(&z, &array![[2.0, 1.5], [0.3, 0.5]])?;
    np("xc = x - x.mean(axis=0)");
    let xc = &x - &x.mean_axis(0, false)?;
    np("u, s, vh = np.linalg.svd(xc, full_matrices=False)");
    let (_, sv, mut vh) = linalg::svd(&xc, false, true)?
        .into_usv()
        .expect("compute_uv=True gives u, s, vh");
    // Singular vectors have arbitrary signs (numpy's too): show each axis pointing to x > 0.
    for i in 0..2 {
        if vh[[i, 0]] < 0.0 {
            vh.slice_mut(s![i, ..]).map_inplace(|v| -v);
        }
    }
    np("vh                                  # principal axes, as rows (signs fixed)");
    println!("{vh:?}");
    np("var = s**2 / (len(x) - 1); var / var.sum()   # explained variance ratio");
    let var = &sv.powi(2) / (x.shape()[0] - 1) as f64;
    let ratio = &var / var.sum();
    println!("{ratio:?}");
    np(
        "np.linalg.eigvalsh(np.cov(x.T))[::-1]            # the same variances, from the covariance",
    );
    let cov = &matmul(&xc.t(), &xc)? / (x.shape()[0] - 1) as f64;
    let w = linalg::eigvalsh(&cov, Uplo::Lower)?;
    let w_desc = w.slice(s![..;-1]);
    println!("{w_desc:?}");
    np("var");
    println!("{var:?}");
    check(
        allclose(&w_desc, &var)?,
        "eigenvalues of the covariance == s² / (n − 1)",
    );
    check(
        (ratio.sum() - 1.0).abs() < 1e-12 && ratio[[0]] > 0.9,
        "explained variance ratios sum to 1 and the first axis dominates",
    );
    Ok(())
}

fn norms() -> Result<(), LinalgError> {
    heading("Norms and condition numbers");
    np("a = np.array([[1., -2.], [3., 4.]])");
    let a = array![[1.0, -2.0], [3.0, 4.0]];
    let nrm = |ord: Option<Ord>| -> Result<f64, LinalgError> {
        Ok(linalg::norm(&a, ord, None, false)?.item().unwrap())
    };
    np("norm(a), norm(a, 1), norm(a, np.inf), norm(a, 2), norm(a, 'nuc')");
    let (f, one, inf, two, nuc) = (
        nrm(None)?,
        nrm(Some(Ord::P(1.0)))?,
        nrm(Some(Ord::Inf))?,
        nrm(Some(Ord::P(2.0)))?,
        nrm(Some(Ord::Nuc))?,
    );
    println!("({f:?}, {one:?}, {inf:?}, {two:.8}, {nuc:.8})");
    let sv: lapis::Array<f64> = linalg::svdvals(&a)?;
    check(
        (f - 30f64.sqrt()).abs() < 1e-14 && one == 6.0 && inf == 7.0,
        "norm(a) == √30, norm(a, 1) == 6, norm(a, inf) == 7",
    );
    check(
        (two - sv[[0]]).abs() < 1e-14 && (nuc - sv.sum()).abs() < 1e-13,
        "norm(a, 2) == s_max and norm(a, 'nuc') == Σ s",
    );
    np("norm(a, axis=1)                 # one norm per row");
    let rows = linalg::norm(&a, None, Some(&[1]), false)?;
    println!("{rows:?}");
    check(
        allclose(&rows, &array![5f64.sqrt(), 5.0])?,
        "norm(a, axis=1) == [√5, 5]",
    );

    println!();
    println!("The condition number bounds how many digits a solve can lose; Hilbert matrices");
    println!("are the classic bad case, and a singular matrix has cond = inf:");
    np("[np.linalg.cond(hilbert(n)) for n in (4, 8, 12)]");
    let mut conds = Vec::new();
    for n in [4, 8, 12] {
        let h = hilbert(n);
        let c: f64 = linalg::cond(&h, None)?.item().unwrap();
        let s = linalg::svdvals(&h)?;
        check(
            (c - s[[0]] / s[[n - 1]]).abs() < 1e-10 * c,
            "cond(h) == s_max / s_min",
        );
        conds.push(format!("{c:.2e}"));
    }
    println!("[{}]", conds.join(", "));
    np("np.linalg.cond([[1., 2.], [2., 4.]], 1)");
    let c: f64 = linalg::cond(&array![[1.0, 2.0], [2.0, 4.0]], Some(Ord::P(1.0)))?
        .item()
        .unwrap();
    println!("{c:?}");
    check(c.is_infinite(), "cond of a singular matrix is inf");
    Ok(())
}

fn batched_inverse() -> Result<(), LinalgError> {
    heading("Batched inverse: 10 000 matrices of order 4 in one call");
    np("a = rng.standard_normal((10000, 4, 4)) + 4 * np.eye(4)");
    let a = &default_rng(2).standard_normal::<f64>(&[10_000, 4, 4]) + &(4.0 * &Array::eye(4));
    np("ainv = np.linalg.inv(a)");
    let start = Instant::now();
    let ainv = linalg::inv(&a)?;
    let elapsed = start.elapsed();
    np("np.linalg.norm(a @ ainv - np.eye(4), axis=(1, 2)).max()");
    let err = &matmul(&a, &ainv)? - &Array::eye(4);
    let per_matrix = err.powi(2).sum_axis(-1, false)?.sum_axis(-1, false)?.sqrt();
    let worst = per_matrix.max().expect("non-empty stack");
    println!("{worst:.3e}");
    println!(
        "ainv.shape = {}; inverted in {:.2} ms (timing varies)",
        tup(ainv.shape()),
        elapsed.as_secs_f64() * 1e3
    );
    check(
        worst < 1e-10,
        "a @ inv(a) == I for every matrix of the stack",
    );
    Ok(())
}

fn neural_network() -> Result<(), LinalgError> {
    heading("A tiny neural network: forward pass");
    np("x = rng.standard_normal((8, 4))                      # batch of 8, 4 features");
    np("w1 = rng.standard_normal((4, 16)) * 0.5; b1 = np.zeros(16)");
    np("w2 = rng.standard_normal((16, 3)) * 0.5; b2 = np.array([0.1, 0., -0.1])");
    let mut rng = default_rng(3);
    let x = rng.standard_normal::<f64>(&[8, 4]);
    let w1 = &rng.standard_normal::<f64>(&[4, 16]) * 0.5;
    let b1 = Array::<f64>::zeros(&[16]);
    let w2 = &rng.standard_normal::<f64>(&[16, 3]) * 0.5;
    let b2 = array![0.1, 0.0, -0.1];
    np("h = np.maximum(x @ w1 + b1, 0)                       # ReLU");
    let h = (&matmul(&x, &w1)? + &b1).mapv(|v| v.max(0.0));
    np("z = h @ w2 + b2");
    let z = &matmul(&h, &w2)? + &b2;
    np("e = np.exp(z - z.max(axis=1, keepdims=True)); p = e / e.sum(axis=1, keepdims=True)");
    let e = (&z - &z.max_axis(1, true)?).exp();
    let p = &e / &e.sum_axis(1, true)?;
    np("p.shape");
    println!("{}", tup(p.shape()));
    np("p[:3]");
    println!("{:?}", p.slice(s![..3, ..]));
    np("p.sum(axis=1)");
    let sums = p.sum_axis(1, false)?;
    println!("{sums:?}");
    check(p.shape() == [8, 3], "p.shape == (8, 3)");
    check(
        sums.iter().all(|&s| (s - 1.0).abs() < 1e-12),
        "softmax rows sum to 1",
    );
    check(h.iter().all(|&v| v >= 0.0), "ReLU output is non-negative");
    Ok(())
}
