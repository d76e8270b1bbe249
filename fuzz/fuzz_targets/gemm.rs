//! GEMM on arbitrary shapes, strides, scalars and values, on an arbitrary supported ISA.
//!
//! Must never panic or touch memory outside the views; when every input and the error scale
//! are finite, the result must match the naive reference within the dot-product bound.

#![no_main]

use lapis_kernels::{Isa, MatMut, MatRef, Par, gemm, reference, set_arch};
use libfuzzer_sys::fuzz_target;

/// Reads the input front to back; runs out gracefully into zeros.
struct Bytes<'a>(&'a [u8]);
impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        *first
    }
    fn f64(&mut self) -> f64 {
        let mut b = [0u8; 8];
        for x in &mut b {
            *x = self.u8();
        }
        // Mostly moderate values, sometimes raw bit patterns (NaN, Inf, subnormals, huge).
        if b[0] & 0xF0 == 0xF0 {
            f64::from_le_bytes(b)
        } else {
            (i16::from_le_bytes([b[1], b[2]]) as f64) / 256.0
        }
    }
}

/// A buffer and a view layout for an `r × c` operand: (data, offset, rs, cs): column- or
/// row-major with padding, both axes reversed, or strided.
fn operand(input: &mut Bytes, r: usize, c: usize) -> (Vec<f64>, usize, isize, isize) {
    let mode = input.u8();
    let pad = (input.u8() % 4) as isize;
    let (ri, ci) = (r.max(1) as isize, c.max(1) as isize);
    let (rs, cs) = match mode % 4 {
        0 => (1, ri + pad),
        1 => (ci + pad, 1),
        2 => (-ci, -1),
        _ => (2 * (pad + 1) * ci, pad + 1),
    };
    // Offsets of the corners decide where the view starts and how long the buffer is.
    let (last_r, last_c) = (r.saturating_sub(1) as isize, c.saturating_sub(1) as isize);
    let lo = (last_r * rs).min(0) + (last_c * cs).min(0);
    let hi = (last_r * rs).max(0) + (last_c * cs).max(0);
    let off = (pad - lo) as usize;
    let len = off + hi as usize + 1 + pad as usize;
    let data = (0..len).map(|_| input.f64()).collect();
    (data, off, rs, cs)
}

fuzz_target!(|data: &[u8]| {
    let mut input = Bytes(data);
    let isas = Isa::supported();
    let isa = isas[input.u8() as usize % isas.len()];
    set_arch(isa).expect("a supported ISA must be selectable");
    let (m, n, k) = (
        (input.u8() % 40) as usize,
        (input.u8() % 40) as usize,
        (input.u8() % 40) as usize,
    );
    let flags = input.u8();
    let (alpha, beta) = (input.f64(), if flags & 4 != 0 { 0.0 } else { input.f64() });
    let a = operand(&mut input, m, k);
    let b = operand(&mut input, k, n);
    let c = operand(&mut input, m, n);
    let (Ok(av), Ok(bv)) = (
        MatRef::from_slice_with_offset(&a.0, a.1, m, k, a.2, a.3),
        MatRef::from_slice_with_offset(&b.0, b.1, k, n, b.2, b.3),
    ) else {
        return;
    };
    let mut got = c.0.clone();
    let mut want = c.0.clone();
    let Ok(cv) = MatMut::from_slice_with_offset(&mut got, c.1, m, n, c.2, c.3) else {
        return;
    };
    let par = if flags & 1 != 0 {
        Par::Rayon(2)
    } else {
        Par::Seq
    };
    gemm(alpha, av, bv, beta, cv, par).expect("shapes agree by construction");
    let wv = MatMut::from_slice_with_offset(&mut want, c.1, m, n, c.2, c.3).unwrap();
    reference::gemm(alpha, av, bv, beta, wv);
    let c0 = MatRef::from_slice_with_offset(&c.0, c.1, m, n, c.2, c.3).unwrap();
    let scale = reference::gemm_error_scale(alpha, av, bv, beta, c0);
    let gv = MatRef::from_slice_with_offset(&got, c.1, m, n, c.2, c.3).unwrap();
    let wv = MatRef::from_slice_with_offset(&want, c.1, m, n, c.2, c.3).unwrap();
    for j in 0..n {
        for i in 0..m {
            let s = scale[i + j * m];
            if !s.is_finite() || s > 1e300 {
                continue;
            }
            // BLAS leaves open which operand α scales (reference dgemm forms α·b, its gemv
            // α·x): when α times an entry overflows, inf·0 may give NaN where the exact sum is
            // 0. Such elements have no single right answer.
            let amax = (0..k).map(|p| av.get(i, p).abs()).fold(0.0, f64::max);
            let bmax = (0..k).map(|p| bv.get(p, j).abs()).fold(0.0, f64::max);
            if !(alpha.abs() * amax).is_finite() || !(alpha.abs() * bmax).is_finite() {
                continue;
            }
            let (g, w) = (gv.get(i, j), wv.get(i, j));
            // With gradual underflow every operation also adds up to η = 2⁻¹⁰⁷⁴ absolutely
            // (Higham §2.1). Where α meets an operand first (α·b_p, as reference dgemv and
            // dgemm do, or α·a_p), that η is then multiplied by the other factor; the
            // reference's own a_p·b_p products carry it times |α|.
            let eta = f64::from_bits(1);
            let asum: f64 = (0..k).map(|p| av.get(i, p).abs()).sum();
            let bsum: f64 = (0..k).map(|p| bv.get(p, j).abs()).sum();
            let underflow =
                2.0 * eta * (alpha.abs() * (k as f64 + 2.0) + asum + bsum + beta.abs() + 1.0);
            let bound = 2.0 * (k as f64 + 2.0) * f64::EPSILON * s + underflow + f64::MIN_POSITIVE;
            assert!(
                (g - w).abs() <= bound,
                "{isa}: C({i},{j}) = {g:e}, reference {w:e}, bound {bound:e} (m={m} n={n} k={k}, α={alpha:e}, β={beta:e}, row of A {:?}, column of B {:?})",
                (0..k).map(|p| av.get(i, p)).collect::<Vec<_>>(),
                (0..k).map(|p| bv.get(p, j)).collect::<Vec<_>>()
            );
        }
    }
    // Nothing outside C's view may change.
    let mut inside = vec![false; got.len()];
    for j in 0..n {
        for i in 0..m {
            inside[(c.1 as isize + i as isize * c.2 + j as isize * c.3) as usize] = true;
        }
    }
    for (idx, (g, o)) in got.iter().zip(&c.0).enumerate() {
        assert!(
            inside[idx] || g.to_bits() == o.to_bits(),
            "element {idx} outside C written"
        );
    }
});
