//! Errors of the factorization layer: what went wrong, with the numbers a caller needs.

use core::fmt;

use lapis_kernels::KernelError;

/// Why a factorization, solve, inverse or estimate could not produce its result.
///
/// Numerical failures (a singular matrix, a matrix that is not positive definite, non-finite
/// input) are values of this type; nothing in `lapis-factor` panics on numerical data.
///
/// ```
/// use lapis_factor::FactorError;
/// // numpy: LinAlgError("Singular matrix")
/// let e = FactorError::Singular { index: 1 };
/// assert_eq!(e.to_string(), "singular matrix: U[1, 1] is exactly zero");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FactorError {
    /// The LU factor has an exactly zero pivot: `U[index, index] == 0` (0-based; the first
    /// such index). LAPACK's `info` is `index + 1`.
    Singular {
        /// 0-based position of the first zero on the diagonal of `U`.
        index: usize,
    },
    /// The leading principal submatrix of order `minor` (1-based, LAPACK's `info`) is not
    /// positive definite; Cholesky failed while factoring column `minor - 1`.
    NotPositiveDefinite {
        /// Order of the first leading minor that is not positive definite (`1..=n`).
        minor: usize,
    },
    /// A matrix that must be square is not.
    NotSquare {
        /// Rows of the offending matrix.
        nrows: usize,
        /// Columns of the offending matrix.
        ncols: usize,
    },
    /// Operands whose shapes do not fit together, each named with its `(rows, columns)`
    /// (a pivot vector of length `k` is shown as `k × 1`).
    Shape {
        /// The operation (`"lu::solve"`, `"gemm"`, …).
        op: &'static str,
        /// Each operand's name and shape.
        shapes: Vec<(&'static str, (usize, usize))>,
    },
    /// The input holds a NaN or an infinity (scipy's `check_finite`).
    NonFinite,
    /// A pivot vector entry points outside the matrix: `ipiv[index] = pivot >= nrows`.
    InvalidPivot {
        /// Position in the pivot vector.
        index: usize,
        /// The value found there.
        pivot: usize,
        /// Rows of the factored matrix.
        nrows: usize,
    },
    /// A scalar argument is outside its domain (for example a negative norm).
    InvalidArgument {
        /// The argument's name.
        name: &'static str,
    },
    /// An iterative algorithm (eigenvalues, singular values) did not converge within its
    /// iteration limit (LAPACK's `info > 0`; numpy's "… did not converge").
    NoConvergence {
        /// Iterations (QR sweeps) performed before giving up.
        iterations: usize,
    },
}

impl fmt::Display for FactorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FactorError::Singular { index } => {
                write!(f, "singular matrix: U[{index}, {index}] is exactly zero")
            }
            FactorError::NotPositiveDefinite { minor } => write!(
                f,
                "Matrix is not positive definite: the leading minor of order {minor} is not"
            ),
            FactorError::NotSquare { nrows, ncols } => write!(
                f,
                "last 2 dimensions of the array must be square: got {nrows}x{ncols}"
            ),
            FactorError::Shape { op, shapes } => {
                write!(f, "{op}: operand shapes do not match:")?;
                for (i, (name, (r, c))) in shapes.iter().enumerate() {
                    let sep = if i == 0 { " " } else { ", " };
                    write!(f, "{sep}{name} is {r}x{c}")?;
                }
                Ok(())
            }
            FactorError::NonFinite => write!(f, "array must not contain infs or NaNs"),
            FactorError::InvalidPivot {
                index,
                pivot,
                nrows,
            } => write!(
                f,
                "invalid pivot vector: ipiv[{index}] = {pivot} is not a row of a matrix with {nrows} rows"
            ),
            FactorError::InvalidArgument { name } => {
                write!(f, "invalid argument: {name} is out of its domain")
            }
            FactorError::NoConvergence { iterations } => {
                write!(f, "did not converge after {iterations} iterations")
            }
        }
    }
}

impl std::error::Error for FactorError {}

impl From<KernelError> for FactorError {
    fn from(e: KernelError) -> Self {
        match e {
            KernelError::Shape { op, shapes } => FactorError::Shape { op, shapes },
        }
    }
}
