//! The JSON the runner writes (`target/bench/results.json`). Stable contract, documented
//! in `docs/performance.md`: fields may be added, never renamed or removed.

use serde::Serialize;

/// Version of the file layout below.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole file.
#[derive(Clone, Debug, Serialize)]
pub struct Results {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Where and how the run happened.
    pub meta: Meta,
    /// One record per (case, implementation).
    pub records: Vec<Record>,
}

/// One measured (or failed) case for one implementation.
#[derive(Clone, Debug, Serialize)]
pub struct Record {
    /// Op name (`gemm`, later `solve`, `cholesky`, …).
    pub op: String,
    /// `f32` or `f64`.
    pub dtype: String,
    /// Op-specific shape; gemm: `[m, n, k]`.
    pub shape: Vec<usize>,
    /// The `--sizes` value this case was made from; `null` for fixed extra shapes.
    pub n: Option<usize>,
    /// Threads granted to every implementation.
    pub threads: usize,
    /// `lapis`, `openblas` or `faer`.
    #[serde(rename = "impl")]
    pub impl_: String,
    /// `ok`, `wrong` (failed verification, not timed) or `error` (the call failed).
    pub status: String,
    /// Median seconds per call.
    pub median_s: Option<f64>,
    /// Fastest seconds per call.
    pub min_s: Option<f64>,
    /// Slowest seconds per call.
    pub max_s: Option<f64>,
    /// Interquartile range of the per-call samples divided by the median.
    pub spread: Option<f64>,
    /// Number of timed samples.
    pub samples: usize,
    /// Calls per sample (small ops are timed in batches; times above are per call).
    pub iters_per_sample: usize,
    /// Floating-point operations of one call, when defined.
    pub flops: Option<f64>,
    /// `flops / median_s / 1e9`.
    pub gflops: Option<f64>,
    /// Error against the reference (lapis, or the peers when they agree and lapis does
    /// not), in the op's own normalised measure; `null` for the reference itself.
    pub rel_err: Option<f64>,
    /// The bound `rel_err` was checked against.
    pub tol: Option<f64>,
    /// Free text (error message, verification detail).
    pub note: Option<String>,
}

/// Machine, libraries and method.
#[derive(Clone, Debug, Serialize)]
pub struct Meta {
    /// `YYYY-MM-DD HH:MM:SS UTC`.
    pub date_utc: String,
    /// Seconds since the Unix epoch.
    pub unix_time: u64,
    /// The runner's command line.
    pub command: Vec<String>,
    /// The command a person typed, when a launcher (the xtask) started the runner.
    pub launcher: Option<String>,
    /// `--quick` was given.
    pub quick: bool,
    /// CPU model (`/proc/cpuinfo`).
    pub cpu_model: String,
    /// Logical CPUs visible.
    pub logical_cpus: usize,
    /// lapis's side.
    pub lapis: LapisMeta,
    /// The OpenBLAS that ran, if any.
    pub openblas: Option<OpenBlasMeta>,
    /// Every library file tried, with its config string or the failure.
    pub openblas_search: Vec<String>,
    /// Environment variables the launcher removed before starting the runner
    /// (`NAME=value`), e.g. `OPENBLAS_CORETYPE=Haswell`.
    pub env_removed: Vec<String>,
    /// `OPENBLAS_*`/`GOTO_*` variables still present when OpenBLAS was loaded.
    pub env_openblas_present: Vec<String>,
    /// faer's version.
    pub faer_version: String,
    /// Peak FMA of one core; `null` when not measured.
    pub peak: Option<PeakMeta>,
    /// Timing method parameters.
    pub method: Method,
}

/// lapis's configuration.
#[derive(Clone, Debug, Serialize)]
pub struct LapisMeta {
    /// Crate version.
    pub version: String,
    /// `lapis_kernels::arch()`.
    pub isa: String,
    /// L1d, L2, L3 bytes as lapis sees them.
    pub cache_sizes: [usize; 3],
}

/// The OpenBLAS library used.
#[derive(Clone, Debug, Serialize)]
pub struct OpenBlasMeta {
    /// File loaded.
    pub path: String,
    /// `openblas_get_config()`.
    pub config: String,
    /// `openblas_get_corename()`.
    pub corename: String,
    /// Version string, e.g. `0.3.34.481.3`.
    pub version: String,
    /// Symbol naming: prefix and suffix, e.g. `scipy_` and ``.
    pub symbol_prefix: String,
    /// Symbol suffix (`64_` for ILP64 builds).
    pub symbol_suffix: String,
    /// 64-bit integers.
    pub ilp64: bool,
    /// LAPACK routines the harness may need that this library lacks.
    pub lapack_missing: Vec<String>,
}

/// Peak FMA of one core.
#[derive(Clone, Debug, Serialize)]
pub struct PeakMeta {
    /// ISA of the measured instructions.
    pub isa: String,
    /// f64 GFLOP/s per core.
    pub f64_gflops: f64,
    /// f32 GFLOP/s per core.
    pub f32_gflops: f64,
}

/// How cases were timed.
#[derive(Clone, Debug, Serialize)]
pub struct Method {
    /// Warm-up seconds per implementation and case (at least two calls).
    pub warmup_s: f64,
    /// Time budget per case (all implementations together).
    pub budget_s: f64,
    /// Samples per implementation at least, even past the budget.
    pub min_samples: usize,
    /// Target duration of one sample (small ops batch calls up to this).
    pub target_sample_s: f64,
    /// Implementations run in turn A B C A B C …
    pub alternating: bool,
}
