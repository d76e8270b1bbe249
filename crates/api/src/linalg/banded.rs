//! `solve_banded`: scipy's `scipy.linalg.solve_banded((l, u), ab, b)`.

use lapis_factor::banded;
use lapis_kernels::MatMut;

use super::convert::conv;
use crate::{Array, ArrayBase, Data, LinalgError, Number, Scalar};

/// The solution of `A·x = b` for a band matrix `A` with `l` subdiagonals and `u`
/// superdiagonals given in scipy's diagonal-ordered form (scipy's
/// `scipy.linalg.solve_banded((l, u), ab, b)`; LAPACK `gbsv`, `gtsv` for `l = u = 1`).
///
/// `ab` is `(l + u + 1, n)` with `ab[u + i − j, j] = a[i, j]` (the entries outside the matrix,
/// top-left and bottom-right corners, are ignored); `b` is `(n,)` or `(n, k)`, and `x` has
/// `b`'s shape. Work is `O(n·l·(l + u))` per right-hand side, with partial pivoting.
///
/// Errors: [`LinalgError::Shape`] naming both shapes when `ab` does not have `l + u + 1`
/// rows (scipy: "invalid values for the number of lower and upper diagonals") or `b` does
/// not have `n` rows (scipy: "shapes of ab and b are not compatible"), or `ab`/`b` have the
/// wrong number of axes; [`LinalgError::Singular`] (scipy's "singular matrix") for an
/// exactly zero pivot; [`LinalgError::NonFinite`] (scipy's `check_finite=True`).
///
/// ```
/// use lapis::{array, linalg};
/// // scipy: a = [[4, 1, 0], [2, 5, 1], [0, 2, 6]] in banded form, (l, u) = (1, 1)
/// let ab = array![[0., 1., 1.], [4., 5., 6.], [2., 2., 0.]];
/// let x = linalg::solve_banded((1, 1), &ab, &array![6., 15., 22.]).unwrap();
/// assert!(lapis::allclose(&x, &array![1., 2., 3.]).unwrap());
/// ```
pub fn solve_banded<T, S1, S2>(
    (l, u): (usize, usize),
    ab: &ArrayBase<S1>,
    b: &ArrayBase<S2>,
) -> Result<Array<T>, LinalgError>
where
    T: Scalar + Number,
    S1: Data<Elem = T>,
    S2: Data<Elem = T>,
{
    const OP: &str = "solve_banded";
    let shapes: [&[usize]; 2] = [ab.shape(), b.shape()];
    if ab.ndim() != 2 {
        return Err(LinalgError::shape(
            OP,
            &shapes,
            "ab must be two-dimensional",
        ));
    }
    if b.ndim() == 0 || b.ndim() > 2 {
        return Err(LinalgError::shape(
            OP,
            &shapes,
            "b must be one- or two-dimensional",
        ));
    }
    let rows = l.checked_add(u).and_then(|x| x.checked_add(1));
    if rows != Some(ab.shape()[0]) {
        return Err(LinalgError::shape(
            OP,
            &shapes,
            format!(
                "invalid values for the number of lower and upper diagonals: l+u+1 ({}) does not equal ab.shape[0] ({})",
                rows.map_or_else(|| "overflow".to_string(), |r| r.to_string()),
                ab.shape()[0]
            ),
        ));
    }
    let n = ab.shape()[1];
    if b.shape()[0] != n {
        return Err(LinalgError::shape(
            OP,
            &shapes,
            "shapes of ab and b are not compatible.",
        ));
    }
    let k = if b.ndim() == 1 { 1 } else { b.shape()[1] };
    let mut x: Vec<T> = b.iter().copied().collect();
    if n > 0 && k > 0 {
        let xm = MatMut::from_row_major(&mut x, n, k).expect("n × k");
        banded::solve_banded(l, u, ab.as_mat()?, xm).map_err(conv(OP, &shapes))?;
    }
    Array::from_shape_vec(b.shape(), x)
}
