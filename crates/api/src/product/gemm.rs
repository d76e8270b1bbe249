//! The one place the products meet the GEMM kernel: `C = A·B` for every [`Inexact`]
//! type, complex included.
//!
//! A complex matrix is two real strided matrices laid over the same memory: viewed as the
//! slice of its parts (`bytemuck`, no copy, no unsafe), the real parts sit at twice the
//! element offset, the imaginary parts one further, and both strides double. So
//! `C = A·B` is four real GEMMs on the real kernel,
//! `Cr = Ar·Br − Ai·Bi` and `Ci = Ar·Bi + Ai·Br`, the second of each pair accumulating
//! with β = 1 — the same flop count as a complex kernel (8 per complex multiply–add),
//! with the real kernel's blocking, packing and threads. The operands are read in place
//! (packing absorbs the strides); the result planes are written densely and interleaved
//! afterwards (an `O(mn)` pass).

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

/// Complex products up to this many multiply–adds run [`small_complex`]; measured on
/// AVX-512 (one thread), the four-GEMM path wins from about 8×8×8 up.
const SMALL_WORK: usize = 512;

/// Small complex products directly on the interleaved parts: for tiny matrices, four
/// kernel calls and a temporary cost more than the arithmetic (a stack of 100 000 4×4
/// products: 35 ms through the kernels, 10 ms here). Same formula per term as the
/// GEMM path: `(ar·br − ai·bi) + i(ar·bi + ai·br)`, summed over `k` in order.
fn small_complex<F: Scalar>(
    ap: &[F],
    a: &MatSlice<'_, impl Sized>,
    bp: &[F],
    b: &MatSlice<'_, impl Sized>,
    cp: &mut [F],
) {
    let (m, n, k) = (a.nrows, b.ncols, a.ncols);
    cp.fill(F::zero());
    for i in 0..m {
        let c_row = &mut cp[2 * i * n..2 * (i + 1) * n];
        for p in 0..k {
            let e = 2
                * (a.offset as isize + i as isize * a.row_stride + p as isize * a.col_stride)
                    as usize;
            let (xr, xi) = (ap[e], ap[e + 1]);
            let b_row = b.offset as isize + p as isize * b.row_stride;
            if b.col_stride == 1 {
                // A dense row of `b`: one slice, so the loop runs without index checks.
                let start = 2 * b_row as usize;
                let y_row = &bp[start..start + 2 * n];
                for (c, y) in c_row.chunks_exact_mut(2).zip(y_row.chunks_exact(2)) {
                    c[0] += xr * y[0] - xi * y[1];
                    c[1] += xr * y[1] + xi * y[0];
                }
                continue;
            }
            for (j, c) in c_row.chunks_exact_mut(2).enumerate() {
                let f = 2 * (b_row + j as isize * b.col_stride) as usize;
                let (yr, yi) = (bp[f], bp[f + 1]);
                c[0] += xr * yr - xi * yi;
                c[1] += xr * yi + xi * yr;
            }
        }
    }
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
    if !T::IS_COMPLEX {
        let (ar, br) = (plane(ap, &a, w, 0), plane(bp, &b, w, 0));
        run(one, ar, br, zero, out(cp, m, n, w, 0), par);
        return;
    }
    if m.saturating_mul(n).saturating_mul(k) <= SMALL_WORK {
        small_complex(ap, &a, bp, &b, cp);
        return;
    }
    // Inputs are read in place; the output planes go through dense buffers, since the
    // kernel's write-back to a stride-2 matrix is several times slower than the products
    // (measured: c32 512³ 16 ms strided, 4.8 ms dense). Cr is built dense in the first half
    // of `c`'s parts, Ci in a temporary, then both spread out to their interleaved places.
    let (ar, br) = (plane(ap, &a, w, 0), plane(bp, &b, w, 0));
    let (ai, bi) = (plane(ap, &a, w, 1), plane(bp, &b, w, 1));
    let mn = m * n;
    run(one, ar, br, zero, out(&mut cp[..mn], m, n, 1, 0), par);
    run(-one, ai, bi, one, out(&mut cp[..mn], m, n, 1, 0), par);
    let mut ci = vec![zero; mn];
    run(one, ar, bi, zero, out(&mut ci, m, n, 1, 0), par);
    run(one, ai, br, one, out(&mut ci, m, n, 1, 0), par);
    // Backwards, each Cr[t] moves to 2t ≥ t after every later one has moved: in place.
    for t in (0..mn).rev() {
        cp[2 * t + 1] = ci[t];
        cp[2 * t] = cp[t];
    }
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
