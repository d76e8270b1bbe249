//! The one place the products meet the GEMM kernel: `C = A·B` for every [`Inexact`]
//! type, complex included.
//!
//! A complex matrix is two real strided matrices laid over the same memory: viewed as the
//! slice of its parts (`bytemuck`, no copy, no unsafe), the real parts sit at twice the
//! element offset, the imaginary parts one further, and both strides double. So
//! `C = A·B` is four real GEMMs on the real kernel,
//! `Cr = Ar·Br − Ai·Bi` and `Ci = Ar·Bi + Ai·Br`, the second of each pair accumulating
//! with β = 1 — the same flop count as a complex kernel (8 per complex multiply–add),
//! with the real kernel's blocking, packing and threads.

use lapis_kernels::{MatMut, MatRef, Par, gemm};

use crate::{Array, ArrayBase, Data, Inexact, LinalgError, Number, Scalar};

/// Work (multiply–adds) above which a single product may use several threads.
pub(crate) const PAR_WORK: usize = 1 << 16;

/// A 2-D strided operand inside a slice: what a kernel view is made of, kept apart so that
/// a complex operand can be split into its real and imaginary planes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MatSlice<'a, T> {
    pub(crate) data: &'a [T],
    pub(crate) offset: usize,
    pub(crate) nrows: usize,
    pub(crate) ncols: usize,
    pub(crate) row_stride: isize,
    pub(crate) col_stride: isize,
}

impl<T: Inexact, S: Data<Elem = T>> ArrayBase<S> {
    /// The operand of a product: a 2-D array read in place (any strides).
    pub(crate) fn mat_slice(&self) -> Result<MatSlice<'_, T>, LinalgError> {
        if self.ndim() != 2 {
            return Err(LinalgError::shape(
                "matmul",
                &[&self.shape],
                format!("expected a 2-D array, got {} dimensions", self.ndim()),
            ));
        }
        Ok(MatSlice {
            data: self.data.storage(),
            offset: self.offset,
            nrows: self.shape[0],
            ncols: self.shape[1],
            row_stride: self.strides[0],
            col_stride: self.strides[1],
        })
    }
}

/// Plane `p` (0: real parts, 1: imaginary parts) of an operand whose elements are `w`
/// parts wide, as a real kernel view.
fn plane<'a, F>(parts: &'a [F], x: &MatSlice<'_, impl Sized>, w: usize, p: usize) -> MatRef<'a, F> {
    let w_s = w as isize;
    MatRef::from_slice_with_offset(
        parts,
        w * x.offset + p,
        x.nrows,
        x.ncols,
        w_s * x.row_stride,
        w_s * x.col_stride,
    )
    .expect("a plane of a valid non-empty view lies inside the same memory")
}

/// Plane `p` of the dense row-major `m × n` output whose elements are `w` parts wide.
fn out<F>(parts: &mut [F], m: usize, n: usize, w: usize, p: usize) -> MatMut<'_, F> {
    MatMut::from_slice_with_offset(parts, p, m, n, (w * n) as isize, w as isize)
        .expect("a plane of the dense output")
}

/// `c ← α·x·y + β·c` on the real kernel.
fn run<F: Scalar>(
    alpha: F,
    x: MatRef<'_, F>,
    y: MatRef<'_, F>,
    beta: F,
    c: MatMut<'_, F>,
    par: Par,
) {
    gemm(alpha, x, y, beta, c, par).expect("shapes agree");
}

/// `c = a·b` into `c`, a dense row-major `m × n` buffer; `a` is `m × k`, `b` is `k × n`.
pub(crate) fn gemm_into<T: Inexact>(a: MatSlice<'_, T>, b: MatSlice<'_, T>, c: &mut [T], par: Par) {
    let (m, n, k) = (a.nrows, b.ncols, a.ncols);
    debug_assert!(b.nrows == k && c.len() == m * n);
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        c.fill(T::zero());
        return;
    }
    let one = <T::Float as Number>::one();
    let zero = <T::Float as Number>::zero();
    let w = if T::IS_COMPLEX { 2 } else { 1 };
    let (ap, bp): (&[T::Float], &[T::Float]) =
        (bytemuck::cast_slice(a.data), bytemuck::cast_slice(b.data));
    let cp: &mut [T::Float] = bytemuck::cast_slice_mut(c);
    let (ar, br) = (plane(ap, &a, w, 0), plane(bp, &b, w, 0));
    if !T::IS_COMPLEX {
        run(one, ar, br, zero, out(cp, m, n, w, 0), par);
        return;
    }
    let (ai, bi) = (plane(ap, &a, w, 1), plane(bp, &b, w, 1));
    run(one, ar, br, zero, out(cp, m, n, w, 0), par);
    run(-one, ai, bi, one, out(cp, m, n, w, 0), par);
    run(one, ar, bi, zero, out(cp, m, n, w, 1), par);
    run(one, ai, br, one, out(cp, m, n, w, 1), par);
}

/// `A·B` into a new C-ordered `m × n` array, threaded when the work is large.
pub(crate) fn gemm_new<T: Inexact>(a: MatSlice<'_, T>, b: MatSlice<'_, T>) -> Array<T> {
    let (m, n) = (a.nrows, b.ncols);
    let mut c = Array::<T>::zeros(&[m, n]);
    let work = m.saturating_mul(n).saturating_mul(a.ncols);
    let cd = c.as_slice_mut().expect("a fresh array is contiguous");
    // The thread count comes from `config` (set_num_threads, with_num_threads, env).
    if work >= PAR_WORK {
        crate::config::install(|par| gemm_into(a, b, cd, par));
    } else {
        gemm_into(a, b, cd, Par::Seq);
    }
    c
}
