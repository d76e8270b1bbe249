//! The `.npy` format (numpy's `np.save` / `np.load`), versions 1.0, 2.0 and 3.0.
//!
//! A file is the magic `\x93NUMPY`, a major and minor version byte, the header length
//! (2 bytes little-endian in 1.0, 4 bytes in 2.0/3.0), a header that is a Python dict
//! literal `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }` padded with
//! spaces and a newline, and the elements, packed, in C or Fortran order.
//!
//! Reading never trusts the header: sizes are checked for overflow, the data is read in
//! bounded chunks (memory grows with the bytes actually present, not with the size the
//! header claims), and every malformed input is an [`LinalgError::Format`] error.

use std::io::{Read, Write};
use std::path::Path;

use crate::{Array, ArrayBase, Complex, Data, LinalgError};

const MAGIC: &[u8; 6] = b"\x93NUMPY";
/// Headers longer than this are refused (numpy's own default limit is 10 000 bytes).
const MAX_HEADER: usize = 1 << 20;
/// Data is read in chunks of at most this many bytes.
const CHUNK: usize = 1 << 20;

pub(super) fn format_err(message: impl Into<String>) -> LinalgError {
    LinalgError::Format {
        format: "npy",
        message: message.into(),
    }
}

pub(super) fn io_err(e: std::io::Error, context: &str) -> LinalgError {
    LinalgError::Io {
        kind: e.kind(),
        message: if context.is_empty() {
            e.to_string()
        } else {
            format!("{context}: {e}")
        },
    }
}

/// The element types of a numpy dtype that Lapis knows.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NpyDtype {
    /// `float32` (`f4`).
    F32,
    /// `float64` (`f8`).
    F64,
    /// `int32` (`i4`).
    I32,
    /// `int64` (`i8`).
    I64,
    /// `uint64` (`u8`), read into and written from `usize` (numpy's `uintp` on 64-bit).
    U64,
    /// `bool` (`|b1`).
    Bool,
    /// `complex64` (`c8`): two `float32`, read into and written from [`c32`](crate::c32).
    Complex64,
    /// `complex128` (`c16`): two `float64`, read into and written from [`c64`](crate::c64).
    Complex128,
}

impl NpyDtype {
    fn size(self) -> usize {
        match self {
            NpyDtype::F32 | NpyDtype::I32 => 4,
            NpyDtype::F64 | NpyDtype::I64 | NpyDtype::U64 | NpyDtype::Complex64 => 8,
            NpyDtype::Complex128 => 16,
            NpyDtype::Bool => 1,
        }
    }

    fn is_complex(self) -> bool {
        matches!(self, NpyDtype::Complex64 | NpyDtype::Complex128)
    }

    /// numpy's little-endian `descr`.
    fn descr(self) -> &'static str {
        match self {
            NpyDtype::F32 => "<f4",
            NpyDtype::F64 => "<f8",
            NpyDtype::I32 => "<i4",
            NpyDtype::I64 => "<i8",
            NpyDtype::U64 => "<u8",
            NpyDtype::Bool => "|b1",
            NpyDtype::Complex64 => "<c8",
            NpyDtype::Complex128 => "<c16",
        }
    }

    /// numpy's name for the dtype.
    pub fn name(self) -> &'static str {
        match self {
            NpyDtype::F32 => "float32",
            NpyDtype::F64 => "float64",
            NpyDtype::I32 => "int32",
            NpyDtype::I64 => "int64",
            NpyDtype::U64 => "uint64",
            NpyDtype::Bool => "bool",
            NpyDtype::Complex64 => "complex64",
            NpyDtype::Complex128 => "complex128",
        }
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
    impl Sealed for i32 {}
    impl Sealed for i64 {}
    impl Sealed for usize {}
    impl Sealed for bool {}
    impl Sealed for crate::c32 {}
    impl Sealed for crate::c64 {}
}

/// An element type that `.npy` files can hold: `f32`, `f64`, `i32`, `i64`, `usize`
/// (stored as `uint64`), `bool`, [`c32`](crate::c32) (`complex64`) and
/// [`c64`](crate::c64) (`complex128`). Sealed.
pub trait NpyElement: crate::Element + sealed::Sealed {
    /// The dtype this type reads from and writes to.
    const NPY_DTYPE: NpyDtype;
    /// Decodes one element from exactly `DTYPE.size()` bytes.
    #[doc(hidden)]
    fn decode(bytes: &[u8], big_endian: bool) -> Result<Self, LinalgError>;
    /// Appends the little-endian bytes of one element.
    #[doc(hidden)]
    fn encode(self, out: &mut Vec<u8>);
    /// The typed array out of a dynamically typed one, when the types agree.
    #[doc(hidden)]
    fn from_npy_array(a: NpyArray) -> Result<Array<Self>, NpyArray>;
}

macro_rules! npy_number {
    ($t:ty, $n:literal, $dtype:ident) => {
        impl NpyElement for $t {
            const NPY_DTYPE: NpyDtype = NpyDtype::$dtype;
            #[inline]
            fn decode(bytes: &[u8], big_endian: bool) -> Result<Self, LinalgError> {
                let b: [u8; $n] = bytes
                    .try_into()
                    .map_err(|_| format_err("element has the wrong byte count"))?;
                Ok(if big_endian {
                    <$t>::from_be_bytes(b)
                } else {
                    <$t>::from_le_bytes(b)
                })
            }
            #[inline]
            fn encode(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn from_npy_array(a: NpyArray) -> Result<Array<Self>, NpyArray> {
                match a {
                    NpyArray::$dtype(x) => Ok(x),
                    other => Err(other),
                }
            }
        }
    };
}

npy_number!(f32, 4, F32);
npy_number!(f64, 8, F64);
npy_number!(i32, 4, I32);
npy_number!(i64, 8, I64);

impl NpyElement for usize {
    const NPY_DTYPE: NpyDtype = NpyDtype::U64;
    #[inline]
    fn decode(bytes: &[u8], big_endian: bool) -> Result<Self, LinalgError> {
        let v = u64_from(bytes, big_endian)?;
        usize::try_from(v).map_err(|_| format_err(format!("uint64 value {v} does not fit usize")))
    }
    #[inline]
    fn encode(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self as u64).to_le_bytes());
    }
    fn from_npy_array(a: NpyArray) -> Result<Array<Self>, NpyArray> {
        match a {
            NpyArray::U64(x) => Ok(x),
            other => Err(other),
        }
    }
}

macro_rules! npy_complex {
    ($f:ty, $n:literal, $dtype:ident) => {
        impl NpyElement for Complex<$f> {
            const NPY_DTYPE: NpyDtype = NpyDtype::$dtype;
            /// numpy stores the real part first, then the imaginary part, each in the
            /// file's byte order.
            #[inline]
            fn decode(bytes: &[u8], big_endian: bool) -> Result<Self, LinalgError> {
                if bytes.len() != 2 * $n {
                    return Err(format_err("element has the wrong byte count"));
                }
                let (re, im) = bytes.split_at($n);
                Ok(Complex::new(
                    <$f>::decode(re, big_endian)?,
                    <$f>::decode(im, big_endian)?,
                ))
            }
            #[inline]
            fn encode(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.re.to_le_bytes());
                out.extend_from_slice(&self.im.to_le_bytes());
            }
            fn from_npy_array(a: NpyArray) -> Result<Array<Self>, NpyArray> {
                match a {
                    NpyArray::$dtype(x) => Ok(x),
                    other => Err(other),
                }
            }
        }
    };
}

npy_complex!(f32, 4, Complex64);
npy_complex!(f64, 8, Complex128);

/// A `u64` from 8 bytes in the given byte order.
fn u64_from(bytes: &[u8], big_endian: bool) -> Result<u64, LinalgError> {
    let b: [u8; 8] = bytes
        .try_into()
        .map_err(|_| format_err("element has the wrong byte count"))?;
    Ok(if big_endian {
        u64::from_be_bytes(b)
    } else {
        u64::from_le_bytes(b)
    })
}

impl NpyElement for bool {
    const NPY_DTYPE: NpyDtype = NpyDtype::Bool;
    #[inline]
    fn decode(bytes: &[u8], _big_endian: bool) -> Result<Self, LinalgError> {
        match bytes {
            [b] => Ok(*b != 0),
            _ => Err(format_err("element has the wrong byte count")),
        }
    }
    #[inline]
    fn encode(self, out: &mut Vec<u8>) {
        out.push(self as u8);
    }
    fn from_npy_array(a: NpyArray) -> Result<Array<Self>, NpyArray> {
        match a {
            NpyArray::Bool(x) => Ok(x),
            other => Err(other),
        }
    }
}

/// An array read from a `.npy` file whose dtype is known only at run time (numpy's
/// `np.load` result); [`NpyArray::into_array`] gets the typed array.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum NpyArray {
    /// `float32` data.
    F32(Array<f32>),
    /// `float64` data.
    F64(Array<f64>),
    /// `int32` data.
    I32(Array<i32>),
    /// `int64` data.
    I64(Array<i64>),
    /// `uint64` data.
    U64(Array<usize>),
    /// `bool` data.
    Bool(Array<bool>),
    /// `complex64` data.
    Complex64(Array<Complex<f32>>),
    /// `complex128` data.
    Complex128(Array<Complex<f64>>),
}

impl NpyArray {
    /// The dtype of the data.
    pub fn dtype(&self) -> NpyDtype {
        match self {
            NpyArray::F32(_) => NpyDtype::F32,
            NpyArray::F64(_) => NpyDtype::F64,
            NpyArray::I32(_) => NpyDtype::I32,
            NpyArray::I64(_) => NpyDtype::I64,
            NpyArray::U64(_) => NpyDtype::U64,
            NpyArray::Bool(_) => NpyDtype::Bool,
            NpyArray::Complex64(_) => NpyDtype::Complex64,
            NpyArray::Complex128(_) => NpyDtype::Complex128,
        }
    }

    /// The shape of the data.
    pub fn shape(&self) -> &[usize] {
        match self {
            NpyArray::F32(a) => a.shape(),
            NpyArray::F64(a) => a.shape(),
            NpyArray::I32(a) => a.shape(),
            NpyArray::I64(a) => a.shape(),
            NpyArray::U64(a) => a.shape(),
            NpyArray::Bool(a) => a.shape(),
            NpyArray::Complex64(a) => a.shape(),
            NpyArray::Complex128(a) => a.shape(),
        }
    }

    /// The typed array, or an error naming both dtypes when `T` is not the file's dtype
    /// (no conversion is made; use [`astype`](crate::ArrayBase::astype) afterwards).
    ///
    /// Complex data asked for as a real type is [`LinalgError::Unsupported`]: a real array
    /// cannot hold it without dropping the imaginary parts (load it as complex, then take
    /// [`re`](crate::ArrayBase::re) or [`real_if_close`](crate::ArrayBase::real_if_close)).
    ///
    /// ```
    /// use lapis::{array, io::{read_npy_any, write_npy}};
    /// let mut buf = Vec::new();
    /// write_npy(&mut buf, &array![1i64, 2]).unwrap();
    /// let a = read_npy_any(&buf[..]).unwrap();
    /// assert_eq!(a.clone().into_array::<i64>().unwrap(), array![1i64, 2]);
    /// assert!(a.into_array::<f64>().is_err());
    /// ```
    pub fn into_array<T: NpyElement>(self) -> Result<Array<T>, LinalgError> {
        let have = self.dtype();
        if have.is_complex() && !T::NPY_DTYPE.is_complex() {
            return Err(LinalgError::Unsupported {
                op: "load_npy",
                message: format!(
                    "the file holds {} data, which a {} array cannot hold (load it as complex, then take .re() or .real_if_close())",
                    have.name(),
                    T::NPY_DTYPE.name()
                ),
            });
        }
        T::from_npy_array(self).map_err(|_| LinalgError::InvalidArgument {
            op: "load_npy",
            message: format!(
                "the file holds {} data, not {} (convert after loading with astype)",
                have.name(),
                T::NPY_DTYPE.name()
            ),
        })
    }

    /// Writes this array as `.npy` to `writer`.
    pub(super) fn write_to(&self, w: &mut dyn Write) -> Result<(), LinalgError> {
        match self {
            NpyArray::F32(a) => write_npy(w, a),
            NpyArray::F64(a) => write_npy(w, a),
            NpyArray::I32(a) => write_npy(w, a),
            NpyArray::I64(a) => write_npy(w, a),
            NpyArray::U64(a) => write_npy(w, a),
            NpyArray::Bool(a) => write_npy(w, a),
            NpyArray::Complex64(a) => write_npy(w, a),
            NpyArray::Complex128(a) => write_npy(w, a),
        }
    }
}

/// A parsed header.
#[derive(Debug)]
struct Header {
    dtype: NpyDtype,
    big_endian: bool,
    fortran: bool,
    shape: Vec<usize>,
}

/// A value of the header dict.
#[derive(Debug)]
enum Value {
    Str(String),
    Bool(bool),
    Tuple(Vec<usize>),
    Other,
}

/// A tiny parser for the Python literal numpy writes.
struct Lexer<'a> {
    s: &'a [u8],
    i: usize,
}

impl Lexer<'_> {
    fn skip_ws(&mut self) {
        while self.s.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }
    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: u8) -> Result<(), LinalgError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format_err(format!(
                "header: expected '{}' at byte {}",
                c as char, self.i
            )))
        }
    }
    fn string(&mut self) -> Result<String, LinalgError> {
        let q = self.peek().ok_or_else(|| format_err("header ends early"))?;
        if q != b'\'' && q != b'"' {
            return Err(format_err(format!(
                "header: expected a string at byte {}",
                self.i
            )));
        }
        self.i += 1;
        let start = self.i;
        while let Some(&c) = self.s.get(self.i) {
            if c == q {
                let v = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
                self.i += 1;
                return Ok(v);
            }
            if c == b'\\' {
                return Err(format_err("header: escapes in strings are not supported"));
            }
            self.i += 1;
        }
        Err(format_err("header: unterminated string"))
    }
    fn word(&mut self) -> &[u8] {
        self.skip_ws();
        let start = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            self.i += 1;
        }
        &self.s[start..self.i]
    }
    fn value(&mut self) -> Result<Value, LinalgError> {
        match self.peek() {
            Some(b'\'' | b'"') => Ok(Value::Str(self.string()?)),
            Some(b'(') => {
                self.i += 1;
                let mut dims = Vec::new();
                loop {
                    if self.eat(b')') {
                        break;
                    }
                    let w = self.word();
                    let w = core::str::from_utf8(w).unwrap_or("");
                    // numpy ≤ 1.x on Windows wrote `3L` for Python 2 longs.
                    let w = w.strip_suffix('L').unwrap_or(w);
                    let d: usize = w.parse().map_err(|_| {
                        format_err(format!("header: shape entry {w:?} is not a size"))
                    })?;
                    dims.push(d);
                    if !self.eat(b',') {
                        self.expect(b')')?;
                        break;
                    }
                }
                Ok(Value::Tuple(dims))
            }
            Some(b'[' | b'{') => Ok(Value::Other),
            _ => match self.word() {
                b"True" => Ok(Value::Bool(true)),
                b"False" => Ok(Value::Bool(false)),
                w => Err(format_err(format!(
                    "header: unexpected value {:?}",
                    String::from_utf8_lossy(w)
                ))),
            },
        }
    }
}

/// Parses a dtype string such as `<f8`, `>i4`, `|b1`.
fn parse_descr(d: &str) -> Result<(NpyDtype, bool), LinalgError> {
    let unsupported = |what: &str| LinalgError::Unsupported {
        op: "load_npy",
        message: format!("dtype {d:?} ({what}) is not supported"),
    };
    let b = d.as_bytes();
    let (order, rest) = match b.first() {
        Some(&c @ (b'<' | b'>' | b'|' | b'=')) => (c, &d[1..]),
        _ => (b'=', d),
    };
    let big = match order {
        b'>' => true,
        b'<' | b'|' => false,
        _ => cfg!(target_endian = "big"),
    };
    let dtype = match rest {
        "f4" => NpyDtype::F32,
        "f8" => NpyDtype::F64,
        "i4" => NpyDtype::I32,
        "i8" => NpyDtype::I64,
        "u8" => NpyDtype::U64,
        "b1" | "?" => NpyDtype::Bool,
        "c8" => NpyDtype::Complex64,
        "c16" => NpyDtype::Complex128,
        "f2" | "f16" | "i1" | "i2" | "u1" | "u2" | "u4" | "c32" => {
            return Err(unsupported("no Lapis element type"));
        }
        _ => {
            return Err(format_err(format!(
                "unknown or unsupported dtype descr {d:?}"
            )));
        }
    };
    if order == b'|' && dtype.size() != 1 {
        return Err(format_err(format!(
            "dtype {d:?}: '|' (no byte order) on a multi-byte type"
        )));
    }
    Ok((dtype, big))
}

fn parse_header(text: &[u8]) -> Result<Header, LinalgError> {
    let mut lx = Lexer { s: text, i: 0 };
    lx.expect(b'{')?;
    let (mut descr, mut fortran, mut shape) = (None, None, None);
    loop {
        if lx.eat(b'}') {
            break;
        }
        let key = lx.string()?;
        lx.expect(b':')?;
        let v = lx.value()?;
        match (key.as_str(), v) {
            ("descr", Value::Str(s)) => descr = Some(s),
            ("descr", _) => {
                return Err(LinalgError::Unsupported {
                    op: "load_npy",
                    message: "structured dtypes are not supported".into(),
                });
            }
            ("fortran_order", Value::Bool(b)) => fortran = Some(b),
            ("shape", Value::Tuple(t)) => shape = Some(t),
            (k @ ("fortran_order" | "shape"), _) => {
                return Err(format_err(format!("header: bad value for {k:?}")));
            }
            (k, _) => {
                return Err(format_err(format!("header: unexpected key {k:?}")));
            }
        }
        if !lx.eat(b',') {
            lx.expect(b'}')?;
            break;
        }
    }
    if lx.peek().is_some() {
        return Err(format_err("header: bytes after the dict"));
    }
    let descr = descr.ok_or_else(|| format_err("header: missing 'descr'"))?;
    let fortran = fortran.ok_or_else(|| format_err("header: missing 'fortran_order'"))?;
    let shape = shape.ok_or_else(|| format_err("header: missing 'shape'"))?;
    let (dtype, big_endian) = parse_descr(&descr)?;
    Ok(Header {
        dtype,
        big_endian,
        fortran,
        shape,
    })
}

/// Reads exactly `n` bytes, growing the buffer only as bytes arrive.
fn read_exact_bounded(r: &mut dyn Read, n: usize, what: &str) -> Result<Vec<u8>, LinalgError> {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; n.min(CHUNK)];
    while buf.len() < n {
        let want = (n - buf.len()).min(chunk.len());
        let got = match r.read(&mut chunk[..want]) {
            Ok(0) => {
                return Err(format_err(format!(
                    "file ends early: {what} needs {n} bytes, found {}",
                    buf.len()
                )));
            }
            Ok(k) => k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_err(e, "reading .npy data")),
        };
        buf.try_reserve(got)
            .map_err(|_| format_err("out of memory reading the data"))?;
        buf.extend_from_slice(&chunk[..got]);
    }
    Ok(buf)
}

fn decode_all<T: NpyElement>(bytes: &[u8], big: bool) -> Result<Vec<T>, LinalgError> {
    let size = T::NPY_DTYPE.size();
    let mut v = Vec::new();
    v.try_reserve_exact(bytes.len() / size)
        .map_err(|_| format_err("out of memory decoding the data"))?;
    for c in bytes.chunks_exact(size) {
        v.push(T::decode(c, big)?);
    }
    Ok(v)
}

fn build<T: NpyElement>(h: &Header, bytes: &[u8]) -> Result<Array<T>, LinalgError> {
    let v = decode_all::<T>(bytes, h.big_endian)?;
    if h.fortran && h.shape.len() > 1 {
        let rev: Vec<usize> = h.shape.iter().rev().copied().collect();
        Ok(Array::from_shape_vec(&rev, v)?.reversed_axes())
    } else {
        Array::from_shape_vec(&h.shape, v)
    }
}

/// Reads the magic, version and header.
fn read_header(r: &mut dyn Read) -> Result<Header, LinalgError> {
    let pre = read_exact_bounded(r, 8, "the magic string and version")?;
    if &pre[..6] != MAGIC {
        return Err(format_err(
            "not a .npy file (the magic string \\x93NUMPY is missing)",
        ));
    }
    let (major, minor) = (pre[6], pre[7]);
    let len = match major {
        1 => {
            let b = read_exact_bounded(r, 2, "the header length")?;
            u16::from_le_bytes([b[0], b[1]]) as usize
        }
        2 | 3 => {
            let b = read_exact_bounded(r, 4, "the header length")?;
            u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
        }
        _ => {
            return Err(format_err(format!(
                "format version {major}.{minor} is not supported (1.0, 2.0 and 3.0 are)"
            )));
        }
    };
    if len > MAX_HEADER {
        return Err(format_err(format!(
            "header of {len} bytes is larger than the {MAX_HEADER}-byte limit"
        )));
    }
    let text = read_exact_bounded(r, len, "the header")?;
    // 1.0/2.0 headers are latin-1 and 3.0 headers utf-8; the keys and values Lapis reads
    // are ASCII either way.
    parse_header(&text)
}

/// The header's byte count after checking the shape against overflow.
fn data_len(h: &Header) -> Result<usize, LinalgError> {
    let count = crate::array::shape::checked_size(&h.shape)?;
    // Strides are computed over max(d, 1); they must fit too.
    h.shape
        .iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d.max(1)))
        .filter(|&n| n <= isize::MAX as usize)
        .ok_or(LinalgError::SizeOverflow)?;
    count
        .checked_mul(h.dtype.size())
        .ok_or(LinalgError::SizeOverflow)
}

fn read_body(r: &mut dyn Read, h: &Header) -> Result<NpyArray, LinalgError> {
    let n = data_len(h)?;
    let bytes = read_exact_bounded(r, n, "the array data")?;
    Ok(match h.dtype {
        NpyDtype::F32 => NpyArray::F32(build(h, &bytes)?),
        NpyDtype::F64 => NpyArray::F64(build(h, &bytes)?),
        NpyDtype::I32 => NpyArray::I32(build(h, &bytes)?),
        NpyDtype::I64 => NpyArray::I64(build(h, &bytes)?),
        NpyDtype::U64 => NpyArray::U64(build(h, &bytes)?),
        NpyDtype::Bool => NpyArray::Bool(build(h, &bytes)?),
        NpyDtype::Complex64 => NpyArray::Complex64(build(h, &bytes)?),
        NpyDtype::Complex128 => NpyArray::Complex128(build(h, &bytes)?),
    })
}

/// Reads one `.npy` array of whatever dtype it holds (numpy's `np.load(f)`).
///
/// ```
/// use lapis::{array, io::{read_npy_any, write_npy, NpyArray}};
/// let mut buf = Vec::new();
/// write_npy(&mut buf, &array![true, false]).unwrap();
/// assert_eq!(read_npy_any(&buf[..]).unwrap(), NpyArray::Bool(array![true, false]));
/// ```
pub fn read_npy_any(mut reader: impl Read) -> Result<NpyArray, LinalgError> {
    let r: &mut dyn Read = &mut reader;
    let h = read_header(r)?;
    read_body(r, &h)
}

/// Reads one `.npy` array of element type `T` from `reader` (numpy's `np.load(f)`):
/// versions 1.0/2.0/3.0, either byte order, C or Fortran order (a Fortran-ordered file
/// gives an array with Fortran strides, as numpy does). The file's dtype must be `T`'s
/// (`float64` for `f64`, `complex128` for [`c64`](crate::c64), …); complex data read as a
/// real type is [`LinalgError::Unsupported`]; anything malformed is
/// [`LinalgError::Format`]. Reads exactly the array's bytes, so several arrays
/// can be read one after another from one stream.
///
/// ```
/// use lapis::{array, io::{read_npy, write_npy}};
/// // numpy: np.save(f, a); np.load(f)
/// let a = array![[1., 2.], [3., 4.]];
/// let mut buf = Vec::new();
/// write_npy(&mut buf, &a).unwrap();
/// assert_eq!(read_npy::<f64>(&buf[..]).unwrap(), a);
/// assert!(read_npy::<f64>(&buf[..20]).is_err());
/// ```
pub fn read_npy<T: NpyElement>(reader: impl Read) -> Result<Array<T>, LinalgError> {
    read_npy_any(reader)?.into_array()
}

/// Loads a `.npy` file (numpy's `np.load(path)`); see [`read_npy`].
///
/// ```no_run
/// // numpy: a = np.load("a.npy")
/// let a = lapis::io::load_npy::<f64>("a.npy").unwrap();
/// ```
pub fn load_npy<T: NpyElement>(path: impl AsRef<Path>) -> Result<Array<T>, LinalgError> {
    let path = path.as_ref();
    let f = std::fs::File::open(path).map_err(|e| io_err(e, &path.display().to_string()))?;
    read_npy(std::io::BufReader::new(f))
}

/// Loads a `.npy` file of any supported dtype (numpy's `np.load(path)`).
pub fn load_npy_any(path: impl AsRef<Path>) -> Result<NpyArray, LinalgError> {
    let path = path.as_ref();
    let f = std::fs::File::open(path).map_err(|e| io_err(e, &path.display().to_string()))?;
    read_npy_any(std::io::BufReader::new(f))
}

/// The header dict text, padded so that the data starts at a multiple of 64 bytes.
fn header_bytes(dtype: NpyDtype, fortran: bool, shape: &[usize]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    let tuple = match dims.len() {
        1 => format!("({},)", dims[0]),
        _ => format!("({})", dims.join(", ")),
    };
    let dict = format!(
        "{{'descr': '{}', 'fortran_order': {}, 'shape': {}, }}",
        dtype.descr(),
        if fortran { "True" } else { "False" },
        tuple
    );
    // 1.0 when the header fits a u16 length, else 2.0.
    let v1 = (10 + dict.len() + 1).div_ceil(64) * 64 - 10 <= u16::MAX as usize;
    let prefix = if v1 { 10 } else { 12 };
    let total = (prefix + dict.len() + 1).div_ceil(64) * 64;
    let hlen = total - prefix;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(MAGIC);
    if v1 {
        out.extend_from_slice(&[1, 0]);
        out.extend_from_slice(&(hlen as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&[2, 0]);
        out.extend_from_slice(&(hlen as u32).to_le_bytes());
    }
    out.extend_from_slice(dict.as_bytes());
    out.resize(total - 1, b' ');
    out.push(b'\n');
    out
}

/// Writes `a` as `.npy` (format 1.0, little-endian) to `writer` (numpy's `np.save(f, a)`).
/// A Fortran-contiguous array is written in Fortran order (no copy), anything else in C
/// order.
///
/// ```
/// use lapis::{array, io::{read_npy, write_npy}};
/// // numpy: np.save(f, a.T)
/// let a = array![[1i32, 2, 3], [4, 5, 6]];
/// let mut buf = Vec::new();
/// write_npy(&mut buf, &a.t()).unwrap();
/// assert_eq!(read_npy::<i32>(&buf[..]).unwrap(), a.t());
/// ```
pub fn write_npy<T: NpyElement, S: Data<Elem = T>>(
    mut writer: impl Write,
    a: &ArrayBase<S>,
) -> Result<(), LinalgError> {
    let fortran = a.ndim() > 1 && !a.is_c_contiguous() && a.is_f_contiguous();
    let header = header_bytes(T::NPY_DTYPE, fortran, a.shape());
    let werr = |e| io_err(e, "writing .npy");
    writer.write_all(&header).map_err(werr)?;
    let mut buf = Vec::with_capacity(CHUNK.min(a.len() * T::NPY_DTYPE.size()) + 8);
    let mut flush = |buf: &mut Vec<u8>, force: bool| -> Result<(), LinalgError> {
        if force || buf.len() >= CHUNK {
            writer.write_all(buf).map_err(werr)?;
            buf.clear();
        }
        Ok(())
    };
    if fortran {
        let t = a.t();
        for &x in t.iter() {
            x.encode(&mut buf);
            flush(&mut buf, false)?;
        }
    } else {
        for &x in a.iter() {
            x.encode(&mut buf);
            flush(&mut buf, false)?;
        }
    }
    flush(&mut buf, true)?;
    writer.flush().map_err(werr)
}

/// Saves `a` to a `.npy` file (numpy's `np.save(path, a)`); see [`write_npy`].
///
/// ```
/// use lapis::{array, io::{load_npy, save_npy}};
/// // numpy: np.save(path, a); np.load(path)
/// let path = std::env::temp_dir().join("lapis_doc_save_npy.npy");
/// save_npy(&path, &array![1., 2., 3.]).unwrap();
/// assert_eq!(load_npy::<f64>(&path).unwrap(), array![1., 2., 3.]);
/// # std::fs::remove_file(&path).ok();
/// ```
pub fn save_npy<T: NpyElement, S: Data<Elem = T>>(
    path: impl AsRef<Path>,
    a: &ArrayBase<S>,
) -> Result<(), LinalgError> {
    let path = path.as_ref();
    let f = std::fs::File::create(path).map_err(|e| io_err(e, &path.display().to_string()))?;
    write_npy(std::io::BufWriter::new(f), a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_64_aligned_and_parses_back() {
        for shape in [vec![], vec![3], vec![2, 3], vec![0, 4, 5]] {
            let h = header_bytes(NpyDtype::F64, false, &shape);
            assert_eq!(h.len() % 64, 0);
            assert_eq!(*h.last().unwrap(), b'\n');
            let parsed = read_header(&mut &h[..]).unwrap();
            assert_eq!(parsed.shape, shape);
            assert_eq!(parsed.dtype, NpyDtype::F64);
        }
    }

    #[test]
    fn descr_variants() {
        assert_eq!(parse_descr(">f8").unwrap(), (NpyDtype::F64, true));
        assert_eq!(parse_descr("|b1").unwrap(), (NpyDtype::Bool, false));
        assert_eq!(parse_descr("<c16").unwrap(), (NpyDtype::Complex128, false));
        assert_eq!(parse_descr(">c8").unwrap(), (NpyDtype::Complex64, true));
        assert!(matches!(
            parse_descr("<c32"),
            Err(LinalgError::Unsupported { .. })
        ));
        assert!(matches!(
            parse_descr("|f8"),
            Err(LinalgError::Format { .. })
        ));
        assert!(parse_descr("<U5").is_err());
    }
}
