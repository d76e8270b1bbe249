//! Errors of the kernel layer: only shapes can be wrong here.

use core::fmt;

/// A kernel was called with operands whose shapes do not fit together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KernelError {
    /// The named operands' shapes (rows, columns) are inconsistent for `op`.
    Shape {
        /// The kernel (`"gemm"`, `"trsm"`, …).
        op: &'static str,
        /// Each operand's name and shape.
        shapes: Vec<(&'static str, (usize, usize))>,
    },
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KernelError::Shape { op, shapes } => {
                write!(f, "{op}: operand shapes do not match:")?;
                for (i, (name, (r, c))) in shapes.iter().enumerate() {
                    let sep = if i == 0 { " " } else { ", " };
                    write!(f, "{sep}{name} is {r}x{c}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for KernelError {}
