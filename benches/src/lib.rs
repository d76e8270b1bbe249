//! Benchmark support for Lapis: peers (OpenBLAS through its C ABI, faer) and timing.
