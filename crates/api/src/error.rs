//! [`LinalgError`]: every way a Lapis call can fail, as data.
//!
//! Each variant carries what a user needs to act on the failure (both shapes, the pivot
//! index, the failing minor, the offending axis). The `Display` text follows numpy's error
//! messages where numpy has one, so ported code and its logs read the same.

use core::fmt;

/// Why a Lapis function returned no result.
///
/// ```
/// use lapis::{array, LinalgError};
/// // numpy: np.matmul(np.ones((2, 3)), np.ones((4, 5)))  -> ValueError
/// let a = lapis::Array::<f64>::ones(&[2, 3]);
/// let b = lapis::Array::<f64>::ones(&[4, 5]);
/// let err = lapis::matmul(&a, &b).unwrap_err();
/// assert!(matches!(err, LinalgError::Shape { op: "matmul", .. }));
/// assert!(err.to_string().contains("(2, 3)") && err.to_string().contains("(4, 5)"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LinalgError {
    /// The operands' shapes do not fit together for `op`.
    Shape {
        /// The function (`"matmul"`, `"dot"`, `"solve"`, …).
        op: &'static str,
        /// Every operand's shape, in argument order.
        shapes: Vec<Vec<usize>>,
        /// What does not match, in numpy's words.
        reason: String,
    },
    /// The shapes cannot be broadcast against each other (numpy's rules).
    Broadcast {
        /// Every operand's shape, in argument order.
        shapes: Vec<Vec<usize>>,
    },
    /// The last two dimensions of the input are not square.
    NotSquare {
        /// The input's shape.
        shape: Vec<usize>,
    },
    /// The matrix is singular: the pivot at `index` (0-based) is exactly zero.
    Singular {
        /// The 0-based index of the zero pivot.
        index: usize,
    },
    /// The matrix is not positive definite: the leading minor of order `minor` is not positive.
    NotPositiveDefinite {
        /// The order (1-based, as LAPACK's `info`) of the failing leading minor.
        minor: usize,
    },
    /// The input holds infinities or NaNs where finite numbers are required.
    NonFinite,
    /// An iterative algorithm did not converge.
    NoConvergence {
        /// How many iterations ran before giving up.
        iterations: usize,
    },
    /// The number of elements (or a byte count) overflows `usize`.
    SizeOverflow,
    /// An axis argument is outside `-ndim..ndim`.
    AxisOutOfBounds {
        /// The axis as given (may be negative).
        axis: isize,
        /// The number of dimensions of the array.
        ndim: usize,
    },
    /// An index is outside `-size..size` along its axis.
    IndexOutOfBounds {
        /// The index as given (may be negative).
        index: isize,
        /// The axis indexed.
        axis: usize,
        /// The length of that axis.
        size: usize,
    },
    /// The new shape does not hold the same number of elements.
    Reshape {
        /// The number of elements of the array.
        size: usize,
        /// The requested shape (`-1` marks an inferred dimension).
        shape: Vec<isize>,
    },
    /// An argument is invalid for `op` (numpy's `ValueError` with a message).
    InvalidArgument {
        /// The function.
        op: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The operation needs functionality that Lapis does not have yet.
    Unsupported {
        /// The function.
        op: &'static str,
        /// What is missing.
        message: String,
    },
    /// Reading or writing failed in the operating system (file not found, disk full, …).
    Io {
        /// The error's kind, as `std::io` reports it.
        kind: std::io::ErrorKind,
        /// The operating system's message (with the path when there is one).
        message: String,
    },
    /// The bytes are not a valid file of `format` (`"npy"`, `"npz"`): what is wrong.
    Format {
        /// The file format.
        format: &'static str,
        /// What is wrong, with the offending value.
        message: String,
    },
}

/// Formats a shape as numpy prints a tuple: `(2, 3)`, `(3,)`, `()`.
pub(crate) fn fmt_shape(shape: &[usize]) -> String {
    match shape {
        [] => "()".to_string(),
        [n] => format!("({n},)"),
        _ => {
            let parts: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
            format!("({})", parts.join(", "))
        }
    }
}

/// numpy's compact tuple form used in broadcast errors: `(2,3)`, `(3,)`.
fn fmt_shape_compact(shape: &[usize]) -> String {
    match shape {
        [n] => format!("({n},)"),
        _ => {
            let parts: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
            format!("({})", parts.join(","))
        }
    }
}

impl fmt::Display for LinalgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinalgError::Shape { op, shapes, reason } => {
                write!(f, "{op}: {reason} (shapes ")?;
                for (i, s) in shapes.iter().enumerate() {
                    if i > 0 {
                        write!(f, " and ")?;
                    }
                    write!(f, "{}", fmt_shape(s))?;
                }
                write!(f, ")")
            }
            LinalgError::Broadcast { shapes } => {
                write!(f, "operands could not be broadcast together with shapes")?;
                for s in shapes {
                    write!(f, " {}", fmt_shape_compact(s))?;
                }
                Ok(())
            }
            LinalgError::NotSquare { shape } => write!(
                f,
                "Last 2 dimensions of the array must be square (shape {})",
                fmt_shape(shape)
            ),
            LinalgError::Singular { index } => {
                write!(f, "Singular matrix (zero pivot at index {index})")
            }
            LinalgError::NotPositiveDefinite { minor } => write!(
                f,
                "Matrix is not positive definite (leading minor of order {minor} is not positive)"
            ),
            LinalgError::NonFinite => write!(f, "Array must not contain infs or NaNs"),
            LinalgError::NoConvergence { iterations } => {
                write!(f, "did not converge after {iterations} iterations")
            }
            LinalgError::SizeOverflow => write!(f, "array is too big; the size overflows usize"),
            LinalgError::AxisOutOfBounds { axis, ndim } => {
                write!(
                    f,
                    "axis {axis} is out of bounds for array of dimension {ndim}"
                )
            }
            LinalgError::IndexOutOfBounds { index, axis, size } => {
                write!(
                    f,
                    "index {index} is out of bounds for axis {axis} with size {size}"
                )
            }
            LinalgError::Reshape { size, shape } => {
                let parts: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
                let s = if parts.len() == 1 {
                    format!("({},)", parts[0])
                } else {
                    format!("({})", parts.join(", "))
                };
                write!(f, "cannot reshape array of size {size} into shape {s}")
            }
            LinalgError::InvalidArgument { op, message } => write!(f, "{op}: {message}"),
            LinalgError::Unsupported { op, message } => write!(f, "{op}: {message}"),
            LinalgError::Io { message, .. } => write!(f, "I/O error: {message}"),
            LinalgError::Format { format, message } => {
                write!(f, "invalid .{format} file: {message}")
            }
        }
    }
}

impl std::error::Error for LinalgError {}

impl LinalgError {
    /// Shorthand for [`LinalgError::Shape`].
    pub(crate) fn shape(op: &'static str, shapes: &[&[usize]], reason: impl Into<String>) -> Self {
        LinalgError::Shape {
            op,
            shapes: shapes.iter().map(|s| s.to_vec()).collect(),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`LinalgError::InvalidArgument`].
    pub(crate) fn invalid(op: &'static str, message: impl Into<String>) -> Self {
        LinalgError::InvalidArgument {
            op,
            message: message.into(),
        }
    }
}
