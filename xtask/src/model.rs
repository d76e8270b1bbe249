//! The bench results file as the xtask reads it (`target/bench/results.json`, written by
//! `lapis-bench`). Mirrors `lapis_benches::record`; unknown fields are ignored and missing
//! optional ones default, so older and newer files both load.

use serde::{Deserialize, Serialize};

/// The whole file.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Results {
    /// Layout version (1).
    pub schema_version: u32,
    /// Machine, libraries, method.
    pub meta: Meta,
    /// One per (case, implementation).
    pub records: Vec<Record>,
}

/// One case for one implementation.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct Record {
    pub op: String,
    pub dtype: String,
    pub shape: Vec<usize>,
    #[serde(default)]
    pub n: Option<usize>,
    pub threads: usize,
    #[serde(rename = "impl")]
    pub impl_: String,
    #[serde(default = "ok")]
    pub status: String,
    pub median_s: Option<f64>,
    pub min_s: Option<f64>,
    #[serde(default)]
    pub max_s: Option<f64>,
    #[serde(default)]
    pub spread: Option<f64>,
    #[serde(default)]
    pub samples: usize,
    #[serde(default)]
    pub iters_per_sample: usize,
    #[serde(default)]
    pub flops: Option<f64>,
    #[serde(default)]
    pub gflops: Option<f64>,
    #[serde(default)]
    pub rel_err: Option<f64>,
    #[serde(default)]
    pub tol: Option<f64>,
    #[serde(default)]
    pub note: Option<String>,
}

fn ok() -> String {
    "ok".to_string()
}

/// Run metadata.
#[derive(Clone, Debug, Deserialize, Serialize, Default)]
#[serde(default)]
pub struct Meta {
    pub date_utc: String,
    pub unix_time: u64,
    pub command: Vec<String>,
    pub launcher: Option<String>,
    pub quick: bool,
    pub cpu_model: String,
    pub logical_cpus: usize,
    pub lapis: LapisMeta,
    pub openblas: Option<OpenBlasMeta>,
    pub openblas_search: Vec<String>,
    pub env_removed: Vec<String>,
    pub env_openblas_present: Vec<String>,
    pub faer_version: String,
    pub peak: Option<PeakMeta>,
    pub method: Method,
}

#[derive(Clone, Debug, Deserialize, Serialize, Default)]
#[serde(default)]
pub struct LapisMeta {
    pub version: String,
    pub isa: String,
    pub cache_sizes: [usize; 3],
}

#[derive(Clone, Debug, Deserialize, Serialize, Default)]
#[serde(default)]
pub struct OpenBlasMeta {
    pub path: String,
    pub config: String,
    pub corename: String,
    pub version: String,
    pub symbol_prefix: String,
    pub symbol_suffix: String,
    pub ilp64: bool,
    pub lapack_missing: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize, Default)]
#[serde(default)]
pub struct PeakMeta {
    pub isa: String,
    pub f64_gflops: f64,
    pub f32_gflops: f64,
}

#[derive(Clone, Debug, Deserialize, Serialize, Default)]
#[serde(default)]
pub struct Method {
    pub warmup_s: f64,
    pub budget_s: f64,
    pub min_samples: usize,
    pub target_sample_s: f64,
    pub alternating: bool,
}

impl PeakMeta {
    /// Per-core peak for a dtype name.
    pub fn for_dtype(&self, dtype: &str) -> Option<f64> {
        match dtype {
            "f64" => Some(self.f64_gflops),
            "f32" => Some(self.f32_gflops),
            _ => None,
        }
        .filter(|g| *g > 0.0)
    }
}
