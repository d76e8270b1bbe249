//! Cache-line-aligned scratch memory for packed panels, reused per thread.

use core::cell::RefCell;
use core::mem::size_of;

use crate::Scalar;

#[derive(Copy, Clone, bytemuck::Zeroable, bytemuck::Pod)]
#[repr(C, align(64))]
struct Line([u8; 64]);

/// A growable, 64-byte-aligned buffer of untyped cache lines.
#[derive(Default)]
pub(crate) struct AlignedBuf {
    lines: Vec<Line>,
}

impl core::fmt::Debug for AlignedBuf {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "AlignedBuf({} bytes)", self.lines.len() * 64)
    }
}

impl AlignedBuf {
    /// A buffer holding at least `len` elements of `T`.
    pub(crate) fn new<T: Scalar>(len: usize) -> Self {
        let mut b = AlignedBuf::default();
        b.slice_mut::<T>(len);
        b
    }

    /// The first `len` elements, growing the buffer if needed (contents unspecified).
    pub(crate) fn slice_mut<T: Scalar>(&mut self, len: usize) -> &mut [T] {
        let bytes = len
            .checked_mul(size_of::<T>())
            .expect("scratch buffer size overflows usize");
        let lines = bytes.div_ceil(64);
        if self.lines.len() < lines {
            self.lines.resize(lines, Line([0; 64]));
        }
        &mut bytemuck::cast_slice_mut::<Line, T>(&mut self.lines[..lines])[..len]
    }
}

/// The per-thread scratch buffers of the GEMM loop nest.
#[derive(Copy, Clone, Debug)]
pub(crate) enum Scratch {
    /// The packed block of A (one per task).
    PackA,
    /// The packed block of B (one per call, shared by its tasks).
    PackB,
}

thread_local! {
    static PACK_A: RefCell<AlignedBuf> = RefCell::new(AlignedBuf::default());
    static PACK_B: RefCell<AlignedBuf> = RefCell::new(AlignedBuf::default());
}

/// Runs `f` with this thread's `which` buffer holding at least `len` elements, reused across
/// calls so that no call allocates or clears megabytes of packing space; a fresh buffer when
/// the thread's one is already in use further up the stack (a rayon worker that picked up
/// another product while waiting).
pub(crate) fn with_scratch<T: Scalar, R>(
    which: Scratch,
    len: usize,
    f: impl FnOnce(&mut [T]) -> R,
) -> R {
    let key = match which {
        Scratch::PackA => &PACK_A,
        Scratch::PackB => &PACK_B,
    };
    key.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => f(buf.slice_mut::<T>(len)),
        Err(_) => f(AlignedBuf::new::<T>(len).slice_mut::<T>(len)),
    })
}
