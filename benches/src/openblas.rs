//! OpenBLAS as a peer, loaded at run time with `libloading` (never linked).
//!
//! Where it comes from, first match wins:
//! 1. `LAPIS_OPENBLAS=/path/to/libopenblas.so` — only that file is tried;
//! 2. otherwise every `*openblas*.so*` under the peers folder (`target/peers/`, where
//!    `cargo xtask bench` unpacks the `scipy-openblas32` wheel) and Debian's/Fedora's usual
//!    paths are loaded, and the most recent OpenBLAS version among them is kept.
//!
//! Symbol namings handled: plain (`cblas_dgemm`, `dgetrf_`), scipy-openblas's `scipy_`
//! prefix (`scipy_cblas_dgemm`), and ILP64 builds with the `64_` suffix (`cblas_dgemm64_`,
//! `scipy_dgetrf_64_`) whose integers are 64-bit. A library file named `*openblas64*`
//! without a suffix is taken as ILP64 too (Debian's `libopenblas64`).
//!
//! Only what GEMM needs is required; LAPACK routines are looked up on demand with
//! [`OpenBlas::lapack_symbol`], so a library lacking them still benchmarks GEMM.

use core::ffi::{c_char, c_int};
use std::ffi::CStr;
use std::fmt;
use std::path::{Path, PathBuf};

use libloading::Library;

const CBLAS_COL_MAJOR: c_int = 102;
const CBLAS_NO_TRANS: c_int = 111;

/// `cblas_?gemm` with 32-bit integers (LP64).
pub type GemmLp64<T> = unsafe extern "C" fn(
    c_int,
    c_int,
    c_int,
    i32,
    i32,
    i32,
    T,
    *const T,
    i32,
    *const T,
    i32,
    T,
    *mut T,
    i32,
);
/// `cblas_?gemm` with 64-bit integers (ILP64).
pub type GemmIlp64<T> = unsafe extern "C" fn(
    c_int,
    c_int,
    c_int,
    i64,
    i64,
    i64,
    T,
    *const T,
    i64,
    *const T,
    i64,
    T,
    *mut T,
    i64,
);

/// A resolved `cblas_?gemm`; only callable through [`OpenBlas::gemm`], which keeps the
/// library loaded for as long as the call runs.
#[derive(Clone, Copy, Debug)]
pub enum GemmFn<T> {
    /// 32-bit integer interface.
    Lp64(GemmLp64<T>),
    /// 64-bit integer interface.
    Ilp64(GemmIlp64<T>),
}

/// The LAPACK routines later ops use (base names; prefix/suffix are added per library).
pub const LAPACK_ROUTINES: &[&str] = &[
    "sgetrf_", "dgetrf_", "sgetrs_", "dgetrs_", "sgesv_", "dgesv_", "sgetri_", "dgetri_",
    "spotrf_", "dpotrf_", "sgeqrf_", "dgeqrf_", "ssyevd_", "dsyevd_", "sgesdd_", "dgesdd_",
    "sgelsd_", "dgelsd_", "sgelsy_", "dgelsy_",
];

/// One loaded OpenBLAS.
pub struct OpenBlas {
    /// The file it was loaded from.
    pub path: PathBuf,
    /// `openblas_get_config()`, e.g. `OpenBLAS 0.3.34 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64`.
    pub config: String,
    /// `openblas_get_corename()`: the kernel family actually in use.
    pub corename: String,
    /// The version numbers parsed from the config string (empty when unparsable).
    pub version: Vec<u32>,
    /// Symbol prefix (`""` or `"scipy_"`).
    pub prefix: &'static str,
    /// Symbol suffix (`""` or `"64_"`).
    pub suffix: &'static str,
    /// Whether BLAS/LAPACK integers are 64-bit.
    pub ilp64: bool,
    pub(crate) sgemm: GemmFn<f32>,
    pub(crate) dgemm: GemmFn<f64>,
    set_num_threads: unsafe extern "C" fn(c_int),
    get_num_threads: Option<unsafe extern "C" fn() -> c_int>,
    // Last: the function pointers above point into it.
    lib: Library,
}

impl fmt::Debug for OpenBlas {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenBlas")
            .field("path", &self.path)
            .field("config", &self.config)
            .field("corename", &self.corename)
            .field("prefix", &self.prefix)
            .field("suffix", &self.suffix)
            .field("ilp64", &self.ilp64)
            .finish_non_exhaustive()
    }
}

/// Reads a C string returned by an OpenBLAS query function.
fn c_str(getter: Option<unsafe extern "C" fn() -> *const c_char>) -> String {
    let Some(getter) = getter else {
        return String::new();
    };
    // SAFETY: `openblas_get_config`/`openblas_get_corename` take no arguments and return a
    // pointer to a static NUL-terminated string (or null), valid while the library is loaded.
    let ptr = unsafe { getter() };
    if ptr.is_null() {
        return String::new();
    }
    // SAFETY: non-null, NUL-terminated, static storage inside the still-loaded library.
    unsafe { CStr::from_ptr(ptr) }
        .to_string_lossy()
        .trim()
        .to_string()
}

/// `"OpenBLAS 0.3.34.481.3 DYNAMIC_ARCH …"` → `[0, 3, 34, 481, 3]`.
pub fn parse_version(config: &str) -> Vec<u32> {
    let Some(word) = config.split_whitespace().nth(1) else {
        return Vec::new();
    };
    word.split('.').map_while(|p| p.parse().ok()).collect()
}

impl OpenBlas {
    /// Loads `path` and resolves the entry points GEMM needs.
    pub fn load(path: &Path) -> Result<OpenBlas, String> {
        // SAFETY: loading a shared library runs its initialisers; OpenBLAS's only set up its
        // thread pool and CPU detection, which is sound to do at any time in this process.
        let lib = unsafe { Library::new(path) }.map_err(|e| format!("cannot load: {e}"))?;
        let namings: [(&'static str, &'static str); 4] =
            [("", ""), ("scipy_", ""), ("", "64_"), ("scipy_", "64_")];
        let mut found = None;
        for (prefix, suffix) in namings {
            let name = format!("{prefix}cblas_dgemm{suffix}");
            // SAFETY: only checks that the symbol exists; the pointer is not called.
            if unsafe { lib.get::<*const ()>(name.as_bytes()) }.is_ok() {
                found = Some((prefix, suffix));
                break;
            }
        }
        let (prefix, suffix) = found.ok_or("no cblas_dgemm symbol (any naming)")?;
        let file_name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ilp64 = suffix == "64_" || file_name.contains("openblas64");

        // OpenBLAS's own functions carry the suffix in scipy's ILP64 builds; accept both.
        let lookup_any = |base: &str| -> Vec<String> {
            vec![
                format!("{prefix}{base}{suffix}"),
                format!("{prefix}{base}"),
                base.to_string(),
            ]
        };
        macro_rules! get_fn {
            ($base:expr, $ty:ty) => {{
                let mut r: Option<$ty> = None;
                for name in lookup_any($base) {
                    // SAFETY: the symbol is an OpenBLAS function whose C signature is `$ty`
                    // (see cblas.h / openblas_config.h); the copied pointer is only called
                    // while `lib` is alive, as `lib` is stored alongside it.
                    if let Ok(s) = unsafe { lib.get::<$ty>(name.as_bytes()) } {
                        r = Some(*s);
                        break;
                    }
                }
                r
            }};
        }
        let get_config = get_fn!(
            "openblas_get_config",
            unsafe extern "C" fn() -> *const c_char
        );
        let get_corename = get_fn!(
            "openblas_get_corename",
            unsafe extern "C" fn() -> *const c_char
        );
        let set_num_threads = get_fn!("openblas_set_num_threads", unsafe extern "C" fn(c_int))
            .ok_or("no openblas_set_num_threads symbol")?;
        let get_num_threads = get_fn!("openblas_get_num_threads", unsafe extern "C" fn() -> c_int);
        let config = c_str(get_config);
        let corename = c_str(get_corename);

        let sgemm_name = format!("{prefix}cblas_sgemm{suffix}");
        let dgemm_name = format!("{prefix}cblas_dgemm{suffix}");
        let (sgemm, dgemm) = if ilp64 {
            // SAFETY: in an ILP64 build `cblas_?gemm` takes 64-bit integers (blasint = int64),
            // matching `GemmIlp64`; `lib` outlives every call (stored in the same struct).
            let s = unsafe { lib.get::<GemmIlp64<f32>>(sgemm_name.as_bytes()) }
                .map_err(|e| format!("{sgemm_name}: {e}"))?;
            // SAFETY: as above, for the f64 variant.
            let d = unsafe { lib.get::<GemmIlp64<f64>>(dgemm_name.as_bytes()) }
                .map_err(|e| format!("{dgemm_name}: {e}"))?;
            (GemmFn::Ilp64(*s), GemmFn::Ilp64(*d))
        } else {
            // SAFETY: LP64 build: `cblas_?gemm` takes 32-bit integers, matching `GemmLp64`.
            let s = unsafe { lib.get::<GemmLp64<f32>>(sgemm_name.as_bytes()) }
                .map_err(|e| format!("{sgemm_name}: {e}"))?;
            // SAFETY: as above, for the f64 variant.
            let d = unsafe { lib.get::<GemmLp64<f64>>(dgemm_name.as_bytes()) }
                .map_err(|e| format!("{dgemm_name}: {e}"))?;
            (GemmFn::Lp64(*s), GemmFn::Lp64(*d))
        };
        Ok(OpenBlas {
            path: path.to_path_buf(),
            version: parse_version(&config),
            config,
            corename,
            prefix,
            suffix,
            ilp64,
            sgemm,
            dgemm,
            set_num_threads,
            get_num_threads,
            lib,
        })
    }

    /// `openblas_set_num_threads(t)`.
    pub fn set_num_threads(&self, threads: usize) {
        let t = c_int::try_from(threads.max(1)).unwrap_or(c_int::MAX);
        // SAFETY: `openblas_set_num_threads(int)` accepts any positive count; `self.lib` is
        // loaded for the lifetime of `self`.
        unsafe { (self.set_num_threads)(t) }
    }

    /// `openblas_get_num_threads()`, when the library exports it.
    pub fn num_threads(&self) -> Option<usize> {
        let f = self.get_num_threads?;
        // SAFETY: no arguments, returns the current thread setting; library still loaded.
        let t = unsafe { f() };
        usize::try_from(t).ok()
    }

    /// The exported name of a BLAS/LAPACK routine in this library (`dgetrf_` →
    /// `scipy_dgetrf_64_` in scipy's ILP64 build).
    pub fn symbol_name(&self, base: &str) -> String {
        format!("{}{}{}", self.prefix, base, self.suffix)
    }

    /// Whether the library exports `base` (under its naming).
    pub fn has_symbol(&self, base: &str) -> bool {
        let name = self.symbol_name(base);
        // SAFETY: only checks presence; the pointer is not used.
        unsafe { self.lib.get::<*const ()>(name.as_bytes()) }.is_ok()
    }

    /// Resolves a LAPACK (or any other) routine by base name, e.g. `"dgetrf_"`.
    ///
    /// Integers are `i64` when [`OpenBlas::ilp64`] is set, `i32` otherwise.
    ///
    /// # Safety
    /// `F` must be the exact `unsafe extern "C" fn` type of the routine for this library's
    /// integer width, and the returned pointer must not be called after `self` is dropped.
    pub unsafe fn lapack_symbol<F: Copy>(&self, base: &str) -> Option<F> {
        let name = self.symbol_name(base);
        // SAFETY: the caller guarantees `F` matches the symbol's type and lifetime use.
        unsafe { self.lib.get::<F>(name.as_bytes()) }
            .ok()
            .map(|s| *s)
    }

    /// Which of [`LAPACK_ROUTINES`] this library lacks.
    pub fn missing_lapack(&self) -> Vec<String> {
        LAPACK_ROUTINES
            .iter()
            .filter(|r| !self.has_symbol(r))
            .map(|r| r.to_string())
            .collect()
    }

    /// `C ← α·A·B + β·C` on column-major operands (`A` is m×k, `B` k×n, `C` m×n, leading
    /// dimensions = row counts) through `cblas_?gemm`.
    pub fn gemm<T: crate::BenchScalar>(
        &self,
        m: usize,
        n: usize,
        k: usize,
        alpha: T,
        a: &[T],
        b: &[T],
        beta: T,
        c: &mut [T],
    ) -> Result<(), String> {
        if a.len() < m * k || b.len() < k * n || c.len() < m * n {
            return Err("gemm: operand slices too short".to_string());
        }
        let (lda, ldb, ldc) = (m.max(1), k.max(1), m.max(1));
        match T::openblas_gemm(self) {
            GemmFn::Lp64(f) => {
                let cv = |x: usize| i32::try_from(x).map_err(|_| format!("{x} overflows i32"));
                let (mi, ni, ki) = (cv(m)?, cv(n)?, cv(k)?);
                let (la, lb, lc) = (cv(lda)?, cv(ldb)?, cv(ldc)?);
                // SAFETY: the slices hold at least m·k, k·n, m·n elements (checked above), the
                // leading dimensions are the row counts (≥ 1), no aliasing (`c` is `&mut`),
                // and `self.lib` stays loaded during the call.
                unsafe {
                    f(
                        CBLAS_COL_MAJOR,
                        CBLAS_NO_TRANS,
                        CBLAS_NO_TRANS,
                        mi,
                        ni,
                        ki,
                        alpha,
                        a.as_ptr(),
                        la,
                        b.as_ptr(),
                        lb,
                        beta,
                        c.as_mut_ptr(),
                        lc,
                    )
                }
            }
            GemmFn::Ilp64(f) => {
                let cv = |x: usize| i64::try_from(x).map_err(|_| format!("{x} overflows i64"));
                // SAFETY: as in the LP64 arm, with 64-bit integer arguments.
                unsafe {
                    f(
                        CBLAS_COL_MAJOR,
                        CBLAS_NO_TRANS,
                        CBLAS_NO_TRANS,
                        cv(m)?,
                        cv(n)?,
                        cv(k)?,
                        alpha,
                        a.as_ptr(),
                        cv(lda)?,
                        b.as_ptr(),
                        cv(ldb)?,
                        beta,
                        c.as_mut_ptr(),
                        cv(ldc)?,
                    )
                }
            }
        }
        Ok(())
    }
}

/// One library file that was tried.
#[derive(Clone, Debug)]
pub struct Tried {
    /// The file.
    pub path: PathBuf,
    /// Its config string, or why it could not be used.
    pub outcome: Result<String, String>,
}

/// The result of looking for OpenBLAS.
#[derive(Debug)]
pub struct Search {
    /// The library chosen (the most recent version found).
    pub chosen: Option<OpenBlas>,
    /// Every file tried, in order.
    pub tried: Vec<Tried>,
}

/// Files under `dir` (depth ≤ 6) that look like an OpenBLAS shared library.
fn scan(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if depth < 6 {
                scan(&p, depth + 1, out);
            }
            continue;
        }
        let name = p
            .file_name()
            .map(|f| f.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let is_lib = name.ends_with(".so")
            || name.contains(".so.")
            || name.ends_with(".dylib")
            || name.ends_with(".dll");
        if name.contains("openblas") && is_lib {
            out.push(p);
        }
    }
}

/// Candidate library files, most preferred first (before version comparison).
pub fn candidates(peers_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(dir) = peers_dir {
        scan(dir, 0, &mut out);
    }
    let triple = format!("{}-linux-gnu", std::env::consts::ARCH);
    for sub in ["openblas-pthread", "openblas-openmp", "openblas-serial", ""] {
        let dir = Path::new("/usr/lib").join(&triple).join(sub);
        out.push(dir.join("libopenblas.so.0"));
    }
    for p in [
        "/usr/lib64/libopenblas.so.0",
        "/usr/lib64/libopenblasp.so.0",
        "/usr/lib/libopenblas.so.0",
        "/usr/local/lib/libopenblas.so.0",
        "/usr/local/lib/libopenblas.so",
        "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
    ] {
        out.push(PathBuf::from(p));
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| p.exists() && seen.insert(p.canonicalize().unwrap_or_else(|_| p.clone())));
    out
}

/// Finds OpenBLAS: `LAPIS_OPENBLAS` if set, else the most recent of [`candidates`].
pub fn search(peers_dir: Option<&Path>) -> Search {
    let explicit = std::env::var_os("LAPIS_OPENBLAS").filter(|v| !v.is_empty());
    let paths = match &explicit {
        Some(p) => vec![PathBuf::from(p)],
        None => candidates(peers_dir),
    };
    let mut tried = Vec::new();
    let mut chosen: Option<OpenBlas> = None;
    for path in paths {
        match OpenBlas::load(&path) {
            Ok(ob) => {
                tried.push(Tried {
                    path: path.clone(),
                    outcome: Ok(format!("{} (core {})", ob.config, ob.corename)),
                });
                let better = match &chosen {
                    None => true,
                    Some(c) => ob.version > c.version,
                };
                if better {
                    chosen = Some(ob);
                }
            }
            Err(e) => tried.push(Tried {
                path,
                outcome: Err(e),
            }),
        }
    }
    Search { chosen, tried }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_order() {
        let v = parse_version("OpenBLAS 0.3.34.481.3 DYNAMIC_ARCH NO_AFFINITY SkylakeX");
        assert_eq!(v, vec![0, 3, 34, 481, 3]);
        assert!(parse_version("OpenBLAS 0.3.21 NO_LAPACKE") < v);
        assert!(parse_version("").is_empty());
    }
}
