//! numpy-port style code with untyped float literals must compile without annotations: the
//! linalg functions are generic over real and complex elements, and the real-valued results
//! (`svdvals`, `eigvalsh`, `norm`, `cond`, …) are `Array<T::Float>`. These calls are what a
//! user writes first; a signature change that needs `Array::<f64>` here is an API break.

use lapis::linalg::{self, Uplo};
use lapis::{allclose, array};

#[test]
fn untyped_literals_infer_through_every_linalg_result() -> Result<(), lapis::LinalgError> {
    let a = array![[2., 1.], [1., 3.]];
    // numpy: np.linalg.svdvals(a), eigvalsh(a)  -> (5 ± √5)/2
    let (hi, lo) = ((5. + 5f64.sqrt()) / 2., (5. - 5f64.sqrt()) / 2.);
    let s = linalg::svdvals(&a)?;
    assert_eq!(s.shape(), &[2]);
    assert!(allclose(&s, &array![hi, lo])?);
    let w = linalg::eigvalsh(&a, Uplo::Lower)?;
    assert!(allclose(&w, &array![lo, hi])?);
    let r = linalg::eigh(&a, Uplo::Lower)?;
    assert!(allclose(&r.eigenvalues, &w)?);
    assert_eq!(r.eigenvectors.shape(), &[2, 2]);
    // eig/eigvals (generic over real and complex input) infer as well; a scalar taken out of
    // them before arithmetic needs the annotation below, as `norm` does.
    let e = linalg::eig(&a)?;
    assert_eq!(
        (e.eigenvalues.shape(), e.eigenvectors.shape()),
        (&[2][..], &[2, 2][..])
    );
    assert_eq!(linalg::eigvals(&a)?.shape(), &[2]);
    let w0: lapis::c64 = e.eigenvalues[[0]];
    assert!((w0.re - lo).abs() < 1e-14 && w0.im == 0.0);
    let svd = linalg::svd(&a, false, true)?;
    assert_eq!(svd.s().shape(), &[2]);
    // numpy: np.linalg.norm(a) = √15, np.linalg.cond(a) = hi / lo. The one place an
    // annotation is needed: a scalar taken out of a real-valued result (`T::Float` of a
    // literal type not yet fixed) before arithmetic and a method call on it.
    let n: f64 = linalg::norm(&a, None, None, false)?.into_scalar()?;
    assert!((n - 15f64.sqrt()).abs() < 1e-14);
    let c: f64 = linalg::cond(&a, None)?.into_scalar()?;
    assert!((c - hi / lo).abs() < 1e-13 * c);
    let x = linalg::solve(&a, &array![5., 10.])?;
    assert!(allclose(&x, &array![1., 3.])?);
    let l = linalg::lstsq(&a, &array![5., 10.], None)?;
    assert_eq!(l.rank, 2);
    assert!(allclose(&l.x, &x)?);
    let d = linalg::slogdet(&a)?;
    assert!(allclose(&d.logabsdet, &array![5f64.ln()].into_shape(&[])?)?);
    Ok(())
}
