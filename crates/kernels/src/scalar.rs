//! The element types the kernels are written for.

use core::fmt::{Debug, Display};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A real floating-point element type the kernels support (`f32`, `f64`).
///
/// Sealed: the kernel tables are written per type, so no downstream type can implement it.
pub trait Scalar:
    sealed::Sealed
    + num_traits::Float
    + num_traits::FloatConst
    + num_traits::NumAssign
    + core::iter::Sum
    + bytemuck::Pod
    + Default
    + Debug
    + Display
    + Send
    + Sync
    + 'static
{
    /// Machine epsilon (the distance from 1 to the next larger number).
    const EPS: Self;
    /// Smallest positive normal number.
    const MIN_POSITIVE: Self;
    /// Name as numpy spells the dtype (`"float32"`, `"float64"`).
    const DTYPE: &'static str;

    /// Widen to `f64` (exact for both types).
    fn to_f64(self) -> f64;
    /// Narrow from `f64` (rounds for `f32`).
    fn from_f64(x: f64) -> Self;

    #[doc(hidden)]
    fn gemm_table(isa: crate::Isa) -> &'static crate::gemm::kernel::KernelTable<Self>;
}

impl Scalar for f32 {
    const EPS: Self = f32::EPSILON;
    const MIN_POSITIVE: Self = f32::MIN_POSITIVE;
    const DTYPE: &'static str = "float32";
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    fn gemm_table(isa: crate::Isa) -> &'static crate::gemm::kernel::KernelTable<Self> {
        crate::gemm::kernel::table_f32(isa)
    }
}

impl Scalar for f64 {
    const EPS: Self = f64::EPSILON;
    const MIN_POSITIVE: Self = f64::MIN_POSITIVE;
    const DTYPE: &'static str = "float64";
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x
    }
    fn gemm_table(isa: crate::Isa) -> &'static crate::gemm::kernel::KernelTable<Self> {
        crate::gemm::kernel::table_f64(isa)
    }
}

/// `x` as a slice of `U` when `T` is `U` (for dispatching generic code to per-type kernels).
pub(crate) fn cast<T: Scalar, U: Scalar>(x: &[T]) -> Option<&[U]> {
    (core::any::TypeId::of::<T>() == core::any::TypeId::of::<U>()).then(|| bytemuck::cast_slice(x))
}

/// [`cast`] for mutable slices.
pub(crate) fn cast_mut<T: Scalar, U: Scalar>(x: &mut [T]) -> Option<&mut [U]> {
    (core::any::TypeId::of::<T>() == core::any::TypeId::of::<U>())
        .then(|| bytemuck::cast_slice_mut(x))
}

/// `a·x + y`, fused (one rounding) when `FUSED`: the generic leaf kernels compiled under an
/// FMA-capable `target_feature` use the fused form, the plain-Rust path the unfused one (a
/// software `mul_add` there would be a library call per element).
#[inline(always)]
pub(crate) fn mul_add_if<T: Scalar, const FUSED: bool>(a: T, x: T, y: T) -> T {
    if FUSED { a.mul_add(x, y) } else { a * x + y }
}
