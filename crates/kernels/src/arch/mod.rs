//! Which instruction set the kernels run on: detected once, lowerable by `LAPIS_ARCH`.
//!
//! Detection order: x86_64 AVX-512F → AVX2+FMA → scalar; aarch64 NEON → scalar; anything
//! else scalar. `LAPIS_ARCH=avx512|avx2|neon|scalar` may only lower the choice; asking for
//! an ISA the CPU lacks prints a warning and keeps the detected one. [`set_arch`] does the
//! same at run time (the test suites use it to run every path on one machine).

pub mod cache;

use core::fmt;
use core::str::FromStr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// An instruction-set level the kernels have code for.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Isa {
    /// Portable Rust, no explicit SIMD.
    Scalar = 0,
    /// aarch64 Advanced SIMD (128-bit, 32 registers).
    Neon = 1,
    /// x86_64 AVX2 with FMA3 (256-bit, 16 registers).
    Avx2 = 2,
    /// x86_64 AVX-512F (512-bit, 32 registers).
    Avx512 = 3,
}

impl Isa {
    /// Every ISA Lapis has kernels for, lowest first.
    pub const ALL: [Isa; 4] = [Isa::Scalar, Isa::Neon, Isa::Avx2, Isa::Avx512];

    /// The name `LAPIS_ARCH` uses.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Scalar => "scalar",
            Isa::Neon => "neon",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
        }
    }

    /// Whether this CPU can run the ISA's kernels.
    pub fn is_supported(self) -> bool {
        match self {
            Isa::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => {
                std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => {
                Isa::Avx2.is_supported() && std::arch::is_x86_feature_detected!("avx512f")
            }
            #[cfg(target_arch = "aarch64")]
            Isa::Neon => std::arch::is_aarch64_feature_detected!("neon"),
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }

    /// The ISAs this CPU supports, lowest first.
    ///
    /// ```
    /// use lapis_kernels::Isa;
    /// assert!(Isa::supported().contains(&Isa::Scalar));
    /// ```
    pub fn supported() -> Vec<Isa> {
        Isa::ALL.into_iter().filter(|i| i.is_supported()).collect()
    }

    #[inline]
    fn from_u8(v: u8) -> Isa {
        match v {
            1 => Isa::Neon,
            2 => Isa::Avx2,
            3 => Isa::Avx512,
            _ => Isa::Scalar,
        }
    }
}

impl fmt::Display for Isa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why an ISA could not be selected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArchError {
    /// The name is not one of `avx512`, `avx2`, `neon`, `scalar`.
    Unknown(String),
    /// The CPU cannot run the requested ISA.
    Unsupported {
        /// What was asked for.
        requested: Isa,
        /// The best this CPU offers.
        detected: Isa,
    },
}

impl fmt::Display for ArchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArchError::Unknown(s) => write!(
                f,
                "unknown ISA {s:?}: expected one of avx512, avx2, neon, scalar"
            ),
            ArchError::Unsupported {
                requested,
                detected,
            } => write!(
                f,
                "ISA {requested} is not supported by this CPU (best available: {detected})"
            ),
        }
    }
}

impl std::error::Error for ArchError {}

impl FromStr for Isa {
    type Err = ArchError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "scalar" | "generic" => Ok(Isa::Scalar),
            "neon" => Ok(Isa::Neon),
            "avx2" | "fma" => Ok(Isa::Avx2),
            "avx512" | "avx512f" => Ok(Isa::Avx512),
            _ => Err(ArchError::Unknown(s.to_string())),
        }
    }
}

/// The best ISA this CPU supports, ignoring `LAPIS_ARCH`.
pub fn detected() -> Isa {
    static DETECTED: OnceLock<Isa> = OnceLock::new();
    *DETECTED.get_or_init(|| {
        Isa::ALL
            .into_iter()
            .rev()
            .find(|i| i.is_supported())
            .unwrap_or(Isa::Scalar)
    })
}

const UNSET: u8 = u8::MAX;
static ACTIVE: AtomicU8 = AtomicU8::new(UNSET);

fn initial() -> Isa {
    let best = detected();
    match std::env::var("LAPIS_ARCH") {
        Err(_) => best,
        Ok(s) if s.trim().is_empty() => best,
        Ok(s) => match s.parse::<Isa>() {
            Ok(isa) if isa.is_supported() => isa,
            Ok(isa) => {
                eprintln!(
                    "lapis: {}; using {best}",
                    ArchError::Unsupported {
                        requested: isa,
                        detected: best
                    }
                );
                best
            }
            Err(e) => {
                eprintln!("lapis: LAPIS_ARCH: {e}; using {best}");
                best
            }
        },
    }
}

/// The ISA the kernels dispatch to now.
///
/// ```
/// // numpy: np.show_config() names the SIMD extensions in use
/// let isa = lapis_kernels::arch();
/// assert!(isa.is_supported());
/// ```
#[inline]
pub fn arch() -> Isa {
    let v = ACTIVE.load(Ordering::Relaxed);
    if v != UNSET {
        return Isa::from_u8(v);
    }
    first_arch()
}

/// The detection on the first call of [`arch()`], out of line so that every kernel call
/// inlines only the load above.
#[cold]
fn first_arch() -> Isa {
    let isa = initial();
    // Several threads may race here; they all compute the same value.
    ACTIVE.store(isa as u8, Ordering::Relaxed);
    isa
}

/// Selects the ISA for every later kernel call in this process; returns the previous one.
///
/// Fails, changing nothing, when the CPU cannot run `isa`.
///
/// ```
/// use lapis_kernels::{arch, set_arch, Isa};
/// let before = set_arch(Isa::Scalar).unwrap();
/// assert_eq!(arch(), Isa::Scalar);
/// set_arch(before).unwrap();
/// ```
pub fn set_arch(isa: Isa) -> Result<Isa, ArchError> {
    if !isa.is_supported() {
        return Err(ArchError::Unsupported {
            requested: isa,
            detected: detected(),
        });
    }
    let prev = arch();
    ACTIVE.store(isa as u8, Ordering::Relaxed);
    Ok(prev)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for isa in Isa::ALL {
            assert_eq!(isa.name().parse::<Isa>().unwrap(), isa);
        }
        assert!(matches!("sse9".parse::<Isa>(), Err(ArchError::Unknown(_))));
    }

    #[test]
    fn detected_is_supported_and_maximal() {
        let d = detected();
        assert!(d.is_supported());
        assert!(Isa::supported().iter().all(|&i| i <= d || i == Isa::Neon));
    }

    #[test]
    fn cannot_raise_beyond_the_cpu() {
        for isa in Isa::ALL {
            if !isa.is_supported() {
                assert!(matches!(set_arch(isa), Err(ArchError::Unsupported { .. })));
            }
        }
    }
}
