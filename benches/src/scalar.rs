//! The element types every implementation under test accepts.

use crate::openblas::{GemmFn, OpenBlas};
use crate::ops::Dtype;

/// `f32` or `f64`: a lapis [`Scalar`](lapis_kernels::Scalar) that faer also accepts (as a real
/// field, for its real-only drivers such as `evd_real`), with a
/// way to pick the matching OpenBLAS entry points.
pub trait BenchScalar:
    lapis_kernels::Scalar + ::faer::traits::ComplexField + ::faer::traits::RealField
{
    /// The dtype tag used in records.
    const DTYPE: Dtype;
    /// `cblas_sgemm` or `cblas_dgemm`.
    fn openblas_gemm(ob: &OpenBlas) -> GemmFn<Self>;
}

impl BenchScalar for f32 {
    const DTYPE: Dtype = Dtype::F32;
    fn openblas_gemm(ob: &OpenBlas) -> GemmFn<Self> {
        ob.sgemm
    }
}

impl BenchScalar for f64 {
    const DTYPE: Dtype = Dtype::F64;
    fn openblas_gemm(ob: &OpenBlas) -> GemmFn<Self> {
        ob.dgemm
    }
}
