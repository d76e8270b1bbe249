//! How much parallelism a kernel may use: the caller decides, the kernel obeys.

/// Parallelism granted to a kernel call.
///
/// Kernels never spawn threads on their own: `Par::Seq` runs on the calling thread;
/// `Par::Rayon(n)` lets the kernel split work into at most `n` tasks on the current rayon
/// pool (`n == 0` means "as many as the pool has"). Kernels still run sequentially when
/// the work is too small to pay for the split.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum Par {
    /// Run on the calling thread only.
    #[default]
    Seq,
    /// Use up to this many rayon tasks (0: the size of the current pool).
    Rayon(usize),
}

impl Par {
    /// The number of tasks this setting allows (at least 1).
    ///
    /// ```
    /// use lapis_kernels::Par;
    /// assert_eq!(Par::Seq.degree(), 1);
    /// assert_eq!(Par::Rayon(3).degree(), 3);
    /// assert!(Par::Rayon(0).degree() >= 1);
    /// ```
    pub fn degree(self) -> usize {
        match self {
            Par::Seq => 1,
            Par::Rayon(0) => rayon::current_num_threads().max(1),
            Par::Rayon(n) => n,
        }
    }

    /// Whether more than one task is allowed.
    pub fn is_parallel(self) -> bool {
        self.degree() > 1
    }
}
