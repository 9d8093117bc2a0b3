//! Validation against the official COUNTER API 5.1.0.1 schema, compiled once per report kind.

use std::sync::OnceLock;

use serde::Serialize;
use serde_json::Value;

use crate::ReportKind;

/// The COUNTER API document (OpenAPI 3.1, JSON Schema 2020-12 inside).
const DOCUMENT: &str = include_str!("../schema/COUNTER_API-5.1.0.1.json");

/// Most problems listed for one report.
const MOST_PROBLEMS: usize = 50;

/// One thing wrong with a report: where (a JSON pointer into the report) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// JSON pointer to the offending value, such as `/Report_Items/3/Platform`.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// Whether it only follows from another problem.
    #[serde(skip)]
    consequence: bool,
}

impl Problem {
    fn at(pointer: &str, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
            consequence: false,
        }
    }
}

/// Checks a report against the schema of the kind its `Report_Header.Report_ID` names; the
/// kind, or up to 50 problems, each with where it is.
pub fn validate(report: &Value) -> Result<ReportKind, Vec<Problem>> {
    let id = report.pointer("/Report_Header/Report_ID").ok_or_else(|| {
        vec![Problem::at(
            "/Report_Header/Report_ID",
            "missing: a COUNTER report has Report_Header.Report_ID",
        )]
    })?;
    let kind = id.as_str().and_then(ReportKind::parse).ok_or_else(|| {
        let known: Vec<_> = ReportKind::ALL.iter().map(|k| k.id()).collect();
        vec![Problem::at(
            "/Report_Header/Report_ID",
            format!("{id} is not a report the hub takes ({})", known.join(", ")),
        )]
    })?;
    let mut problems = Vec::new();
    for error in validator(kind).iter_errors(report).take(MOST_PROBLEMS) {
        leaves(&error, &mut problems);
    }
    // "Unevaluated properties" follows from a failure below it; alone, it is the problem.
    if problems.iter().any(|p| !p.consequence) {
        problems.retain(|p| !p.consequence);
    }
    problems.truncate(MOST_PROBLEMS);
    if problems.is_empty() {
        Ok(kind)
    } else {
        Err(problems)
    }
}

/// The problems an error stands for: where a value matches none of several shapes
/// (`oneOf`, `anyOf`), those of the shape it came closest to (the fewest problems), so the
/// pointer names the value that is wrong rather than the object around it. Messages never
/// repeat the value (a report can be megabytes).
fn leaves(error: &jsonschema::ValidationError<'_>, out: &mut Vec<Problem>) {
    use jsonschema::error::ValidationErrorKind as Kind;
    if let Kind::AnyOf { context } | Kind::OneOfNotValid { context } = error.kind()
        && let Some(closest) = context.iter().min_by_key(|branch| branch.len())
        && !closest.is_empty()
    {
        for inner in closest {
            leaves(inner, out);
        }
        return;
    }
    out.push(Problem {
        pointer: error.instance_path().to_string(),
        message: error.masked().to_string(),
        consequence: matches!(error.kind(), Kind::UnevaluatedProperties { .. }),
    });
}

/// The validator of `kind`, compiled on first use.
fn validator(kind: ReportKind) -> &'static jsonschema::Validator {
    static COMPILED: [OnceLock<jsonschema::Validator>; 8] = [const { OnceLock::new() }; 8];
    let slot = ReportKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("every kind is in ALL");
    COMPILED[slot].get_or_init(|| {
        // The whole document is the schema's root, so its `#/components/...` references
        // resolve; the other OpenAPI members are keywords JSON Schema ignores.
        let mut schema: Value = serde_json::from_str(DOCUMENT).expect("the embedded schema parses");
        schema["$ref"] = Value::String(format!("#/components/schemas/{}", kind.id()));
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&schema)
            .expect("the embedded schema compiles")
    })
}
