//! Printing like numpy: `{}` and `{:?}` give numpy's `repr(a)`
//! (`array([[1., 2.],\n       [3., 4.]])`), `{:#}` gives numpy's `str(a)` (`[[1. 2.]\n [3. 4.]]`).
//!
//! The rules are numpy's defaults (`np.get_printoptions()`): precision 8 with the shortest
//! round-trip digits, one format per array (columns aligned, fractions padded on the
//! right), scientific notation when the largest magnitude is ≥ 1e8, the smallest non-zero
//! one < 1e-4 or their ratio > 1e3, lines wrapped at 75 characters, arrays over 1000
//! elements summarised with `...` and 3 edge items, `dtype=` shown for non-default types
//! and for empty arrays. Complex elements print as numpy's do: the real parts and the
//! (always signed) imaginary parts each get their own format and column alignment
//! (`array([1.+2.j , 3.-0.5j])`, `nan+nanj`).

use core::fmt;

use super::{ArrayBase, Data};
use crate::Element;
use crate::element::DisplayValue;

const LINE_WIDTH: usize = 75;
const THRESHOLD: usize = 1000;
const EDGE_ITEMS: usize = 3;
const PRECISION: usize = 8;

/// The shortest round-trip positional digits, cut to `PRECISION` fractional digits; always
/// with a `.` (`"1."`, `"0.25"`), and with a sign even when positive if `plus`.
fn positional(v: DisplayValue, plus: bool) -> String {
    let (mut s, long) = match (v, plus) {
        (DisplayValue::F32(x), false) => (format!("{x}"), format!("{x:.PRECISION$}")),
        (DisplayValue::F64(x), false) => (format!("{x}"), format!("{x:.PRECISION$}")),
        (DisplayValue::F32(x), true) => (format!("{x:+}"), format!("{x:+.PRECISION$}")),
        (DisplayValue::F64(x), true) => (format!("{x:+}"), format!("{x:+.PRECISION$}")),
        _ => unreachable!("positional is for floats"),
    };
    if let Some(dot) = s.find('.') {
        if s.len() - dot - 1 > PRECISION {
            s = long.trim_end_matches('0').to_string();
        }
    } else {
        s.push('.');
    }
    s
}

/// The shortest round-trip scientific digits, cut to `PRECISION` mantissa digits:
/// `(mantissa, exponent)` like `("1.5", 10)` (`("+1.5", 10)` with `plus`).
fn scientific(v: DisplayValue, plus: bool) -> (String, i32) {
    let (s, long) = match (v, plus) {
        (DisplayValue::F32(x), false) => (format!("{x:e}"), format!("{x:.PRECISION$e}")),
        (DisplayValue::F64(x), false) => (format!("{x:e}"), format!("{x:.PRECISION$e}")),
        (DisplayValue::F32(x), true) => (format!("{x:+e}"), format!("{x:+.PRECISION$e}")),
        (DisplayValue::F64(x), true) => (format!("{x:+e}"), format!("{x:+.PRECISION$e}")),
        _ => unreachable!("scientific is for floats"),
    };
    let split = |s: &str| {
        let (m, e) = s.split_once('e').expect("{:e} has an exponent");
        (m.to_string(), e.parse::<i32>().expect("exponent"))
    };
    let (mut m, e) = split(&s);
    if let Some(dot) = m.find('.') {
        if m.len() - dot - 1 > PRECISION {
            let (lm, le) = split(&long);
            let lm = lm.trim_end_matches('0').to_string();
            return (lm, le);
        }
    } else {
        m.push('.');
    }
    (m, e)
}

fn sci_fixed(v: DisplayValue, prec: usize, plus: bool) -> (String, i32) {
    let s = match (v, plus) {
        (DisplayValue::F32(x), false) => format!("{x:.prec$e}"),
        (DisplayValue::F64(x), false) => format!("{x:.prec$e}"),
        (DisplayValue::F32(x), true) => format!("{x:+.prec$e}"),
        (DisplayValue::F64(x), true) => format!("{x:+.prec$e}"),
        _ => unreachable!("sci_fixed is for floats"),
    };
    let (m, e) = s.split_once('e').expect("exponent");
    let m = if m.contains('.') {
        m.to_string()
    } else {
        format!("{m}.")
    };
    (m, e.parse().expect("exponent"))
}

fn as_f64(v: DisplayValue) -> f64 {
    match v {
        DisplayValue::F32(x) => x as f64,
        DisplayValue::F64(x) => x,
        DisplayValue::Int(i) => i as f64,
        DisplayValue::Bool(b) => b as u8 as f64,
        DisplayValue::C32(..) | DisplayValue::C64(..) => {
            unreachable!("complex is split into parts")
        }
    }
}

/// The real and imaginary parts of a complex value, as float values.
fn parts(v: DisplayValue) -> (DisplayValue, DisplayValue) {
    match v {
        DisplayValue::C32(re, im) => (DisplayValue::F32(re), DisplayValue::F32(im)),
        DisplayValue::C64(re, im) => (DisplayValue::F64(re), DisplayValue::F64(im)),
        other => (other, other),
    }
}

/// numpy's `FloatingFormat`: one format for a set of float values. `plus` is numpy's
/// `sign='+'` (every value signed), which complex uses for the imaginary parts.
enum FloatFormat {
    Positional {
        pad_left: usize,
        pad_right: usize,
        plus: bool,
    },
    Scientific {
        pad_left: usize,
        precision: usize,
        exp_size: usize,
        width: usize,
        plus: bool,
    },
}

impl FloatFormat {
    fn new(values: &[DisplayValue], plus: bool) -> Self {
        let finite: Vec<DisplayValue> = values
            .iter()
            .copied()
            .filter(|&v| as_f64(v).is_finite())
            .collect();
        let nonzero: Vec<f64> = finite
            .iter()
            .map(|&v| as_f64(v).abs())
            .filter(|&x| x != 0.0)
            .collect();
        let exp_mode = if nonzero.is_empty() {
            false
        } else {
            let max = nonzero.iter().cloned().fold(f64::MIN, f64::max);
            let min = nonzero.iter().cloned().fold(f64::MAX, f64::min);
            max >= 1e8 || min < 1e-4 || max / min > 1e3
        };
        let nonfinite: Vec<f64> = values
            .iter()
            .map(|&v| as_f64(v))
            .filter(|x| !x.is_finite())
            .collect();
        // numpy reserves room for a sign on `inf` when one may be printed.
        let neginf = plus || nonfinite.contains(&f64::NEG_INFINITY);
        if exp_mode {
            let parts: Vec<(String, i32)> = finite.iter().map(|&v| scientific(v, plus)).collect();
            let precision = parts
                .iter()
                .map(|(m, _)| m.len() - m.find('.').expect("dot") - 1)
                .max()
                .unwrap_or(0);
            let pad_left = parts
                .iter()
                .map(|(m, _)| m.find('.').expect("dot"))
                .max()
                .unwrap_or(0);
            let exp_size = parts
                .iter()
                .map(|(_, e)| e.unsigned_abs().to_string().len())
                .max()
                .unwrap_or(0)
                .max(2);
            let mut width = pad_left + 1 + precision + 2 + exp_size;
            if !nonfinite.is_empty() {
                width = width.max(3 + neginf as usize);
            }
            FloatFormat::Scientific {
                pad_left,
                precision,
                exp_size,
                width,
                plus,
            }
        } else {
            let strs: Vec<String> = finite.iter().map(|&v| positional(v, plus)).collect();
            let mut pad_left = strs
                .iter()
                .map(|s| s.find('.').expect("dot"))
                .max()
                .unwrap_or(0);
            let pad_right = strs
                .iter()
                .map(|s| s.len() - s.find('.').expect("dot") - 1)
                .max()
                .unwrap_or(0);
            if !nonfinite.is_empty() {
                let offset = pad_right + 1;
                pad_left = pad_left
                    .max(3usize.saturating_sub(offset))
                    .max((3 + neginf as usize).saturating_sub(offset));
            }
            FloatFormat::Positional {
                pad_left,
                pad_right,
                plus,
            }
        }
    }

    fn format(&self, v: DisplayValue) -> String {
        match *self {
            FloatFormat::Positional {
                pad_left,
                pad_right,
                plus,
            } => {
                let x = as_f64(v);
                if !x.is_finite() {
                    return format!(
                        "{:>w$}",
                        nonfinite_str(x, plus),
                        w = pad_left + pad_right + 1
                    );
                }
                let s = positional(v, plus);
                let (int, frac) = s.split_at(s.find('.').expect("dot"));
                format!("{int:>pad_left$}{frac:<w$}", w = pad_right + 1)
            }
            FloatFormat::Scientific {
                pad_left,
                precision,
                exp_size,
                width,
                plus,
            } => {
                let x = as_f64(v);
                if !x.is_finite() {
                    return format!("{:>width$}", nonfinite_str(x, plus));
                }
                let (m, e) = sci_fixed(v, precision, plus);
                let sign = if e < 0 { '-' } else { '+' };
                let (int, frac) = m.split_at(m.find('.').expect("dot"));
                format!(
                    "{int:>pad_left$}{frac}e{sign}{:0>exp_size$}",
                    e.unsigned_abs()
                )
            }
        }
    }
}

/// One format for every element of an array.
enum ElemFormat {
    Float(FloatFormat),
    /// numpy's `ComplexFloatingFormat`: the real and the imaginary parts each get their own
    /// float format (so their columns align separately), the imaginary one always signed.
    Complex {
        re: FloatFormat,
        im: FloatFormat,
    },
    Int {
        width: usize,
    },
    Bool {
        width: usize,
    },
}

impl ElemFormat {
    fn new(values: &[DisplayValue]) -> Self {
        match values.first() {
            None => ElemFormat::Int { width: 0 },
            Some(DisplayValue::Int(_)) => {
                let width = values
                    .iter()
                    .map(|v| {
                        if let DisplayValue::Int(i) = v {
                            i.to_string().len()
                        } else {
                            0
                        }
                    })
                    .max()
                    .unwrap_or(0);
                ElemFormat::Int { width }
            }
            Some(DisplayValue::Bool(_)) => {
                let any_false = values.contains(&DisplayValue::Bool(false));
                ElemFormat::Bool {
                    width: if any_false { 5 } else { 4 },
                }
            }
            Some(DisplayValue::C32(..) | DisplayValue::C64(..)) => {
                let (re, im): (Vec<_>, Vec<_>) = values.iter().map(|&v| parts(v)).unzip();
                ElemFormat::Complex {
                    re: FloatFormat::new(&re, false),
                    im: FloatFormat::new(&im, true),
                }
            }
            Some(DisplayValue::F32(_) | DisplayValue::F64(_)) => {
                ElemFormat::Float(FloatFormat::new(values, false))
            }
        }
    }

    fn format(&self, v: DisplayValue) -> String {
        match self {
            ElemFormat::Int { width } => format!("{:>width$}", as_int(v)),
            ElemFormat::Bool { width } => {
                let s = if v == DisplayValue::Bool(true) {
                    "True"
                } else {
                    "False"
                };
                format!("{s:>width$}")
            }
            ElemFormat::Float(f) => f.format(v),
            ElemFormat::Complex { re, im } => {
                let (r, i) = parts(v);
                let (r, mut i) = (re.format(r), im.format(i));
                // The `j` goes before the imaginary part's right padding.
                i.insert(i.trim_end().len(), 'j');
                r + &i
            }
        }
    }
}

fn as_int(v: DisplayValue) -> i128 {
    match v {
        DisplayValue::Int(i) => i,
        _ => 0,
    }
}

fn nonfinite_str(x: f64, plus: bool) -> &'static str {
    match (x.is_nan(), x > 0.0, plus) {
        (true, _, false) => "nan",
        (true, _, true) => "+nan",
        (false, true, false) => "inf",
        (false, true, true) => "+inf",
        (false, false, _) => "-inf",
    }
}

/// What numpy's `_formatArray` needs to know about the output style.
struct Style<'s> {
    separator: &'s str,
    summarize: bool,
}

fn extend_line(
    s: &mut String,
    line: &mut String,
    word: &str,
    line_width: usize,
    next_prefix: &str,
) {
    let mut needs_wrap = line.len() + word.len() > line_width;
    if line.len() <= next_prefix.len() {
        needs_wrap = false;
    }
    if needs_wrap {
        s.push_str(line.trim_end());
        s.push('\n');
        line.clear();
        line.push_str(next_prefix);
    }
    line.push_str(word);
}

/// numpy's `_formatArray` recursion over axis `axis` starting at storage offset `base`.
#[allow(clippy::too_many_arguments)]
fn recurse(
    shape: &[usize],
    strides: &[isize],
    base: isize,
    axis: usize,
    hanging: &str,
    width: usize,
    style: &Style<'_>,
    word: &mut dyn FnMut(usize) -> String,
) -> String {
    if axis == shape.len() {
        return word(base as usize);
    }
    let axes_left = shape.len() - axis;
    let next_hanging = format!("{hanging} ");
    let next_width = width.saturating_sub(1);
    let n = shape[axis];
    let show_summary = style.summarize && 2 * EDGE_ITEMS < n;
    let (lead, trail) = if show_summary {
        (EDGE_ITEMS, EDGE_ITEMS)
    } else {
        (0, n)
    };
    let at = |i: usize| base + i as isize * strides[axis];
    let mut s = String::new();
    if n == 0 {
        return "[]".to_string();
    }
    if axes_left == 1 {
        let elem_width = width.saturating_sub(style.separator.trim_end().len().max(1));
        let mut line = hanging.to_string();
        for i in 0..lead {
            let w = recurse(
                shape,
                strides,
                at(i),
                axis + 1,
                &next_hanging,
                next_width,
                style,
                word,
            );
            extend_line(&mut s, &mut line, &w, elem_width, hanging);
            line.push_str(style.separator);
        }
        if show_summary {
            extend_line(&mut s, &mut line, "...", elem_width, hanging);
            line.push_str(style.separator);
        }
        for i in (n - trail)..(n - 1) {
            let w = recurse(
                shape,
                strides,
                at(i),
                axis + 1,
                &next_hanging,
                next_width,
                style,
                word,
            );
            extend_line(&mut s, &mut line, &w, elem_width, hanging);
            line.push_str(style.separator);
        }
        let w = recurse(
            shape,
            strides,
            at(n - 1),
            axis + 1,
            &next_hanging,
            next_width,
            style,
            word,
        );
        extend_line(&mut s, &mut line, &w, elem_width, hanging);
        s.push_str(&line);
    } else {
        let line_sep = format!(
            "{}{}",
            style.separator.trim_end(),
            "\n".repeat(axes_left - 1)
        );
        for i in 0..lead {
            let nested = recurse(
                shape,
                strides,
                at(i),
                axis + 1,
                &next_hanging,
                next_width,
                style,
                word,
            );
            s.push_str(hanging);
            s.push_str(&nested);
            s.push_str(&line_sep);
        }
        if show_summary {
            s.push_str(hanging);
            s.push_str("...");
            s.push_str(&line_sep);
        }
        for i in (n - trail)..(n - 1) {
            let nested = recurse(
                shape,
                strides,
                at(i),
                axis + 1,
                &next_hanging,
                next_width,
                style,
                word,
            );
            s.push_str(hanging);
            s.push_str(&nested);
            s.push_str(&line_sep);
        }
        let nested = recurse(
            shape,
            strides,
            at(n - 1),
            axis + 1,
            &next_hanging,
            next_width,
            style,
            word,
        );
        s.push_str(hanging);
        s.push_str(&nested);
    }
    format!("[{}]", &s[hanging.len()..])
}

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// The body of numpy's `array2string`: everything between `array(` and `)`.
    fn array2string(&self, separator: &str, prefix_len: usize, line_width: usize) -> String {
        let data = self.data.storage();
        let style = Style {
            separator,
            summarize: self.len() > THRESHOLD,
        };
        let hanging = " ".repeat(1 + prefix_len);
        // First pass: collect the values that will be shown, to choose one format.
        let mut shown = Vec::new();
        recurse(
            &self.shape,
            &self.strides,
            self.offset as isize,
            0,
            &hanging,
            line_width,
            &style,
            &mut |o| {
                shown.push(data[o].display_value());
                String::new()
            },
        );
        let fmt = ElemFormat::new(&shown);
        recurse(
            &self.shape,
            &self.strides,
            self.offset as isize,
            0,
            &hanging,
            line_width,
            &style,
            &mut |o| fmt.format(data[o].display_value()),
        )
    }

    /// numpy's `repr(a)`.
    fn numpy_repr(&self) -> String {
        let prefix = "array(";
        let show_dtype = !T::DEFAULT_DTYPE || self.is_empty();
        let body = if self.is_empty() && self.shape != [0] {
            format!("[], shape={}", crate::error::fmt_shape(&self.shape))
        } else if self.is_empty() {
            "[]".to_string()
        } else {
            self.array2string(", ", prefix.len(), LINE_WIDTH - 1)
        };
        if !show_dtype {
            return format!("{prefix}{body})");
        }
        let arr = format!("{prefix}{body},");
        let dtype = format!("dtype={})", T::DTYPE);
        let last = arr.len() - arr.rfind('\n').map_or(0, |p| p + 1);
        let spacer = if last + dtype.len() + 1 > LINE_WIDTH {
            format!("\n{}", " ".repeat(prefix.len()))
        } else {
            " ".to_string()
        };
        format!("{arr}{spacer}{dtype}")
    }

    /// numpy's `str(a)`.
    fn numpy_str(&self) -> String {
        if self.is_empty() {
            return "[]".to_string();
        }
        self.array2string(" ", 0, LINE_WIDTH)
    }
}

impl<T: Element, S: Data<Elem = T>> fmt::Display for ArrayBase<S> {
    /// numpy's `repr(a)`; with `{:#}`, numpy's `str(a)`.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: repr(np.array([[1., 2.], [3., 4.]]))
    /// let a = array![[1., 2.], [3., 4.]];
    /// assert_eq!(a.to_string(), "array([[1., 2.],\n       [3., 4.]])");
    /// // numpy: str(a)
    /// assert_eq!(format!("{a:#}"), "[[1. 2.]\n [3. 4.]]");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            f.write_str(&self.numpy_str())
        } else {
            f.write_str(&self.numpy_repr())
        }
    }
}

impl<T: Element, S: Data<Elem = T>> fmt::Debug for ArrayBase<S> {
    /// numpy's `repr(a)`; with `{:#?}` the layout (shape, strides, offset) follows.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.numpy_repr())?;
        if f.alternate() {
            write!(
                f,
                " shape={:?} strides={:?} offset={} c_contiguous={}",
                self.shape,
                self.strides,
                self.offset,
                self.is_c_contiguous()
            )?;
        }
        Ok(())
    }
}
