//! CSV downloads: RFC 4180 fields, and the download response.

use actix_web::HttpResponse;

/// One CSV line of `fields`, ending in a line break. A field with a comma, quote or line
/// break is quoted; one that a spreadsheet would read as a formula (starting with `=`, `+`,
/// `-` or `@`) is prefixed with `'`.
pub fn line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut out = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let text = field.as_ref();
        let text = if text.starts_with(['=', '+', '-', '@']) {
            format!("'{text}")
        } else {
            text.to_owned()
        };
        if text.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&text.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&text);
        }
    }
    out.push('\n');
    out
}

/// `body` as the CSV file `name`, not cached.
pub fn download(name: &str, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::line;

    #[test]
    fn plain_fields_are_joined_by_commas() {
        assert_eq!(line(&["NO-0030100", "Oslo", "1"]), "NO-0030100,Oslo,1\n");
    }

    #[test]
    fn a_field_with_a_comma_or_quote_is_quoted() {
        assert_eq!(
            line(&["Bibliotek, \"Hoved\"", "x"]),
            "\"Bibliotek, \"\"Hoved\"\"\",x\n"
        );
    }

    #[test]
    fn a_field_a_spreadsheet_would_run_is_made_text() {
        assert_eq!(line(&["=HYPERLINK(1)", "-1"]), "'=HYPERLINK(1),'-1\n");
    }
}
