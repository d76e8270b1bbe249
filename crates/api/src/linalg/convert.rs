//! [`FactorError`] → [`LinalgError`], in one place.
//!
//! The factorization layer speaks in matrices (`rows × cols`, pivot vectors); the user called
//! a function on n-d arrays. The conversion keeps the numbers the user needs (pivot index,
//! failing minor, iteration count) and replaces the factorization's matrix shapes by the
//! shapes of the arrays the user passed.

use lapis_factor::FactorError;

use crate::LinalgError;

/// The conversion for a call of `op` on arrays of `shapes` (in argument order).
pub(crate) fn factor_error(op: &'static str, shapes: &[&[usize]], e: FactorError) -> LinalgError {
    match e {
        FactorError::Singular { index } => LinalgError::Singular { index },
        FactorError::NotPositiveDefinite { minor } => LinalgError::NotPositiveDefinite { minor },
        FactorError::NonFinite => LinalgError::NonFinite,
        FactorError::NoConvergence { iterations } => LinalgError::NoConvergence { iterations },
        FactorError::NotSquare { .. } => LinalgError::NotSquare {
            shape: shapes.first().map(|s| s.to_vec()).unwrap_or_default(),
        },
        e @ FactorError::Shape { .. } => LinalgError::shape(op, shapes, e.to_string()),
        e @ (FactorError::InvalidPivot { .. } | FactorError::InvalidArgument { .. }) => {
            LinalgError::invalid(op, e.to_string())
        }
        e => LinalgError::invalid(op, e.to_string()),
    }
}

/// [`factor_error`] as a closure, for `map_err`.
pub(crate) fn conv<'s>(
    op: &'static str,
    shapes: &'s [&'s [usize]],
) -> impl Fn(FactorError) -> LinalgError + 's {
    move |e| factor_error(op, shapes, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_numbers() {
        let s: &[&[usize]] = &[&[2, 3]];
        assert_eq!(
            factor_error("inv", s, FactorError::Singular { index: 2 }),
            LinalgError::Singular { index: 2 }
        );
        assert_eq!(
            factor_error("cholesky", s, FactorError::NotPositiveDefinite { minor: 1 }),
            LinalgError::NotPositiveDefinite { minor: 1 }
        );
        assert_eq!(
            factor_error("inv", s, FactorError::NotSquare { nrows: 2, ncols: 3 }),
            LinalgError::NotSquare { shape: vec![2, 3] }
        );
        assert!(matches!(
            factor_error(
                "lu_solve",
                s,
                FactorError::InvalidPivot {
                    index: 0,
                    pivot: 9,
                    nrows: 2
                }
            ),
            LinalgError::InvalidArgument { op: "lu_solve", .. }
        ));
    }
}
