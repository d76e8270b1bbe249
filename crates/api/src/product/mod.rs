//! Products with numpy's exact shape rules, all running on [`lapis_kernels::gemm`] through
//! zero-copy [`as_mat`](crate::ArrayBase::as_mat) views: [`matmul`] (stacks, 1-D
//! promotion), [`dot`] (numpy's contraction, different from `matmul` for 3-D+), [`inner`],
//! [`outer`], [`vdot`], [`tensordot`], [`kron`], [`cross`], [`trace`], [`matrix_power`],
//! [`multi_dot`] (optimal chain order).
//!
//! Products need an [`Inexact`](crate::Inexact) element type (`f32`, `f64`, `c32`, `c64`),
//! since they run on the GEMM kernels: a complex product is four real GEMMs over the
//! interleaved parts, read in place (see `gemm.rs`). The results are new C-ordered arrays.
//! Like numpy's, [`dot`], [`inner`], [`outer`] and [`matmul`] never conjugate; [`vdot`]
//! conjugates its first argument.

mod chain;
mod cross;
mod dot;
mod einsum;
mod gemm;
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

pub(crate) use gemm::{MatSlice, PAR_WORK, gemm_into, gemm_new};
