//! Products with numpy's exact shape rules, all running on [`lapis_kernels::gemm`] through
//! zero-copy [`as_mat`](crate::ArrayBase::as_mat) views: [`matmul`] (stacks, 1-D
//! promotion), [`dot`] (numpy's contraction, different from `matmul` for 3-D+), [`inner`],
//! [`outer`], [`vdot`], [`tensordot`], [`kron`], [`cross`], [`trace`], [`matrix_power`],
//! [`multi_dot`] (optimal chain order).
//!
//! Products need a float element type ([`Scalar`](crate::Scalar): `f32`, `f64`), since
//! they run on the GEMM kernels; the results are new C-ordered arrays.

mod chain;
mod cross;
mod dot;
mod einsum;
mod matmul;
mod outer;
mod power;
mod trace;

pub use chain::multi_dot;
pub use cross::cross;
pub use dot::{TensorAxes, dot, inner, tensordot, vdot};
pub use einsum::einsum;
pub use matmul::matmul;
pub use outer::{kron, outer};
pub use power::matrix_power;
pub use trace::trace;

use lapis_kernels::{MatRef, Par, gemm};

use crate::{Array, Number, Scalar};

/// Work (multiply–adds) above which a single product may use several threads.
pub(crate) const PAR_WORK: usize = 1 << 16;

/// `A·B` of two kernel views into a new C-ordered `m × n` array.
pub(crate) fn gemm_new<T: Scalar + Number>(a: MatRef<'_, T>, b: MatRef<'_, T>) -> Array<T> {
    let (m, n) = (a.nrows(), b.ncols());
    let mut c = Array::<T>::zeros(&[m, n]);
    let work = m.saturating_mul(n).saturating_mul(a.ncols());
    let cm = c.as_mat_mut().expect("a fresh 2-D array is a valid matrix");
    let run = |par: Par| {
        gemm(<T as Number>::one(), a, b, <T as Number>::zero(), cm, par)
            .expect("shapes checked by the caller")
    };
    // The thread count comes from `config` (set_num_threads, with_num_threads, env).
    if work >= PAR_WORK {
        crate::config::install(run);
    } else {
        run(Par::Seq);
    }
    c
}
