//! Reading and writing numpy's files: `.npy` (one array) and `.npz` (a zip of `.npy`
//! files), so data moves between numpy and Lapis without glue.
//!
//! | numpy | Lapis |
//! |---|---|
//! | `np.save(path, a)` | [`save_npy`]`(path, &a)` |
//! | `np.load(path)` (`.npy`) | [`load_npy::<T>`](load_npy)`(path)`, or [`load_npy_any`] when the dtype is not known |
//! | `np.save(f, a)` / `np.load(f)` on a stream | [`write_npy`] / [`read_npy`], [`read_npy_any`] |
//! | `np.savez(path, x=x, y=y)` | [`save_npz`]`(path, &[("x", &x as &dyn NpySave), ("y", &y)])` |
//! | `np.load(path)` (`.npz`, from `savez` or `savez_compressed`) | [`load_npz`]`(path)?.array::<T>("x")` |
//!
//! Element types: `f32` (`float32`), `f64` (`float64`), `i32`, `i64`, `usize` (as
//! `uint64`), `bool`, [`c32`](crate::c32) (`complex64`, `<c8`) and [`c64`](crate::c64)
//! (`complex128`, `<c16`); either byte order is read. Malformed or truncated files give
//! [`LinalgError::Format`](crate::LinalgError), never a panic.
//!
//! ```
//! use lapis::{array, io};
//! // numpy: np.save("a.npy", a); b = np.load("a.npy")
//! let a = array![[1., 2.], [3., 4.]];
//! let path = std::env::temp_dir().join("lapis_doc_io.npy");
//! io::save_npy(&path, &a).unwrap();
//! assert_eq!(io::load_npy::<f64>(&path).unwrap(), a);
//! # std::fs::remove_file(&path).ok();
//! ```

mod npy;
mod npz;

pub use npy::{
    NpyArray, NpyDtype, NpyElement, load_npy, load_npy_any, read_npy, read_npy_any, save_npy,
    write_npy,
};
pub use npz::{NpySave, Npz, load_npz, read_npz, save_npz, write_npz};
