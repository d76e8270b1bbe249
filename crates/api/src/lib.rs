//! # lapis
//!
//! numpy.linalg and the everyday part of scipy.linalg in pure Rust. The n-d array surface
//! and the `linalg` front door are built here on the kernels of [`lapis_kernels`] and the
//! factorizations of [`lapis_factor`].
//!
//! ```
//! use lapis::{array, matmul, s};
//! // numpy: a = np.array([[1., 2.], [3., 4.]]); a @ a.T
//! let a = array![[1., 2.], [3., 4.]];
//! let c = matmul(&a, &a.t()).unwrap();
//! assert_eq!(c, array![[5., 11.], [11., 25.]]);
//! // numpy: a[:, ::-1] + 1
//! assert_eq!(&a.slice(s![.., ..;-1]) + 1.0, array![[3., 2.], [5., 4.]]);
//! ```
//!
//! * [`Array`], [`ArrayView`], [`ArrayViewMut`]: n-d arrays with numpy's layout, slicing
//!   ([`s!`]), broadcasting arithmetic, reductions and printing.
//! * Element types in numpy's hierarchy ([`Number`], [`RealNumber`], [`Inexact`]): `f32`,
//!   `f64`, integers, `bool`, and the complex [`c32`] (`complex64`) and [`c64`]
//!   (`complex128`), which take arithmetic, `sqrt`/`exp`, printing, `.npy` and every product.
//! * Products with numpy's shape rules: [`matmul`], [`dot`], [`inner`], [`outer`], [`vdot`],
//!   [`cross`], [`trace`], [`kron`], [`tensordot`], [`matrix_power`], [`multi_dot`].
//! * [`linalg`]: numpy.linalg's and scipy.linalg's `solve`, `inv`, `det`, `slogdet`,
//!   `cholesky`, `qr`, `lstsq`, `lu`, `lu_factor`/`lu_solve`, `cho_factor`/`cho_solve`,
//!   `solve_triangular`, on matrices and stacks of them, and the rest of numpy 2's
//!   `numpy.linalg` names (`vector_norm`, `matrix_norm`, `vecdot`, `tensorsolve`, …).
//! * [`LinalgError`]: every failure as data.
//! * [`random`]: seeded, platform-independent random arrays.

#![forbid(unsafe_code)]

pub use lapis_kernels as kernels;
pub use lapis_kernels::Scalar;

mod array;
pub mod config;
mod element;
mod error;
pub mod interop;
pub mod io;
pub mod linalg;
mod product;
pub mod random;

pub use array::{
    Array, ArrayBase, ArrayView, ArrayViewMut, CowArray, CowRepr, Data, DataMut, IndexElement,
    Indexing, IsView, Iter, NewAxis, Side, SliceArg, SliceInfo, allclose, allclose_with,
    broadcast_shapes, concatenate, diag, diagflat, hstack, isclose, isclose_with, meshgrid, split,
    split_indices, stack, vstack, where_,
};
pub use element::{CastInto, Complex, Element, Inexact, Number, RealNumber, Signed, c32, c64};
pub use error::LinalgError;
pub use product::{
    TensorAxes, cross, dot, einsum, inner, kron, matmul, matrix_power, multi_dot, outer, tensordot,
    trace, vdot,
};
