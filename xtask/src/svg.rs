//! A small hand-written SVG line chart: a grid of panels sharing one legend, log₂ x axis,
//! linear y axis from zero, an optional dashed "peak" line per panel.

use std::fmt::Write as _;

/// One line.
#[derive(Clone, Debug)]
pub struct Series {
    /// Legend name (`lapis`, `openblas`, `faer`).
    pub name: String,
    /// `(x, y)` points; x > 0 (log scale).
    pub points: Vec<(f64, f64)>,
}

/// One chart of the grid.
#[derive(Clone, Debug)]
pub struct Panel {
    /// Panel heading.
    pub title: String,
    /// Lines.
    pub series: Vec<Series>,
    /// A horizontal reference line (peak throughput), if any.
    pub peak: Option<f64>,
}

const PANEL_W: f64 = 470.0;
const PANEL_H: f64 = 320.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 18.0;
const TOP: f64 = 34.0;
const BOTTOM: f64 = 48.0;
const HEAD: f64 = 86.0;

/// Colour and marker of an implementation (stable across plots).
fn style(name: &str) -> (&'static str, &'static str) {
    match name {
        "lapis" => ("#d62728", "circle"),
        "openblas" => ("#1f77b4", "square"),
        "faer" => ("#2ca02c", "diamond"),
        _ => ("#7f7f7f", "circle"),
    }
}

/// XML-escapes text.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A "nice" step (1, 2 or 5 × 10^k) giving about `target` intervals up to `max`.
pub fn nice_step(max: f64, target: usize) -> f64 {
    if max.is_nan() || max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let raw = max / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

fn marker(out: &mut String, shape: &str, x: f64, y: f64, color: &str) {
    let _ = match shape {
        "square" => writeln!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="7" height="7" fill="{color}"/>"#,
            x - 3.5,
            y - 3.5
        ),
        "diamond" => writeln!(
            out,
            r#"<path d="M{x:.1} {:.1} L{:.1} {y:.1} L{x:.1} {:.1} L{:.1} {y:.1} Z" fill="{color}"/>"#,
            y - 5.0,
            x + 5.0,
            y + 5.0,
            x - 5.0
        ),
        _ => writeln!(
            out,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="{color}"/>"#
        ),
    };
}

fn fmt_tick(v: f64) -> String {
    if v == v.round() {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

fn panel(out: &mut String, p: &Panel, ox: f64, oy: f64, xlabel: &str, ylabel: &str) {
    let (pw, ph) = (PANEL_W - LEFT - RIGHT, PANEL_H - TOP - BOTTOM);
    let (x0, y0) = (ox + LEFT, oy + TOP);
    // Domains.
    let mut xs: Vec<f64> = p
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|pt| pt.0))
        .filter(|x| *x > 0.0)
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let (lo, hi) = match (xs.first(), xs.last()) {
        (Some(a), Some(b)) => (a.log2(), b.log2()),
        _ => (0.0, 1.0),
    };
    let pad = ((hi - lo) * 0.05).max(0.5);
    let (lo, hi) = (lo - pad, hi + pad);
    let ymax_data = p
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|pt| pt.1))
        .chain(p.peak)
        .fold(0.0f64, f64::max);
    let step = nice_step(ymax_data * 1.05, 5);
    let ymax = ((ymax_data * 1.05) / step).ceil().max(1.0) * step;
    let sx = |x: f64| x0 + (x.log2() - lo) / (hi - lo) * pw;
    let sy = |y: f64| y0 + ph - y / ymax * ph;

    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{:.1}" font-size="14" font-weight="bold" text-anchor="middle">{}</text>"#,
        x0 + pw / 2.0,
        oy + 20.0,
        esc(&p.title)
    );
    let _ = writeln!(
        out,
        r##"<rect x="{x0:.1}" y="{y0:.1}" width="{pw:.1}" height="{ph:.1}" fill="#fcfcfc" stroke="#999"/>"##
    );
    // Y grid and ticks.
    let mut v = 0.0;
    while v <= ymax + step * 1e-9 {
        let y = sy(v);
        let _ = writeln!(
            out,
            r##"<line x1="{x0:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e3e3e3"/>"##,
            x0 + pw
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end">{}</text>"#,
            x0 - 6.0,
            y + 4.0,
            fmt_tick(v)
        );
        v += step;
    }
    // X ticks at the measured sizes.
    for &x in &xs {
        let px = sx(x);
        let _ = writeln!(
            out,
            r##"<line x1="{px:.1}" y1="{y0:.1}" x2="{px:.1}" y2="{:.1}" stroke="#eeeeee"/>"##,
            y0 + ph
        );
        let _ = writeln!(
            out,
            r##"<line x1="{px:.1}" y1="{:.1}" x2="{px:.1}" y2="{:.1}" stroke="#555"/>"##,
            y0 + ph,
            y0 + ph + 5.0
        );
        let _ = writeln!(
            out,
            r#"<text x="{px:.1}" y="{:.1}" font-size="11" text-anchor="middle">{}</text>"#,
            y0 + ph + 18.0,
            fmt_tick(x)
        );
    }
    // Axis labels.
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle">{} (log scale)</text>"#,
        x0 + pw / 2.0,
        y0 + ph + 38.0,
        esc(xlabel)
    );
    let (lx, ly) = (ox + 16.0, y0 + ph / 2.0);
    let _ = writeln!(
        out,
        r#"<text x="{lx:.1}" y="{ly:.1}" font-size="12" text-anchor="middle" transform="rotate(-90 {lx:.1} {ly:.1})">{}</text>"#,
        esc(ylabel)
    );
    // Peak line.
    if let Some(peak) = p.peak {
        let y = sy(peak);
        let _ = writeln!(
            out,
            r##"<line x1="{x0:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#555" stroke-dasharray="6 4"/>"##,
            x0 + pw
        );
        let _ = writeln!(
            out,
            r##"<text x="{:.1}" y="{:.1}" font-size="11" fill="#444">FMA peak {peak:.0}</text>"##,
            x0 + 6.0,
            y - 5.0
        );
    }
    // Lines.
    for s in &p.series {
        let (color, shape) = style(&s.name);
        let mut pts: Vec<(f64, f64)> = s.points.iter().copied().filter(|p| p.0 > 0.0).collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let path: Vec<String> = pts
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", sx(x), sy(y)))
            .collect();
        let _ = writeln!(
            out,
            r#"<polyline class="series" data-impl="{}" points="{}" fill="none" stroke="{color}" stroke-width="2"/>"#,
            esc(&s.name),
            path.join(" ")
        );
        for &(x, y) in &pts {
            marker(out, shape, sx(x), sy(y), color);
        }
    }
}

/// The whole figure.
pub fn render(title: &str, subtitle: &str, xlabel: &str, ylabel: &str, panels: &[Panel]) -> String {
    let cols = panels.len().clamp(1, 2);
    let rows = panels.len().div_ceil(cols).max(1);
    let width = PANEL_W * cols as f64;
    let height = HEAD + PANEL_H * rows as f64;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="Helvetica, Arial, sans-serif">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="24" font-size="17" font-weight="bold" text-anchor="middle">{}</text>"#,
        width / 2.0,
        esc(title)
    );
    let _ = writeln!(
        out,
        r##"<text x="{:.1}" y="44" font-size="11" fill="#555" text-anchor="middle">{}</text>"##,
        width / 2.0,
        esc(subtitle)
    );
    // Legend: every implementation appearing anywhere.
    let mut names: Vec<&str> = Vec::new();
    for p in panels {
        for s in &p.series {
            if !names.contains(&s.name.as_str()) {
                names.push(&s.name);
            }
        }
    }
    let item_w = 110.0;
    let mut lx = width / 2.0 - item_w * names.len() as f64 / 2.0;
    for name in names {
        let (color, shape) = style(name);
        let _ = writeln!(
            out,
            r#"<line x1="{lx:.1}" y1="66" x2="{:.1}" y2="66" stroke="{color}" stroke-width="2"/>"#,
            lx + 28.0
        );
        marker(&mut out, shape, lx + 14.0, 66.0, color);
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="70" font-size="13">{}</text>"#,
            lx + 34.0,
            esc(name)
        );
        lx += item_w;
    }
    for (i, p) in panels.iter().enumerate() {
        let ox = PANEL_W * (i % cols) as f64;
        let oy = HEAD + PANEL_H * (i / cols) as f64;
        panel(&mut out, p, ox, oy, xlabel, ylabel);
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(100.0, 5), 20.0);
        assert_eq!(nice_step(7.0, 5), 2.0);
        assert_eq!(nice_step(0.0, 5), 1.0);
        assert!((nice_step(0.3, 5) - 0.1).abs() < 1e-12);
    }
}
