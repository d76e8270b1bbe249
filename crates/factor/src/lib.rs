//! # lapis-factor
//!
//! Layer 2 of Lapis: LAPACK-level factorizations (LU, Cholesky, QR, eigen, SVD) on
//! [`lapis_kernels::MatMut`] views, in place, with errors as values. Factorizations land
//! here one by one; each is built so that most of its flops run in the layer-1 kernels.
//!
//! * [`lu`]: `P·A = L·U` with partial pivoting (`getrf`), solves (`getrs`), inverse
//!   (`getri`), determinant, `slogdet`, and a 1-norm condition estimate (`gecon`).
//! * [`banded`]: banded LU with partial pivoting (`gbtrf`/`gbtrs`) for scipy's
//!   `solve_banded` band storage, with a tridiagonal fast path (`gtsv`).
//! * [`mixed`]: mixed precision solve (`dsgesv`): `f32` LU refined to `f64` accuracy, with an
//!   `f64` fallback.
//! * [`cholesky`]: `A = L·Lᵀ` / `A = Uᵀ·U` (`potrf`) and its solve (`potrs`).
//! * [`householder`]: elementary reflectors (`larfg`, `larf`) and compact-WY blocks
//!   (`larft`, `larfb`), shared by QR, the eigensolvers and the SVD.
//! * [`qr`]: `A = Q·R` (`geqrf`), forming `Q` (`orgqr`), applying it (`ormqr`), and
//!   column-pivoted QR (`geqp3`).
//! * [`eig`]: eigenvalues and right eigenvectors of a general real matrix (`geev`: balancing,
//!   Hessenberg reduction, Francis double-shift QR, back substitution on the Schur form).
//! * [`complex`]: complex matrices in split storage (real and imaginary planes) and the
//!   complex product on the real kernels, for the complex factorizations.
//! * [`lstsq`]: minimum-norm least squares by complete orthogonal decomposition (`gelsy`).
//!
//! Every function works in place on strided views of any layout, takes the parallelism
//! ([`Par`](lapis_kernels::Par)) it may use, and returns [`FactorError`] instead of
//! panicking on numerical data.

#![forbid(unsafe_code)]

pub use lapis_kernels as kernels;

pub mod banded;
pub mod cholesky;
pub mod complex;
pub mod eig;
pub mod eigh;
mod error;
pub mod householder;
pub mod lstsq;
pub mod lu;
pub mod mixed;
mod plane;
pub mod qr;
mod secular;
pub mod svd;
mod util;

pub use error::FactorError;
