//! `einsum`: numpy's Einstein summation for the common subscripts.
//!
//! The plan, for `n` operands:
//!
//! 1. parse and check the subscripts (numpy's rules, numpy's error wording);
//! 2. in each operand, collapse repeated labels to their diagonal (a strided view, no copy)
//!    and sum out the labels no later step needs;
//! 3. contract the operands **left to right**, two at a time: the labels both share and
//!    something later needs are batch axes, the shared labels nothing later needs are
//!    summed, and the pair runs as one (batched) GEMM through [`matmul`]; a pair that
//!    shares nothing to sum is a broadcast product;
//! 4. permute the result's axes into the output order.
//!
//! Left to right is not numpy's `optimize=True` path search: for chains where the order
//! matters (`"ij,jk,kl"` with very different sizes), call [`multi_dot`](crate::multi_dot)
//! or order the operands yourself.

use super::matmul;
use crate::{Array, ArrayBase, ArrayView, Inexact, LinalgError};

/// An axis label: a letter's code (< 128), or `ELLIPSIS + j` for broadcast dimension `j`
/// of the ellipsis (right-aligned across the operands).
type Label = u16;
const ELLIPSIS: Label = 256;

fn label_name(l: Label) -> String {
    if l < ELLIPSIS {
        (l as u8 as char).to_string()
    } else {
        "...".to_string()
    }
}

fn bad(message: impl Into<String>) -> LinalgError {
    LinalgError::invalid("einsum", message)
}

/// One term of the subscripts: its letters, with the ellipsis position if any.
#[derive(Debug)]
struct Term {
    letters: Vec<Label>,
    /// Index into `letters` where `...` stands.
    ellipsis: Option<usize>,
}

/// Parses one comma-separated term (`what` names it in errors: "operand 1", "the output").
fn parse_term(s: &str, what: &str) -> Result<Term, LinalgError> {
    let bytes = s.as_bytes();
    let mut letters = Vec::new();
    let mut ellipsis = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_alphabetic() {
            letters.push(c as Label);
            i += 1;
        } else if c == b'.' {
            if bytes.get(i..i + 3) != Some(b"...") {
                return Err(bad(format!(
                    "subscripts for {what} contain a '.' that is not part of an ellipsis ('...')"
                )));
            }
            if ellipsis.is_some() {
                return Err(bad(format!(
                    "subscripts for {what} contain more than one ellipsis ('...')"
                )));
            }
            ellipsis = Some(letters.len());
            i += 3;
        } else {
            let ch = s[i..].chars().next().unwrap_or('?');
            return Err(bad(format!(
                "invalid subscript '{ch}' in einstein sum subscripts string (for {what}), subscripts must be letters"
            )));
        }
    }
    Ok(Term { letters, ellipsis })
}

/// The checked problem: every operand's labels (one per axis) and the output labels. The
/// sizes were checked while planning (letters equal, ellipsis dimensions broadcastable).
#[derive(Debug)]
struct Plan {
    inputs: Vec<Vec<Label>>,
    output: Vec<Label>,
}

fn plan(subscripts: &str, shapes: &[&[usize]]) -> Result<Plan, LinalgError> {
    let s: String = subscripts.chars().filter(|c| !c.is_whitespace()).collect();
    let (lhs, rhs) = match s.find("->") {
        Some(p) => {
            let rhs = &s[p + 2..];
            if rhs.contains("->") {
                return Err(bad("subscripts string contains more than one '->'"));
            }
            (&s[..p], Some(rhs))
        }
        None => (&s[..], None),
    };
    if lhs.contains('-') || lhs.contains('>') || rhs.is_some_and(|r| r.contains(['-', '>'])) {
        return Err(bad(
            "subscripts string contains a '-' or '>' that is not part of '->'",
        ));
    }
    if rhs.is_some_and(|r| r.contains(',')) {
        return Err(bad("the output subscripts (after '->') contain a ','"));
    }
    let terms_str: Vec<&str> = lhs.split(',').collect();
    if shapes.is_empty() {
        return Err(bad("at least one operand is required"));
    }
    if terms_str.len() != shapes.len() {
        let which = if terms_str.len() < shapes.len() {
            "more"
        } else {
            "fewer"
        };
        return Err(bad(format!(
            "{which} operands provided to einstein sum function than specified in the subscripts string ({} operands, {} terms in {subscripts:?})",
            shapes.len(),
            terms_str.len()
        )));
    }
    let terms: Vec<Term> = terms_str
        .iter()
        .enumerate()
        .map(|(i, t)| parse_term(t, &format!("operand {i}")))
        .collect::<Result<_, _>>()?;

    // The number of dimensions each ellipsis covers, and the broadcast count.
    let mut ell_dims = Vec::with_capacity(terms.len());
    for (i, (t, shape)) in terms.iter().zip(shapes).enumerate() {
        let nd = shape.len();
        match t.ellipsis {
            None if t.letters.len() != nd => {
                return Err(if t.letters.len() > nd {
                    bad(format!(
                        "einstein sum subscripts string contains too many subscripts for operand {i} ({} subscripts for {nd} dimensions)",
                        t.letters.len()
                    ))
                } else {
                    bad(format!(
                        "operand {i} has more dimensions ({nd}) than subscripts given in einstein sum ({}), but no '...' ellipsis provided to broadcast the extra dimensions",
                        t.letters.len()
                    ))
                });
            }
            None => ell_dims.push(0),
            Some(_) if t.letters.len() > nd => {
                return Err(bad(format!(
                    "einstein sum subscripts string contains too many subscripts for operand {i} ({} subscripts for {nd} dimensions)",
                    t.letters.len()
                )));
            }
            Some(_) => ell_dims.push(nd - t.letters.len()),
        }
    }
    let n_ell = ell_dims.iter().copied().max().unwrap_or(0);

    // Per-axis labels of every operand, and the sizes.
    let mut inputs = Vec::with_capacity(terms.len());
    let mut sizes: Vec<(Label, usize)> = Vec::new();
    for (i, (t, shape)) in terms.iter().zip(shapes).enumerate() {
        let mut labels = Vec::with_capacity(shape.len());
        let e = ell_dims[i];
        let split = t.ellipsis.unwrap_or(t.letters.len());
        labels.extend_from_slice(&t.letters[..split]);
        labels.extend((0..e).map(|j| ELLIPSIS + (n_ell - e + j) as Label));
        labels.extend_from_slice(&t.letters[split..]);
        for (ax, (&l, &d)) in labels.iter().zip(shape.iter()).enumerate() {
            if let Some(p) = labels[..ax].iter().position(|&x| x == l)
                && shape[p] != d
            {
                return Err(LinalgError::shape(
                    "einsum",
                    shapes,
                    format!(
                        "dimensions in operand {i} for collapsing index '{}' don't match ({} != {d})",
                        label_name(l),
                        shape[p]
                    ),
                ));
            }
            match sizes.iter_mut().find(|(k, _)| *k == l) {
                None => sizes.push((l, d)),
                Some((_, n)) if *n == d => {}
                // Like numpy, a length-1 axis broadcasts against any length.
                Some((_, n)) if *n == 1 || d == 1 => *n = (*n).max(d),
                Some((_, n)) => {
                    let reason = if l >= ELLIPSIS {
                        format!(
                            "operands could not be broadcast together over the ellipsis ('...') dimensions (size {n} and {d})"
                        )
                    } else {
                        format!(
                            "size of label '{}' for operand {i} ({d}) does not match previous terms ({n})",
                            label_name(l)
                        )
                    };
                    return Err(LinalgError::shape("einsum", shapes, reason));
                }
            }
        }
        inputs.push(labels);
    }

    let output = match rhs {
        Some(r) => {
            let t = parse_term(r, "the output")?;
            let mut out = Vec::new();
            for (p, &l) in t.letters.iter().enumerate() {
                if t.ellipsis == Some(p) {
                    out.extend((0..n_ell).map(|j| ELLIPSIS + j as Label));
                }
                if out.contains(&l) {
                    return Err(bad(format!(
                        "einstein sum subscripts string includes output subscript '{}' multiple times",
                        label_name(l)
                    )));
                }
                if !inputs.iter().any(|x| x.contains(&l)) {
                    return Err(bad(format!(
                        "einstein sum subscripts string included output subscript '{}' which never appeared in an input",
                        label_name(l)
                    )));
                }
                out.push(l);
            }
            if t.ellipsis == Some(t.letters.len()) {
                out.extend((0..n_ell).map(|j| ELLIPSIS + j as Label));
            }
            if t.ellipsis.is_none() && n_ell > 0 {
                return Err(bad(
                    "output has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided to broadcast the extra dimensions",
                ));
            }
            out
        }
        None => {
            // numpy's implicit mode: the ellipsis dimensions, then the letters that appear
            // exactly once, in alphabetical (ASCII) order.
            let mut out: Vec<Label> = (0..n_ell).map(|j| ELLIPSIS + j as Label).collect();
            let mut once: Vec<Label> = (0..128)
                .filter(|&l| {
                    terms
                        .iter()
                        .map(|t| t.letters.iter().filter(|&&x| x == l).count())
                        .sum::<usize>()
                        == 1
                })
                .collect();
            once.sort_unstable();
            out.extend(once);
            out
        }
    };
    Ok(Plan { inputs, output })
}

/// An operand on its way through the plan: a view of the caller's data or an
/// intermediate result, with one label per axis.
struct Work<'a, T> {
    data: Operand<'a, T>,
    labels: Vec<Label>,
}

enum Operand<'a, T> {
    View(ArrayView<'a, T>),
    Owned(Array<T>),
}

impl<T: Inexact> Operand<'_, T> {
    fn view(&self) -> ArrayView<'_, T> {
        match self {
            Operand::View(v) => v.view(),
            Operand::Owned(a) => a.view(),
        }
    }
}

/// Collapses repeated labels of one operand onto their diagonal: one axis whose stride is
/// the sum of the repeated axes' strides (numpy's `np.einsum("ii->i")` view).
fn collapse_repeated<'a, T: Inexact>(
    v: ArrayView<'a, T>,
    labels: &[Label],
    operand: usize,
) -> Result<(ArrayView<'a, T>, Vec<Label>), LinalgError> {
    let mut shape = Vec::new();
    let mut strides: Vec<isize> = Vec::new();
    let mut out: Vec<Label> = Vec::new();
    for (ax, &l) in labels.iter().enumerate() {
        match out.iter().position(|&x| x == l) {
            Some(p) => {
                if shape[p] != v.shape()[ax] {
                    return Err(LinalgError::shape(
                        "einsum",
                        &[v.shape()],
                        format!(
                            "dimensions in operand {operand} for collapsing index '{}' don't match ({} != {})",
                            label_name(l),
                            shape[p],
                            v.shape()[ax]
                        ),
                    ));
                }
                strides[p] += v.strides()[ax];
            }
            None => {
                out.push(l);
                shape.push(v.shape()[ax]);
                strides.push(v.strides()[ax]);
            }
        }
    }
    // Every index of the diagonal is an index of the original view, so the invariant holds;
    // an empty view keeps its offset.
    Ok((ArrayBase::from_parts(v.data, shape, strides, v.offset), out))
}

/// Sums out the axes whose labels are not in `keep`.
fn sum_unneeded<'a, T: Inexact>(
    w: Work<'a, T>,
    keep: &[Label],
) -> Result<Work<'a, T>, LinalgError> {
    let drop: Vec<usize> = (0..w.labels.len())
        .filter(|&ax| !keep.contains(&w.labels[ax]))
        .collect();
    if drop.is_empty() {
        return Ok(w);
    }
    let mut labels = w.labels.clone();
    let mut acc: Option<Array<T>> = None;
    for &ax in drop.iter().rev() {
        let next = match &acc {
            None => w.data.view().sum_axis(ax as isize, false)?,
            Some(a) => a.sum_axis(ax as isize, false)?,
        };
        acc = Some(next);
        labels.remove(ax);
    }
    Ok(Work {
        data: Operand::Owned(acc.expect("at least one axis dropped")),
        labels,
    })
}

/// A view with its axes permuted into `order` (labels), each broadcast to `size(label)`.
fn arrange<'b, T: Inexact>(
    v: &'b ArrayView<'_, T>,
    labels: &[Label],
    order: &[Label],
    size: impl Fn(Label) -> usize,
) -> Result<ArrayView<'b, T>, LinalgError> {
    let perm: Vec<usize> = order
        .iter()
        .map(|l| labels.iter().position(|x| x == l).expect("label present"))
        .collect();
    let mut p = v.permute_axes(&perm)?;
    for (ax, &l) in order.iter().enumerate() {
        let n = size(l);
        if p.shape[ax] != n {
            // Only a length-1 ellipsis axis differs; stride 0 broadcasts it (read-only).
            p.shape[ax] = n;
            p.strides[ax] = 0;
        }
    }
    Ok(p)
}

/// `a ⊙ b` over their labels: shared labels in `keep` are batch axes, shared labels not
/// in `keep` are summed (GEMM), the others are free. The result's labels are
/// `batch, free(a), free(b)`.
fn contract<T: Inexact>(
    a: &Work<'_, T>,
    b: &Work<'_, T>,
    keep: &[Label],
) -> Result<Work<'static, T>, LinalgError> {
    let shared = |l: &Label| b.labels.contains(l);
    let batch: Vec<Label> = a
        .labels
        .iter()
        .copied()
        .filter(|l| shared(l) && keep.contains(l))
        .collect();
    let summed: Vec<Label> = a
        .labels
        .iter()
        .copied()
        .filter(|l| shared(l) && !keep.contains(l))
        .collect();
    let free_a: Vec<Label> = a.labels.iter().copied().filter(|l| !shared(l)).collect();
    let free_b: Vec<Label> = b
        .labels
        .iter()
        .copied()
        .filter(|l| !a.labels.contains(l))
        .collect();
    let (av, bv) = (a.data.view(), b.data.view());
    // A label's size: its axis's length, broadcast (1 against n) when both operands have it.
    let size_in = |v: &ArrayView<'_, T>, labels: &[Label], l: Label| -> usize {
        labels
            .iter()
            .position(|&x| x == l)
            .map_or(1, |p| v.shape()[p])
    };
    let size = |l: Label| size_in(&av, &a.labels, l).max(size_in(&bv, &b.labels, l));
    let dims = |ls: &[Label]| -> Vec<usize> { ls.iter().map(|&l| size(l)).collect() };
    let prod = |ls: &[Label]| -> usize { dims(ls).iter().product() };
    let mut labels = batch.clone();
    labels.extend(&free_a);
    labels.extend(&free_b);
    let out_shape: Vec<isize> = dims(&labels).iter().map(|&d| d as isize).collect();

    let result = if summed.is_empty() {
        // Nothing to sum: a broadcast product, a[batch, free_a, 1…] * b[batch, 1…, free_b].
        let order_a: Vec<Label> = batch.iter().chain(&free_a).copied().collect();
        let order_b: Vec<Label> = batch.iter().chain(&free_b).copied().collect();
        let pa = arrange(&av, &a.labels, &order_a, size)?;
        let pb = arrange(&bv, &b.labels, &order_b, size)?;
        let mut sa: Vec<isize> = pa.shape().iter().map(|&d| d as isize).collect();
        sa.extend(std::iter::repeat_n(1, free_b.len()));
        let mut sb: Vec<isize> = dims(&batch).iter().map(|&d| d as isize).collect();
        sb.extend(std::iter::repeat_n(1, free_a.len()));
        sb.extend(dims(&free_b).iter().map(|&d| d as isize));
        pa.reshape(&sa)?.try_mul(&pb.reshape(&sb)?)?
    } else {
        // One (batched) GEMM: (B, M, K) @ (B, K, N).
        let order_a: Vec<Label> = batch
            .iter()
            .chain(&free_a)
            .chain(&summed)
            .copied()
            .collect();
        let order_b: Vec<Label> = batch
            .iter()
            .chain(&summed)
            .chain(&free_b)
            .copied()
            .collect();
        let pa = arrange(&av, &a.labels, &order_a, size)?;
        let pb = arrange(&bv, &b.labels, &order_b, size)?;
        let (m, n, k) = (prod(&free_a), prod(&free_b), prod(&summed));
        let (m, n, k) = (m as isize, n as isize, k as isize);
        if batch.is_empty() {
            matmul(&pa.reshape(&[m, k])?, &pb.reshape(&[k, n])?)?
        } else {
            let nb = prod(&batch) as isize;
            matmul(&pa.reshape(&[nb, m, k])?, &pb.reshape(&[nb, k, n])?)?
        }
    };
    Ok(Work {
        data: Operand::Owned(result.into_shape(&out_shape)?),
        labels,
    })
}

/// Einstein summation (numpy's `np.einsum(subscripts, *operands)`) for real float arrays.
///
/// * **Explicit output** `"ij,jk->ik"`: the labels after `->`, in that order; labels left
///   out are summed. **Implicit output** `"ij,jk"`: the labels that appear exactly once,
///   in alphabetical order (uppercase before lowercase), after the `...` dimensions.
/// * A label repeated in one operand takes the diagonal (`"ii->i"`, trace `"ii->"` /
///   `"ii"`); a label shared by two operands and absent from the output is contracted.
/// * `...` stands for the remaining axes of an operand; the ellipsis axes of the operands
///   broadcast against each other (numpy's rules, right-aligned). With an explicit output,
///   inputs with non-empty ellipses need `...` in the output too, as in numpy.
/// * A label's lengths must agree across operands, except that a length-1 axis
///   broadcasts against any length (as numpy does, for letters too).
///
/// Two operands run as one GEMM (batched over the shared output labels) through
/// [`matmul`](crate::matmul); more than two are contracted **left to right** (numpy's
/// default `optimize=False` order; no path search). The result is a new C-ordered array
/// (0-d for a full contraction: `.item()` gives the number).
///
/// Errors: malformed subscripts are [`LinalgError::InvalidArgument`] with numpy's wording
/// (which character, which operand); sizes that do not agree are [`LinalgError::Shape`].
///
/// ```
/// use lapis::{array, einsum, matmul};
/// let a = array![[1., 2.], [3., 4.]];
/// let b = array![[5., 6.], [7., 8.]];
/// // numpy: np.einsum("ij,jk->ik", a, b)
/// let c = einsum("ij,jk->ik", &[a.view(), b.view()]).unwrap();
/// assert_eq!(c, matmul(&a, &b).unwrap());
/// // numpy: np.einsum("ii", a)  (trace)
/// assert_eq!(einsum("ii", &[a.view()]).unwrap().item(), Some(5.0));
/// // numpy: np.einsum("ij->ji", a)
/// assert_eq!(einsum("ij->ji", &[a.view()]).unwrap(), a.t());
/// // numpy: np.einsum("i,j->ij", [1., 2.], [3., 4.])
/// let o = einsum("i,j->ij", &[array![1., 2.].view(), array![3., 4.].view()]).unwrap();
/// assert_eq!(o, array![[3., 4.], [6., 8.]]);
/// // numpy: np.einsum("ij,jk->ik", a)  -> ValueError (fewer operands than terms)
/// assert!(einsum("ij,jk->ik", &[a.view()]).is_err());
/// ```
pub fn einsum<T: Inexact>(
    subscripts: &str,
    operands: &[ArrayView<'_, T>],
) -> Result<Array<T>, LinalgError> {
    let shapes: Vec<&[usize]> = operands.iter().map(|o| o.shape()).collect();
    let plan = plan(subscripts, &shapes)?;
    let n = operands.len();

    // Labels needed from operand `i` on: the output and every operand after `i`.
    let needed_after = |i: usize| -> Vec<Label> {
        let mut k = plan.output.clone();
        for labels in &plan.inputs[i + 1..] {
            k.extend(labels);
        }
        k
    };

    let mut prepared = Vec::with_capacity(n);
    for (i, op) in operands.iter().enumerate() {
        let (v, labels) = collapse_repeated(op.view(), &plan.inputs[i], i)?;
        prepared.push(Work {
            data: Operand::View(v),
            labels,
        });
    }

    let mut it = prepared.into_iter();
    let first = it.next().expect("at least one operand");
    // The first operand keeps what the output and the second operand on need.
    let mut keep0 = needed_after(0);
    keep0.extend(plan.inputs.get(1).into_iter().flatten());
    let mut acc: Work<'_, T> = sum_unneeded(first, &keep0)?;
    for (i, w) in it.enumerate().map(|(j, w)| (j + 1, w)) {
        let keep = needed_after(i);
        let mut keep_b = keep.clone();
        keep_b.extend(&acc.labels);
        let w = sum_unneeded(w, &keep_b)?;
        let mut keep_a = keep.clone();
        keep_a.extend(&w.labels);
        let a = sum_unneeded(acc, &keep_a)?;
        acc = contract(&a, &w, &keep)?;
    }

    // Whatever is not in the output is summed; then the axes go into output order.
    let acc = sum_unneeded(acc, &plan.output)?;
    let v = acc.data.view();
    let perm: Vec<usize> = plan
        .output
        .iter()
        .map(|l| {
            acc.labels
                .iter()
                .position(|x| x == l)
                .expect("output label kept")
        })
        .collect();
    let out = v.permute_axes(&perm)?;
    Ok(out.to_owned())
}
