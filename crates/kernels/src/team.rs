//! A team of threads that spin between jobs, for parallel loops of many short steps.
//!
//! Rayon puts an idle worker to sleep within microseconds, and waking it again costs more than
//! a short parallel step saves: on the 2-vCPU Xeon VM, a two-thread SYMV of order 500 took
//! 14 µs back to back but 34 µs with 20 µs of other work between calls (18.7 µs on one
//! thread). The tridiagonal reduction of `eigh` runs a thousand such products, with a little
//! sequential work between them. A [`Team`] keeps its threads spinning (yielding after about a
//! millisecond idle) for as long as the caller holds it, the way OpenBLAS's thread pool does,
//! and hands each step to them through an atomic counter.
//!
//! The team's threads are tasks on the current rayon pool. When a task has not started (the
//! pool is busy or smaller than the team), the caller runs its share itself, so a team never
//! waits on a thread that does not come.

use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::Par;

/// Spins of an idle team thread before it starts yielding its core between checks.
const SPINS_BEFORE_YIELD: u32 = 1 << 14;

/// The job being run, its lifetime erased.
#[derive(Clone, Copy)]
struct JobPtr(*const (dyn Fn(usize) + Sync + 'static));

// SAFETY: the pointee is `Sync`, and the pointer is dereferenced only by a thread that has
// claimed a share of the job, while the `Team::run` call that posted it waits for that share.
unsafe impl Send for JobPtr {}

/// Threads granted by a [`Par`], spinning between the jobs [`Team::run`] gives them.
///
/// Made by [`with_team`]; share `k` of each job always goes to the same thread when that
/// thread is running, so data a thread touched in one step is in its core's cache for the
/// next. A `Team` stays on the thread it was given to (it is neither `Send` nor `Sync`): a
/// job's shares cannot run jobs of their own, and no other thread can start one while a job
/// runs.
///
/// ```compile_fail,E0277
/// use lapis_kernels::{Par, with_team};
/// with_team(Par::Rayon(2), |team| {
///     // A share waiting on its own team would wait for itself: this does not compile.
///     team.run(&|_| team.run(&|_| {}));
/// });
/// ```
pub struct Team {
    shared: Shared,
    _not_sync: PhantomData<*const ()>,
}

/// What the team's threads see of a [`Team`].
struct Shared {
    size: usize,
    /// Number of the current job (0: none yet).
    epoch: AtomicUsize,
    /// Shares of the current job finished.
    done: AtomicUsize,
    /// `claims[k]`: the last job whose share `k` someone took (index 0 unused).
    claims: Vec<AtomicUsize>,
    job: Mutex<Option<JobPtr>>,
    stop: AtomicBool,
    panicked: AtomicBool,
    /// The caller's thread.
    owner: std::thread::ThreadId,
}

/// Runs `f` with a team of `par.degree()` threads (the caller and `par.degree() − 1` tasks
/// on the current rayon pool), which spin between jobs until `f` returns.
///
/// The team's threads hold their cores while `f` runs: inside `f`, give other kernels
/// `Par::Seq` and the parallel work to [`Team::run`].
///
/// ```
/// use lapis_kernels::{Par, with_team};
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// let sum = AtomicUsize::new(0);
/// with_team(Par::Rayon(2), |team| {
///     for _ in 0..3 {
///         team.run(&|k| {
///             sum.fetch_add(k + 1, Ordering::Relaxed);
///         });
///     }
/// });
/// assert_eq!(sum.into_inner(), 3 * (1 + 2));
/// ```
pub fn with_team<R>(par: Par, f: impl FnOnce(&Team) -> R) -> R {
    let size = par.degree().max(1);
    let team = Team {
        shared: Shared {
            size,
            epoch: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            claims: (0..size).map(|_| AtomicUsize::new(0)).collect(),
            job: Mutex::new(None),
            stop: AtomicBool::new(false),
            panicked: AtomicBool::new(false),
            owner: std::thread::current().id(),
        },
        _not_sync: PhantomData,
    };
    if size == 1 {
        return f(&team);
    }
    rayon::in_place_scope(|s| {
        for k in 1..size {
            let shared = &team.shared;
            s.spawn(move |_| shared.serve(k));
        }
        // The threads spin until told to stop, so stop them even when `f` panics.
        let out = catch_unwind(AssertUnwindSafe(|| f(&team)));
        team.shared.stop.store(true, Ordering::Release);
        match out {
            Ok(r) => r,
            Err(p) => resume_unwind(p),
        }
    })
}

impl core::fmt::Debug for Team {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Team")
            .field("size", &self.shared.size)
            .finish()
    }
}

impl Team {
    /// Threads in the team, the caller included.
    pub fn size(&self) -> usize {
        self.shared.size
    }

    /// Runs `job(k)` for every `k < self.size()` and returns when all are done: `job(0)` on
    /// the calling thread, `job(k)` on the team's `k`-th thread, or on the caller when that
    /// thread has not picked it up by the time the caller finished `job(0)`.
    ///
    /// Panics (after every share has finished) when a share panicked.
    pub fn run(&self, job: &(dyn Fn(usize) + Sync)) {
        let s = &self.shared;
        if s.size == 1 {
            return job(0);
        }
        let ptr: *const (dyn Fn(usize) + Sync + '_) = job;
        // SAFETY: only the lifetime bound changes. The erased pointer is dereferenced only by a
        // thread that claimed a share of this job (`claims`), and this call returns only after
        // `done` counts every share, so `job` outlives every use. No other job is posted
        // meanwhile: a `Team` is neither `Send` nor `Sync`, so jobs come from this thread only,
        // one at a time.
        let ptr = JobPtr(unsafe {
            core::mem::transmute::<
                *const (dyn Fn(usize) + Sync + '_),
                *const (dyn Fn(usize) + Sync + 'static),
            >(ptr)
        });
        *s.job.lock().expect("team job slot") = Some(ptr);
        // Every share of the previous job was counted before it returned: no late increments.
        s.done.store(0, Ordering::Relaxed);
        let epoch = s.epoch.fetch_add(1, Ordering::AcqRel) + 1;
        let mut ok = catch_unwind(AssertUnwindSafe(|| job(0))).is_ok();
        let mut finished = 1;
        for k in 1..s.size {
            if s.claims[k].fetch_max(epoch, Ordering::AcqRel) < epoch {
                ok &= catch_unwind(AssertUnwindSafe(|| job(k))).is_ok();
                finished += 1;
            }
        }
        s.done.fetch_add(finished, Ordering::AcqRel);
        while s.done.load(Ordering::Acquire) < s.size {
            core::hint::spin_loop();
        }
        *s.job.lock().expect("team job slot") = None;
        if !ok || s.panicked.swap(false, Ordering::AcqRel) {
            panic!("a share of a team job panicked");
        }
    }
}

impl Shared {
    /// The loop of the team's `k`-th thread: claim share `k` of each new job, until stopped.
    fn serve(&self, k: usize) {
        // Rayon may hand a team task to the caller itself while `f` waits on other rayon work
        // (a parallel kernel called inside `f`); spinning there would wait for a stop that
        // only the caller can give. The caller runs unclaimed shares itself anyway.
        if std::thread::current().id() == self.owner {
            return;
        }
        let mut seen = 0;
        let mut idle = 0u32;
        loop {
            let epoch = self.epoch.load(Ordering::Acquire);
            if epoch != seen {
                seen = epoch;
                idle = 0;
                // `fetch_max`: a claim never goes back, so a stale look at an old job cannot
                // make a later job's share claimable twice.
                if self.claims[k].fetch_max(epoch, Ordering::AcqRel) < epoch {
                    let job = self
                        .job
                        .lock()
                        .expect("team job slot")
                        .expect("a claimed job is posted");
                    // SAFETY: this thread claimed share k of job `epoch`, so the `run` that
                    // posted `job` is still waiting for this share and the closure is alive
                    // (it cannot post another job before then).
                    let out = catch_unwind(AssertUnwindSafe(|| unsafe { (*job.0)(k) }));
                    if out.is_err() {
                        self.panicked.store(true, Ordering::Release);
                    }
                    self.done.fetch_add(1, Ordering::AcqRel);
                }
                continue;
            }
            if self.stop.load(Ordering::Acquire) {
                return;
            }
            if idle < SPINS_BEFORE_YIELD {
                idle += 1;
                core::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The team's tests do not run under Miri: it reports rayon's own scope teardown (a job's
    // closure still protected while the scope is freed: rayon-rs/rayon#952, #1008), and only
    // on some thread interleavings (seen once in CI, not locally).

    #[test]
    #[cfg_attr(miri, ignore = "rayon-rs/rayon#952")]
    fn every_share_runs_once_per_job() {
        for size in [1, 2, 3, 5] {
            let counts: Vec<AtomicUsize> = (0..size).map(|_| AtomicUsize::new(0)).collect();
            with_team(Par::Rayon(size), |team| {
                assert_eq!(team.size(), size);
                for _ in 0..200 {
                    team.run(&|k| {
                        counts[k].fetch_add(1, Ordering::Relaxed);
                    });
                }
            });
            for c in &counts {
                assert_eq!(c.load(Ordering::Relaxed), 200);
            }
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "rayon-rs/rayon#952")]
    fn a_team_larger_than_the_pool_still_finishes() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let total = AtomicUsize::new(0);
        pool.install(|| {
            with_team(Par::Rayon(4), |team| {
                for _ in 0..50 {
                    team.run(&|k| {
                        total.fetch_add(k, Ordering::Relaxed);
                    });
                }
            })
        });
        assert_eq!(total.into_inner(), 50 * (1 + 2 + 3));
    }

    #[test]
    #[cfg_attr(miri, ignore = "rayon-rs/rayon#952")]
    fn a_panicking_share_panics_the_caller_and_stops_the_team() {
        let out = catch_unwind(|| {
            with_team(Par::Rayon(2), |team| {
                team.run(&|k| {
                    if k == 1 {
                        panic!("share 1");
                    }
                })
            })
        });
        assert!(out.is_err());
    }
}
