//! The table of benchmarked operations.
//!
//! Adding an op is one file and one line: implement [`BenchOp`] (cases, flop count, how to
//! prepare inputs) and [`Prepared`] (how lapis, OpenBLAS and faer run it on those inputs,
//! and how two answers are compared) in `ops/<name>.rs`, then list it in [`registry`].
//! The driver ([`crate::driver`]) does everything else: threads, warm-up, verification,
//! alternating timing and records.

pub mod batched_inv;
pub mod batched_matmul;
pub mod check;
pub mod cholesky;
pub mod det;
pub mod eig;
pub mod eigh;
pub mod eigvalsh;
pub mod gemm;
pub mod inv;
pub mod lstsq;
pub mod qr;
pub mod randomized_svd;
pub mod solve;
pub mod svd;
pub mod svdvals;

use core::fmt;
use core::str::FromStr;

use crate::openblas::OpenBlas;

/// An implementation under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Impl {
    /// This project.
    Lapis,
    /// OpenBLAS (BLAS + its bundled LAPACK) through the C ABI.
    OpenBlas,
    /// faer, the Rust peer.
    Faer,
}

impl Impl {
    /// All implementations, in the order they take turns.
    pub const ALL: [Impl; 3] = [Impl::Lapis, Impl::OpenBlas, Impl::Faer];

    /// The name used in records: `lapis`, `openblas`, `faer`.
    pub fn name(self) -> &'static str {
        match self {
            Impl::Lapis => "lapis",
            Impl::OpenBlas => "openblas",
            Impl::Faer => "faer",
        }
    }
}

impl FromStr for Impl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Impl::ALL
            .into_iter()
            .find(|i| i.name() == s.trim())
            .ok_or_else(|| format!("unknown implementation {s:?} (lapis, openblas, faer)"))
    }
}

impl fmt::Display for Impl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Element type of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dtype {
    /// Single precision.
    F32,
    /// Double precision.
    F64,
}

impl Dtype {
    /// Both, in report order.
    pub const ALL: [Dtype; 2] = [Dtype::F32, Dtype::F64];

    /// `f32` or `f64`.
    pub fn name(self) -> &'static str {
        match self {
            Dtype::F32 => "f32",
            Dtype::F64 => "f64",
        }
    }
}

impl FromStr for Dtype {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "f32" | "float32" => Ok(Dtype::F32),
            "f64" | "float64" => Ok(Dtype::F64),
            other => Err(format!("unknown dtype {other:?} (f32, f64)")),
        }
    }
}

/// One case of an op: a dtype and a shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// Element type.
    pub dtype: Dtype,
    /// Op-specific shape (gemm: `[m, n, k]`).
    pub shape: Vec<usize>,
    /// The size this case was made from (`None` for fixed extra shapes).
    pub n: Option<usize>,
}

/// What an implementation needs to run: thread count and the loaded peers.
#[derive(Clone, Copy, Debug)]
pub struct Ctx<'a> {
    /// Threads granted to every implementation.
    pub threads: usize,
    /// OpenBLAS, when one was found.
    pub openblas: Option<&'a OpenBlas>,
}

impl Ctx<'_> {
    /// lapis's parallelism (`Seq` for one thread). The driver runs lapis inside a rayon
    /// pool of exactly `threads` threads.
    pub fn lapis_par(&self) -> lapis_kernels::Par {
        if self.threads <= 1 {
            lapis_kernels::Par::Seq
        } else {
            lapis_kernels::Par::Rayon(self.threads)
        }
    }

    /// faer's parallelism (`Seq` for one thread), run inside the same pool.
    pub fn faer_par(&self) -> ::faer::Par {
        crate::faer::par(self.threads)
    }

    /// The loaded OpenBLAS, or an error for the record.
    pub fn openblas(&self) -> Result<&OpenBlas, String> {
        self.openblas
            .ok_or_else(|| "OpenBLAS not loaded".to_string())
    }
}

/// The outcome of comparing two implementations' answers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Verdict {
    /// The op's normalised error measure.
    pub rel_err: f64,
    /// The bound it must not exceed.
    pub tol: f64,
}

impl Verdict {
    /// Within the bound (and not NaN).
    pub fn ok(&self) -> bool {
        self.rel_err <= self.tol
    }
}

/// A benchmarked operation.
pub trait BenchOp: Sync {
    /// Name in records and on the command line (`gemm`, `solve`, …).
    fn name(&self) -> &'static str;
    /// Sizes run when `--sizes` is not given (default: the factorization issues' sizes).
    fn default_sizes(&self, quick: bool) -> Vec<usize> {
        // The factorization issues' sizes; --quick drops the slowest.
        if quick {
            vec![100, 500, 1000]
        } else {
            vec![100, 500, 1000, 2000]
        }
    }
    /// The shape a size `n` stands for (default `[n, n]`; gemm: `[n, n, n]`).
    fn shape_for_size(&self, n: usize) -> Vec<usize> {
        vec![n, n]
    }
    /// Fixed shapes added to default and `--quick` runs (not when `--sizes` is given).
    fn extra_shapes(&self, _quick: bool) -> Vec<Vec<usize>> {
        Vec::new()
    }
    /// Floating-point operations of one call, when defined.
    fn flops(&self, shape: &[usize]) -> Option<f64>;
    /// Builds inputs (identical for every implementation) and output buffers.
    fn prepare(&self, dtype: Dtype, shape: &[usize], seed: u64) -> Box<dyn Prepared>;

    /// Every case of a run.
    fn cases(&self, dtypes: &[Dtype], sizes: Option<&[usize]>, quick: bool) -> Vec<Case> {
        let mut shapes: Vec<(Vec<usize>, Option<usize>)> = match sizes {
            Some(s) => s
                .iter()
                .map(|&n| (self.shape_for_size(n), Some(n)))
                .collect(),
            None => self
                .default_sizes(quick)
                .into_iter()
                .map(|n| (self.shape_for_size(n), Some(n)))
                .collect(),
        };
        if sizes.is_none() {
            shapes.extend(self.extra_shapes(quick).into_iter().map(|s| (s, None)));
        }
        dtypes
            .iter()
            .flat_map(|&dtype| {
                shapes.iter().map(move |(shape, n)| Case {
                    dtype,
                    shape: shape.clone(),
                    n: *n,
                })
            })
            .collect()
    }
}

/// One prepared case: inputs plus one output buffer per implementation.
pub trait Prepared: Send {
    /// One call of `imp` (inputs are not modified; in-place ops copy them first).
    fn run(&mut self, imp: Impl, ctx: &Ctx<'_>) -> Result<(), String>;
    /// Compares the last answers of `x` and `y`.
    fn compare(&self, x: Impl, y: Impl) -> Verdict;
}

/// Every op the runner knows, in report order.
pub fn registry() -> Vec<&'static dyn BenchOp> {
    vec![
        &gemm::Gemm,
        &solve::Solve,
        &cholesky::Cholesky,
        &inv::Inv,
        &det::Det,
        &qr::Qr,
        &lstsq::Lstsq,
        &eigh::Eigh,
        &eig::Eig,
        &eigvalsh::Eigvalsh,
        &svd::Svd,
        &randomized_svd::RandomizedSvd,
        &svdvals::Svdvals,
        &batched_inv::BatchedInv,
        &batched_matmul::BatchedMatmul,
    ]
}

/// Op names of the contract that are not wired yet (the runner says so instead of failing).
pub const PLANNED: &[&str] = &["lu", "eigvals"];

/// The op called `name`.
pub fn find(name: &str) -> Option<&'static dyn BenchOp> {
    registry().into_iter().find(|op| op.name() == name)
}
