//! Run-time configuration: what Lapis runs on and with how many threads (numpy's
//! `np.show_config()` plus threadpoolctl's thread limits).
//!
//! * [`show_config`] prints, and [`config_info`] returns, the version, the ISA the kernels
//!   chose ([`lapis_kernels::arch()`]), the ISAs this CPU supports, the cache sizes, the
//!   thread setting and the OS/architecture.
//! * The thread count is resolved, first match wins, from: a [`with_num_threads`] scope on
//!   the calling thread → [`set_num_threads`] (process-wide) → the environment variable
//!   `LAPIS_NUM_THREADS` (read once, at first use; an invalid value prints a warning and is
//!   ignored) → the size of the current rayon pool (rayon's default: one thread per CPU,
//!   or `RAYON_NUM_THREADS`).
//!
//! ## How `n` threads are honoured
//!
//! Every Lapis function asks this module for its parallelism through [`install`]: it runs
//! the function's body with [`par()`] (`Par::Seq` for 1 thread, `Par::Rayon(n)` otherwise).
//! When `n` is not the size of the rayon pool the caller is already on, the body runs
//! inside a dedicated rayon `ThreadPool` of exactly `n` threads, built lazily the first
//! time that `n` is asked for and kept for the life of the process. So `n` is honoured
//! both ways: a setting larger than rayon's global pool gets `n` worker threads, and a
//! smaller one never occupies more than `n`. When nothing is configured no extra pool
//! exists and the work runs on the caller's rayon pool, as plain rayon code would.
//!
//! ```
//! use lapis::config;
//! // numpy: np.show_config()
//! config::show_config();
//! // threadpoolctl: with threadpool_limits(limits=1): ...
//! let n = config::with_num_threads(1, || config::num_threads());
//! assert_eq!(n, 1);
//! assert_eq!(config::with_num_threads(1, config::par), lapis::kernels::Par::Seq);
//! ```

use core::fmt;
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use lapis_kernels::{CacheSizes, Isa, Par};

/// The environment variable read once for the default thread count.
pub const ENV_NUM_THREADS: &str = "LAPIS_NUM_THREADS";

/// The largest thread count Lapis accepts; larger requests are clamped to it.
pub const MAX_THREADS: usize = 1024;

/// The process-wide setting of [`set_num_threads`]; 0 when unset.
static GLOBAL: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// The innermost [`with_num_threads`] scope on this thread (or the size of the Lapis
    /// pool this thread works for); 0 when none.
    static SCOPED: Cell<usize> = const { Cell::new(0) };
}

/// Where the current thread count comes from.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ThreadsSource {
    /// A [`with_num_threads`] scope on this thread.
    Scoped,
    /// [`set_num_threads`].
    Set,
    /// The environment variable `LAPIS_NUM_THREADS`.
    Env,
    /// The size of the current rayon pool.
    Default,
}

impl ThreadsSource {
    fn describe(self) -> &'static str {
        match self {
            ThreadsSource::Scoped => "with_num_threads scope",
            ThreadsSource::Set => "set_num_threads",
            ThreadsSource::Env => "LAPIS_NUM_THREADS",
            ThreadsSource::Default => "rayon default",
        }
    }
}

/// Parses a value of `LAPIS_NUM_THREADS`: a positive integer (surrounding spaces allowed),
/// clamped to [`MAX_THREADS`].
///
/// ```
/// use lapis::config::parse_num_threads;
/// assert_eq!(parse_num_threads(" 4 "), Ok(4));
/// assert!(parse_num_threads("0").is_err());
/// assert!(parse_num_threads("four").is_err());
/// ```
pub fn parse_num_threads(value: &str) -> Result<usize, String> {
    match value.trim().parse::<usize>() {
        Ok(0) => Err("the thread count must be at least 1".to_string()),
        Ok(n) => Ok(n.min(MAX_THREADS)),
        Err(_) => Err(format!("{value:?} is not a positive integer")),
    }
}

/// `LAPIS_NUM_THREADS`, read and checked once.
fn env_threads() -> Option<usize> {
    static ENV: OnceLock<Option<usize>> = OnceLock::new();
    *ENV.get_or_init(|| {
        let value = std::env::var_os(ENV_NUM_THREADS)?;
        let parsed = match value.to_str() {
            Some(s) => parse_num_threads(s),
            None => Err("the value is not valid UTF-8".to_string()),
        };
        match parsed {
            Ok(n) => Some(n),
            Err(why) => {
                eprintln!(
                    "lapis: ignoring {ENV_NUM_THREADS}={value:?}: {why}; using the default ({} threads)",
                    rayon::current_num_threads()
                );
                None
            }
        }
    })
}

/// The thread count and where it comes from.
fn resolve() -> (usize, ThreadsSource) {
    let scoped = SCOPED.with(Cell::get);
    if scoped != 0 {
        return (scoped, ThreadsSource::Scoped);
    }
    let global = GLOBAL.load(Ordering::Relaxed);
    if global != 0 {
        return (global, ThreadsSource::Set);
    }
    if let Some(n) = env_threads() {
        return (n, ThreadsSource::Env);
    }
    (rayon::current_num_threads().max(1), ThreadsSource::Default)
}

/// The number of threads Lapis functions called from this thread may use.
///
/// ```
/// // threadpoolctl: threadpool_info()[0]["num_threads"]
/// assert!(lapis::config::num_threads() >= 1);
/// ```
pub fn num_threads() -> usize {
    resolve().0
}

/// Sets the number of threads every Lapis function may use, process-wide (clamped to
/// `1..=`[`MAX_THREADS`]); `0` removes the setting, going back to `LAPIS_NUM_THREADS` or
/// rayon's default. A [`with_num_threads`] scope still takes precedence on its thread.
///
/// ```
/// use lapis::config;
/// // threadpoolctl: threadpool_limits(limits=2)
/// config::set_num_threads(2);
/// assert_eq!(config::num_threads(), 2);
/// config::set_num_threads(0);
/// ```
pub fn set_num_threads(n: usize) {
    GLOBAL.store(n.min(MAX_THREADS), Ordering::Relaxed);
}

/// Restores the previous scoped setting when dropped (also while unwinding from a panic).
struct ScopeGuard {
    previous: usize,
}

impl Drop for ScopeGuard {
    fn drop(&mut self) {
        SCOPED.with(|s| s.set(self.previous));
    }
}

/// Runs `f` with the thread count set to `n` for the Lapis calls `f` makes on this
/// thread (and for the work those calls hand to their threads); the previous setting
/// returns when `f` returns or panics. Scopes nest; `n = 0` clears the scope (back to
/// [`set_num_threads`] / `LAPIS_NUM_THREADS` / the default). `n` is clamped to
/// [`MAX_THREADS`].
///
/// The scope belongs to the calling thread, so concurrent scopes on different threads do
/// not interfere (threads `f` spawns itself start without it).
///
/// ```
/// use lapis::{array, config, matmul};
/// // threadpoolctl: with threadpool_limits(limits=1): a @ a
/// let a = array![[1., 2.], [3., 4.]];
/// let c = config::with_num_threads(1, || matmul(&a, &a)).unwrap();
/// assert_eq!(c, array![[7., 10.], [15., 22.]]);
/// ```
pub fn with_num_threads<R>(n: usize, f: impl FnOnce() -> R) -> R {
    let previous = SCOPED.with(|s| s.replace(n.min(MAX_THREADS)));
    let _guard = ScopeGuard { previous };
    f()
}

/// The parallelism to hand the kernels: `Par::Seq` for one thread, `Par::Rayon(n)` for
/// `n` threads. Use it inside [`install`] so that `n` threads exist.
///
/// ```
/// use lapis::{config, kernels::Par};
/// assert_eq!(config::with_num_threads(1, config::par), Par::Seq);
/// assert_eq!(config::with_num_threads(3, config::par), Par::Rayon(3));
/// ```
pub fn par() -> Par {
    par_for(num_threads())
}

fn par_for(n: usize) -> Par {
    if n <= 1 { Par::Seq } else { Par::Rayon(n) }
}

/// The cached Lapis pool of `n` threads, built on first use; `None` if the OS refuses.
fn pool(n: usize) -> Option<Arc<rayon::ThreadPool>> {
    static POOLS: Mutex<Vec<(usize, Arc<rayon::ThreadPool>)>> = Mutex::new(Vec::new());
    let mut pools = POOLS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, p)) = pools.iter().find(|(k, _)| *k == n) {
        return Some(Arc::clone(p));
    }
    let built = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .thread_name(move |i| format!("lapis-{n}-{i}"))
        // Work run on this pool on behalf of a Lapis call sees the same thread count.
        .start_handler(move |_| SCOPED.with(|s| s.set(n)))
        .build();
    match built {
        Ok(p) => {
            let p = Arc::new(p);
            pools.push((n, Arc::clone(&p)));
            Some(p)
        }
        Err(e) => {
            eprintln!("lapis: could not start a pool of {n} threads ({e}); using rayon's pool");
            None
        }
    }
}

/// Runs `f(par)` with the configured parallelism, on `n` threads: directly when `n` is 1
/// or already the size of the current rayon pool, otherwise inside Lapis's pool of `n`
/// threads (see the [module docs](self)). Every parallel Lapis function runs through this.
///
/// ```
/// use lapis::{config, kernels::Par};
/// // Inside, rayon sees the configured number of threads.
/// let (par, seen) = config::with_num_threads(3, || {
///     config::install(|par| (par, rayon::current_num_threads()))
/// });
/// assert_eq!((par, seen), (Par::Rayon(3), 3));
/// ```
pub fn install<R: Send>(f: impl FnOnce(Par) -> R + Send) -> R {
    let n = num_threads();
    if n <= 1 || n == rayon::current_num_threads() {
        return f(par_for(n));
    }
    match pool(n) {
        Some(p) => p.install(|| f(par_for(n))),
        None => f(par_for(n)),
    }
}

/// What [`show_config`] prints, for programs.
///
/// ```
/// // numpy: np.show_config(mode="dicts")
/// let info = lapis::config::config_info();
/// assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
/// assert!(info.isas_supported.contains(&info.isa));
/// assert!(info.num_threads >= 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigInfo {
    /// The version of the `lapis` crate.
    pub version: &'static str,
    /// The ISA the kernels run on now ([`lapis_kernels::arch()`]).
    pub isa: Isa,
    /// The best ISA this CPU supports ([`lapis_kernels::detected`]).
    pub isa_detected: Isa,
    /// Every ISA this CPU can run, lowest first.
    pub isas_supported: Vec<Isa>,
    /// The value of `LAPIS_ARCH`, if set.
    pub lapis_arch_env: Option<String>,
    /// The cache sizes the blocking is derived from.
    pub cache: CacheSizes,
    /// The thread count Lapis calls from this thread use.
    pub num_threads: usize,
    /// Where [`num_threads`](Self::num_threads) comes from.
    pub threads_source: ThreadsSource,
    /// The size of the current rayon pool.
    pub rayon_threads: usize,
    /// The operating system (`std::env::consts::OS`).
    pub os: &'static str,
    /// The CPU architecture (`std::env::consts::ARCH`).
    pub arch: &'static str,
    /// Whether this is a debug build (`debug_assertions`).
    pub debug_build: bool,
}

/// The configuration as data (numpy's `np.show_config(mode="dicts")`).
pub fn config_info() -> ConfigInfo {
    let (num_threads, threads_source) = resolve();
    ConfigInfo {
        version: env!("CARGO_PKG_VERSION"),
        isa: lapis_kernels::arch(),
        isa_detected: lapis_kernels::detected(),
        isas_supported: Isa::supported(),
        lapis_arch_env: std::env::var("LAPIS_ARCH").ok(),
        cache: lapis_kernels::cache_sizes(),
        num_threads,
        threads_source,
        rayon_threads: rayon::current_num_threads(),
        os: std::env::consts::OS,
        arch: std::env::consts::ARCH,
        debug_build: cfg!(debug_assertions),
    }
}

/// Bytes as `48 KiB`, `2 MiB`.
fn fmt_bytes(n: usize) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} B")
    }
}

impl fmt::Display for ConfigInfo {
    /// The YAML-like layout of numpy's `show_config()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Build Dependencies:")?;
        writeln!(f, "  lapis:")?;
        writeln!(f, "    version: {}", self.version)?;
        writeln!(
            f,
            "    blas/lapack: built in (pure Rust, no external library)"
        )?;
        writeln!(f, "    debug build: {}", self.debug_build)?;
        writeln!(f, "SIMD Extensions:")?;
        writeln!(f, "  selected: {}", self.isa)?;
        writeln!(f, "  detected: {}", self.isa_detected)?;
        writeln!(f, "  supported:")?;
        for isa in &self.isas_supported {
            writeln!(f, "  - {isa}")?;
        }
        match &self.lapis_arch_env {
            Some(v) => writeln!(f, "  LAPIS_ARCH: {v}")?,
            None => writeln!(f, "  LAPIS_ARCH: (unset)")?,
        }
        writeln!(f, "Cache Sizes:")?;
        writeln!(f, "  l1d: {}", fmt_bytes(self.cache.l1d))?;
        writeln!(f, "  l2: {}", fmt_bytes(self.cache.l2))?;
        writeln!(f, "  l3: {}", fmt_bytes(self.cache.l3))?;
        writeln!(f, "Threading:")?;
        writeln!(
            f,
            "  num_threads: {} (from {})",
            self.num_threads,
            self.threads_source.describe()
        )?;
        writeln!(f, "  rayon pool: {}", self.rayon_threads)?;
        writeln!(f, "Machine Information:")?;
        writeln!(f, "  os: {}", self.os)?;
        write!(f, "  arch: {}", self.arch)
    }
}

/// Prints the configuration to standard output (numpy's `np.show_config()`):
///
/// ```text
/// Build Dependencies:
///   lapis:
///     version: 0.1.0
///     blas/lapack: built in (pure Rust, no external library)
///     debug build: false
/// SIMD Extensions:
///   selected: avx2
///   detected: avx512
///   supported:
///   - scalar
///   - avx2
///   - avx512
///   LAPIS_ARCH: avx2
/// Cache Sizes:
///   l1d: 48 KiB
///   l2: 2 MiB
///   l3: 32 MiB
/// Threading:
///   num_threads: 8 (from rayon default)
///   rayon pool: 8
/// Machine Information:
///   os: linux
///   arch: x86_64
/// ```
///
/// ```
/// // numpy: np.show_config()
/// lapis::config::show_config();
/// ```
pub fn show_config() {
    println!("{}", config_info());
}
