//! Time to parse, validate and read a COUNTER report of about 10 MB (the official TR sample's
//! items repeated under new titles), against the floor measured in the same run: parsing the
//! same bytes into JSON and nothing else. Run by `tests/bench/counter.sh`.
//!
//! Usage: validate_bench [RUNS]   prints one JSON line per run, then the medians.

use std::time::Instant;

use serde_json::Value;

const SAMPLE: &str = include_str!("../tests/fixtures/TR_sample_r51.json");
const TARGET_BYTES: usize = 10 * 1024 * 1024;

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .map_or(5, |n| n.parse().expect("RUNS is a number"));
    let bytes = big_report();
    let (mut whole, mut floor) = (Vec::new(), Vec::new());
    // The first validation compiles the schema; it is timed apart.
    let started = Instant::now();
    let report: Value = serde_json::from_slice(&bytes).expect("parses");
    tilgang_counter::validate(&report).expect("valid");
    let first_ms = started.elapsed().as_secs_f64() * 1000.0;
    for _ in 0..runs {
        let started = Instant::now();
        let report: Value = serde_json::from_slice(&bytes).expect("parses");
        let kind = tilgang_counter::validate(&report).expect("valid");
        let rows = tilgang_counter::rows(&report);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let started = Instant::now();
        let parsed: Value = serde_json::from_slice(&bytes).expect("parses");
        let parse_ms = started.elapsed().as_secs_f64() * 1000.0;
        drop(parsed);
        println!(
            "{{\"bytes\":{},\"kind\":\"{}\",\"rows\":{},\"parse_validate_read_ms\":{ms:.1},\"parse_only_ms\":{parse_ms:.1}}}",
            bytes.len(),
            kind.id(),
            rows.len()
        );
        whole.push(ms);
        floor.push(parse_ms);
    }
    println!(
        "median parse+validate+read {:.1} ms, parse only {:.1} ms, first run with schema compilation {first_ms:.1} ms",
        median(&mut whole),
        median(&mut floor)
    );
}

/// The TR sample with its items repeated, each copy under a new title, to about 10 MB.
fn big_report() -> Vec<u8> {
    let mut report: Value = serde_json::from_str(SAMPLE).expect("the sample parses");
    let items = report["Report_Items"].as_array().expect("items").clone();
    let per_copy = serde_json::to_vec(&items).expect("serialises").len();
    let copies = TARGET_BYTES / per_copy + 1;
    let mut all = Vec::new();
    for copy in 0..copies {
        for (n, item) in items.iter().enumerate() {
            let mut item = item.clone();
            item["Title"] = Value::String(format!("Title {copy}-{n}"));
            all.push(item);
        }
    }
    report["Report_Items"] = Value::Array(all);
    serde_json::to_vec(&report).expect("serialises")
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
