//! # lapis-kernels
//!
//! Layer 1 of Lapis: strided matrix views ([`MatRef`], [`MatMut`]), run-time ISA dispatch
//! ([`arch()`], `LAPIS_ARCH`) and the BLAS-level kernels the factorizations are built on,
//! starting with [`gemm()`]. The only crate of Lapis with `unsafe` code; every block says why
//! it holds.

pub mod arch;
mod blas1;
mod buffer;
mod error;
mod finite;
pub mod gemm;
mod gemv;
mod ger;
mod laswp;
mod mat;
mod par;
mod potf2;
pub mod reference;
mod scalar;
mod symv;
mod syr2;
mod syrk;
mod team;
pub mod tiny;
mod trmm;
mod trsm;
mod trsm_leaf;

pub use arch::cache::{CacheSizes, cache_sizes};
pub use arch::{ArchError, Isa, arch, detected, set_arch};
pub use blas1::{axpy, dot, iamax, nrm2, rot, rotg, scal};
pub use error::KernelError;
pub use finite::all_finite;
pub use gemm::gemm;
pub use gemv::gemv;
pub use ger::ger;
pub use laswp::{laswp, swap_rows};
pub use mat::{MatMut, MatRef, ViewError};
pub use par::Par;
pub use potf2::potf2;
pub use scalar::Scalar;
pub use symv::{Sweep, symv, symv_column_ranges, symv_sweep, symv_sweep_team};
pub use syr2::syr2;
pub use syrk::syrk;
pub use team::{Team, with_team};
pub use trmm::trmm;
pub use trsm::{Diag, Side, Uplo, trsm};
