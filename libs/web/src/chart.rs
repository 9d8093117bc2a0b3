//! Server-rendered bar charts: an SVG (with a title and a description for screen readers, and
//! each bar's value written on it, so nothing is told by colour alone) and the same numbers
//! as an HTML table, in any language: the caller gives every word. The usage API and the
//! portal's usage page draw them.

use std::fmt::Write;

/// One bar chart: a value per period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// What it shows, such as "Sessions per month".
    pub title: String,
    /// What a value counts, such as "sessions" (the table's column heading).
    pub unit: String,
    /// The heading of the periods' column, such as "Month".
    pub period: String,
    /// `(period, value)` in order.
    pub points: Vec<(String, i64)>,
}

const WIDTH: i64 = 640;
const HEIGHT: i64 = 260;
const LEFT: i64 = 64;
const RIGHT: i64 = 16;
const TOP: i64 = 24;
const BOTTOM: i64 = 40;

impl Series {
    /// The chart as a standalone SVG document.
    pub fn svg(&self) -> String {
        self.svg_named("chart")
    }

    /// The chart as SVG whose title and description have ids starting `{id}-`, so that several
    /// charts on one page keep their ids apart.
    fn svg_named(&self, id: &str) -> String {
        let plot_width = WIDTH - LEFT - RIGHT;
        let plot_height = HEIGHT - TOP - BOTTOM;
        let top = nice_ceiling(self.points.iter().map(|p| p.1).max().unwrap_or(0));
        let slot = plot_width / i64::try_from(self.points.len().max(1)).unwrap_or(1);
        let bar = (slot * 2 / 3).max(1);
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
             role=\"img\" aria-labelledby=\"{id}-t {id}-d\" \
             font-family=\"system-ui, sans-serif\" font-size=\"12\">\
             <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
            escape(&self.title),
            escape(&self.description())
        );
        for step in 0..=2 {
            let value = top * step / 2;
            let y = TOP + plot_height - plot_height * step / 2;
            let _ = write!(
                out,
                "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#767676\" \
                 stroke-width=\"1\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\" \
                 fill=\"#1a1a1a\">{value}</text>",
                WIDTH - RIGHT,
                LEFT - 6,
                y + 4
            );
        }
        for (i, (period, value)) in self.points.iter().enumerate() {
            let x = LEFT + slot * i64::try_from(i).unwrap_or(0) + (slot - bar) / 2;
            let h = if top == 0 {
                0
            } else {
                plot_height * value / top
            };
            let y = TOP + plot_height - h;
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{bar}\" height=\"{h}\" fill=\"#1f5f8b\">\
                 <title>{}: {value}</title></rect><text x=\"{}\" y=\"{}\" \
                 text-anchor=\"middle\" fill=\"#1a1a1a\">{value}</text><text x=\"{}\" y=\"{}\" \
                 text-anchor=\"middle\" fill=\"#1a1a1a\">{}</text>",
                escape(period),
                x + bar / 2,
                y - 4,
                x + bar / 2,
                HEIGHT - BOTTOM + 16,
                escape(period)
            );
        }
        out.push_str("</svg>");
        out
    }

    /// The numbers as an HTML table with a caption.
    pub fn table(&self) -> String {
        let mut out = format!(
            "<table><caption>{}</caption><thead><tr><th scope=\"col\">{}</th>\
             <th scope=\"col\">{}</th></tr></thead><tbody>",
            escape(&self.title),
            escape(&self.period),
            escape(&self.unit)
        );
        for (period, value) in &self.points {
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{value}</td></tr>",
                escape(period)
            );
        }
        out.push_str("</tbody></table>");
        out
    }

    /// The chart and its table in one `<figure>`, to embed in a page.
    pub fn figure(&self) -> String {
        self.figure_named("chart")
    }

    /// [`figure`](Self::figure) for a page with more than one chart: the title's and the
    /// description's ids start with `id`, so each chart's stay its own.
    pub fn figure_named(&self, id: &str) -> String {
        format!(
            "<figure class=\"tilgang-chart\">{}{}</figure>",
            self.svg_named(id),
            self.table()
        )
    }

    /// Every value in words, for screen readers: "Sessions per month (sessions). 2026-11: 3;
    /// 2026-12: 5."
    fn description(&self) -> String {
        let all: Vec<String> = self
            .points
            .iter()
            .map(|(period, value)| format!("{period}: {value}"))
            .collect();
        let head = format!("{} ({}).", self.title, self.unit);
        if all.is_empty() {
            head
        } else {
            format!("{head} {}.", all.join("; "))
        }
    }
}

/// The smallest of 1, 2 or 5 times a power of ten that is at least `n` (0 for 0).
fn nice_ceiling(n: i64) -> i64 {
    if n <= 0 {
        return 0;
    }
    let mut power = 1;
    loop {
        for step in [1, 2, 5] {
            if step * power >= n {
                return step * power;
            }
        }
        power *= 10;
    }
}

/// Text made safe inside XML and HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series() -> Series {
        Series {
            title: "Sessions <per> month".into(),
            unit: "sessions".into(),
            period: "Month".into(),
            points: vec![("2026-09".into(), 3), ("2026-10".into(), 14)],
        }
    }

    #[test]
    fn the_axis_ends_at_a_round_number_above_the_highest_bar() {
        assert_eq!(nice_ceiling(14), 20);
        assert_eq!(nice_ceiling(3), 5);
        assert_eq!(nice_ceiling(1000), 1000);
        assert_eq!(nice_ceiling(0), 0);
    }

    #[test]
    fn every_value_is_written_in_the_chart_and_in_the_table() {
        let s = series();
        let svg = s.svg();
        assert!(svg.contains("<title id=\"chart-t\">Sessions &lt;per&gt; month</title>"));
        assert!(svg.contains("2026-09: 3; 2026-10: 14"));
        assert!(svg.contains(">14</text>"));
        let table = s.table();
        assert!(table.contains("<tr><th scope=\"row\">2026-10</th><td>14</td></tr>"));
        assert!(s.figure().starts_with("<figure"));
        let second = s.figure_named("audiobooks");
        assert!(second.contains("aria-labelledby=\"audiobooks-t audiobooks-d\""));
        assert!(
            !second.contains("id=\"chart-t\""),
            "a second chart has its own ids"
        );
    }

    #[test]
    fn an_empty_chart_still_says_what_it_shows() {
        let empty = Series {
            points: vec![],
            ..series()
        };
        assert!(
            empty
                .svg()
                .contains("<desc id=\"chart-d\">Sessions &lt;per&gt; month (sessions).</desc>")
        );
        assert!(empty.table().contains("<th scope=\"col\">Month</th>"));
    }
}
