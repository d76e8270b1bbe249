//! The complex product on split planes: four real GEMMs.

use lapis_kernels::{Par, Scalar};

use super::{CMatMut, CMatRef};
use crate::FactorError;

/// Whether an operand of [`gemm`] is read as is or conjugated (combine with
/// [`CMatRef::transpose`] for LAPACK's `'C'`, the conjugate transpose).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conj {
    /// The operand as stored.
    No,
    /// Its complex conjugate.
    Yes,
}

impl Conj {
    fn sign<T: Scalar>(self) -> T {
        match self {
            Conj::No => T::one(),
            Conj::Yes => -T::one(),
        }
    }
}

/// `C ← α·opc(A)·opc(B) + β·C` for complex matrices in split storage, with real `α`, `β`
/// (what the factorizations need: `±1` and `0`), `opc` the optional conjugation.
///
/// With `sa`, `sb` the signs of the imaginary parts (−1 when conjugated):
/// `Cr ← α(Ar·Br − sa·sb·Ai·Bi) + β·Cr` and `Ci ← α(sb·Ar·Bi + sa·Ai·Br) + β·Ci`, four
/// real GEMMs on the real kernels (each plane is accumulated in place, no temporaries).
/// β = 0 ignores NaN in `C`, as BLAS.
///
/// ```
/// use lapis_factor::complex::{CMat, Complex, Conj, gemm};
/// use lapis_kernels::Par;
/// // numpy: np.array([[1+1j, 2]]).conj() @ np.array([[1j], [1]])  -> [[3+1j]]
/// let a = CMat::from_interleaved(&[1.0, 1.0, 2.0, 0.0], 1, 2, 4, 2);
/// let b = CMat::from_interleaved(&[0.0, 1.0, 1.0, 0.0], 2, 1, 2, 2);
/// let mut c = CMat::zeros(1, 1);
/// gemm(1.0, a.as_ref(), Conj::Yes, b.as_ref(), Conj::No, 0.0, c.as_mut(), Par::Seq).unwrap();
/// assert_eq!(c.as_ref().get(0, 0), Complex::new(3.0, 1.0));
/// ```
pub fn gemm<T: Scalar>(
    alpha: T,
    a: CMatRef<'_, T>,
    conj_a: Conj,
    b: CMatRef<'_, T>,
    conj_b: Conj,
    beta: T,
    mut c: CMatMut<'_, T>,
    par: Par,
) -> Result<(), FactorError> {
    if a.ncols() != b.nrows() || a.nrows() != c.nrows() || b.ncols() != c.ncols() {
        return Err(FactorError::Shape {
            op: "complex::gemm",
            shapes: vec![("a", a.shape()), ("b", b.shape()), ("c", c.shape())],
        });
    }
    let (sa, sb) = (conj_a.sign::<T>(), conj_b.sign::<T>());
    let one = T::one();
    let (mut cr, mut ci) = c.planes();
    let kernel = lapis_kernels::gemm;
    kernel(alpha, a.re(), b.re(), beta, cr.rb(), par)?;
    kernel(-(alpha * sa * sb), a.im(), b.im(), one, cr.rb(), par)?;
    kernel(alpha * sb, a.re(), b.im(), beta, ci.rb(), par)?;
    kernel(alpha * sa, a.im(), b.re(), one, ci.rb(), par)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complex::test_util::sample;
    use crate::complex::{CMat, Complex};

    /// Every conjugation and transposition against a naive complex triple loop.
    #[test]
    fn matches_naive_products() {
        let (m, n, k) = (7, 5, 9);
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            for ca in [Conj::No, Conj::Yes] {
                for cb in [Conj::No, Conj::Yes] {
                    let a = if ta { sample(k, m, 1) } else { sample(m, k, 1) };
                    let b = if tb { sample(n, k, 2) } else { sample(k, n, 2) };
                    let av = if ta {
                        a.as_ref().transpose()
                    } else {
                        a.as_ref()
                    };
                    let bv = if tb {
                        b.as_ref().transpose()
                    } else {
                        b.as_ref()
                    };
                    let c0 = sample(m, n, 3);
                    let mut c = c0.clone();
                    gemm(-0.5, av, ca, bv, cb, 2.0, c.as_mut(), Par::Seq).unwrap();
                    let cj = |z: Complex<f64>, f: Conj| if f == Conj::Yes { z.conj() } else { z };
                    for i in 0..m {
                        for j in 0..n {
                            let mut acc = Complex::new(0.0, 0.0);
                            for l in 0..k {
                                acc += cj(av.get(i, l), ca) * cj(bv.get(l, j), cb);
                            }
                            let want = acc * -0.5 + c0.as_ref().get(i, j) * 2.0;
                            let got = c.as_ref().get(i, j);
                            assert!((got - want).norm() <= 1e-14 * k as f64, "{got} vs {want}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn shape_mismatch_names_all_operands() {
        let (a, b, mut c) = (
            CMat::<f64>::zeros(2, 3),
            CMat::zeros(2, 2),
            CMat::zeros(2, 2),
        );
        let e = gemm(
            1.0,
            a.as_ref(),
            Conj::No,
            b.as_ref(),
            Conj::No,
            0.0,
            c.as_mut(),
            Par::Seq,
        );
        assert!(matches!(e, Err(FactorError::Shape { .. })));
    }
}
