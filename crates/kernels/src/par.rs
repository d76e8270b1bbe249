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

/// Calls `f` on every item of `items` in one fork-join on the current rayon pool: the first
/// item on the calling thread, each of the others as a task. Returns when all have run.
///
/// The caller works on its own thread because `rayon::scope`, called from outside the pool,
/// hands its whole body to a pool thread and puts the caller to sleep until it ends: one more
/// hand-off and wake-up per fork. Measured on Zen 3 with two threads (in-process interleaved
/// best of 40-80, this against `rayon::scope` with every item spawned): SYRK f64 256² 0.79-0.93
/// of the time, the short-product path f64 16 × 1000 × 1000 0.77-0.99, GEMM f64 2048 × 64 × 64
/// 0.91-0.94; GEMV of orders 500-2000 (bound by memory) within ±5%, either way.
pub(crate) fn fork_each<I, F>(items: I, f: F)
where
    I: IntoIterator,
    I::Item: Send,
    F: Fn(I::Item) + Sync,
{
    let mut items = items.into_iter();
    let Some(first) = items.next() else {
        return;
    };
    let f = &f;
    rayon::in_place_scope(|s| {
        for item in items {
            s.spawn(move |_| f(item));
        }
        f(first);
    });
}
