//! `gemm`: `C ← A·B`, column-major, shape `[m, n, k]` (`A` m×k, `B` k×n).

use std::sync::OnceLock;

use lapis_kernels::{MatMut, MatRef};

use super::{BenchOp, Ctx, Dtype, Impl, Prepared, Verdict};
use crate::BenchScalar;
use crate::rng::Rng;

/// The GEMM op.
#[derive(Clone, Copy, Debug)]
pub struct Gemm;

impl BenchOp for Gemm {
    fn name(&self) -> &'static str {
        "gemm"
    }

    fn default_sizes(&self, quick: bool) -> Vec<usize> {
        if quick {
            vec![4, 16, 64, 256, 512, 1024]
        } else {
            vec![4, 8, 16, 32, 64, 256, 512, 1024, 2048]
        }
    }

    fn shape_for_size(&self, n: usize) -> Vec<usize> {
        vec![n, n, n]
    }

    fn extra_shapes(&self, _quick: bool) -> Vec<Vec<usize>> {
        // Panels: a tall-skinny product and a rank-64 update (the shape LU/QR trailing
        // updates have).
        vec![vec![2048, 64, 64], vec![2048, 2048, 64]]
    }

    fn flops(&self, shape: &[usize]) -> Option<f64> {
        let [m, n, k] = shape else { return None };
        Some(2.0 * *m as f64 * *n as f64 * *k as f64)
    }

    fn prepare(&self, dtype: Dtype, shape: &[usize], seed: u64) -> Box<dyn Prepared> {
        let (m, n, k) = (shape[0], shape[1], shape[2]);
        match dtype {
            Dtype::F32 => Box::new(GemmCase::<f32>::new(m, n, k, seed)),
            Dtype::F64 => Box::new(GemmCase::<f64>::new(m, n, k, seed)),
        }
    }
}

/// Inputs and per-implementation outputs of one GEMM case.
struct GemmCase<T> {
    m: usize,
    n: usize,
    k: usize,
    a: Vec<T>,
    b: Vec<T>,
    /// Outputs, indexed like [`Impl::ALL`].
    c: [Vec<T>; 3],
    /// `|A|·|B|` in f64, the scale of the rounding error bound (computed on first use).
    abs_ab: OnceLock<Vec<f64>>,
}

fn slot(imp: Impl) -> usize {
    match imp {
        Impl::Lapis => 0,
        Impl::OpenBlas => 1,
        Impl::Faer => 2,
    }
}

impl<T: BenchScalar> GemmCase<T> {
    fn new(m: usize, n: usize, k: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let a = rng.fill(m * k);
        let b = rng.fill(k * n);
        // Outputs start as NaN so an implementation that writes nothing is caught.
        let c = std::array::from_fn(|_| vec![T::nan(); m * n]);
        GemmCase {
            m,
            n,
            k,
            a,
            b,
            c,
            abs_ab: OnceLock::new(),
        }
    }

    fn abs_product(&self) -> &[f64] {
        self.abs_ab.get_or_init(|| {
            let a: Vec<f64> = self
                .a
                .iter()
                .map(|x| lapis_kernels::Scalar::to_f64(*x).abs())
                .collect();
            let b: Vec<f64> = self
                .b
                .iter()
                .map(|x| lapis_kernels::Scalar::to_f64(*x).abs())
                .collect();
            let mut c = vec![0.0; self.m * self.n];
            let (m, n, k) = (self.m, self.n, self.k);
            let ok = lapis_kernels::gemm(
                1.0,
                MatRef::from_col_major(&a, m, k).expect("sized above"),
                MatRef::from_col_major(&b, k, n).expect("sized above"),
                0.0,
                MatMut::from_col_major(&mut c, m, n).expect("sized above"),
                lapis_kernels::Par::Seq,
            );
            if ok.is_err() {
                c.fill(f64::NAN);
            }
            c
        })
    }
}

impl<T: BenchScalar> Prepared for GemmCase<T> {
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String> {
        let (m, n, k) = (self.m, self.n, self.k);
        let c = &mut self.c[slot(imp)];
        match imp {
            Impl::Lapis => {
                let a = MatRef::from_col_major(&self.a, m, k).map_err(|e| e.to_string())?;
                let b = MatRef::from_col_major(&self.b, k, n).map_err(|e| e.to_string())?;
                let c = MatMut::from_col_major(c, m, n).map_err(|e| e.to_string())?;
                lapis_kernels::gemm(T::one(), a, b, T::zero(), c, ctx.lapis_par())
                    .map_err(|e| e.to_string())
            }
            Impl::OpenBlas => {
                ctx.openblas()?
                    .gemm(m, n, k, T::one(), &self.a, &self.b, T::zero(), c)
            }
            Impl::Faer => {
                crate::faer::gemm(m, n, k, &self.a, &self.b, c, ctx.faer_par());
                Ok(())
            }
        }
    }

    /// `max_ij |Cx − Cy|_ij / (|A|·|B|)_ij`, bounded by `2·k·ε`: each answer is within
    /// `k·u·(|A||B|)_ij` of the exact product whatever the summation order (u = ε/2).
    fn compare(&self, x: Impl, y: Impl) -> Verdict {
        let scale = self.abs_product();
        let (cx, cy) = (&self.c[slot(x)], &self.c[slot(y)]);
        let mut worst = 0.0f64;
        for ((&p, &q), &s) in cx.iter().zip(cy).zip(scale) {
            let d = (lapis_kernels::Scalar::to_f64(p) - lapis_kernels::Scalar::to_f64(q)).abs()
                / s.max(f64::MIN_POSITIVE);
            if d.is_nan() || d > worst {
                worst = d;
                if d.is_nan() {
                    break;
                }
            }
        }
        let eps = lapis_kernels::Scalar::to_f64(T::EPS);
        Verdict {
            rel_err: worst,
            tol: 2.0 * self.k.max(1) as f64 * eps,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peers_agree_and_a_wrong_answer_is_caught() {
        let ctx = Ctx {
            threads: 1,
            openblas: None,
        };
        let mut case = GemmCase::<f64>::new(37, 29, 41, 5);
        case.run(Impl::Lapis, &ctx).unwrap();
        case.run(Impl::Faer, &ctx).unwrap();
        let v = case.compare(Impl::Faer, Impl::Lapis);
        assert!(v.ok(), "{v:?}");
        assert!(case.run(Impl::OpenBlas, &ctx).is_err());
        case.c[slot(Impl::Faer)][100] += 1e-6;
        let v = case.compare(Impl::Faer, Impl::Lapis);
        assert!(!v.ok(), "{v:?}");
        case.c[slot(Impl::Faer)][100] = f64::NAN;
        assert!(!case.compare(Impl::Faer, Impl::Lapis).ok());
        assert_eq!(Gemm.flops(&[2, 3, 4]), Some(48.0));
    }
}
