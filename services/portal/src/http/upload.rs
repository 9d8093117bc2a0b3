//! Forms with a file (`multipart/form-data`), read with a limit: the file's field may hold up to
//! the given size, every other field 1 KiB. The form's `csrf` field must come before the file
//! (the pages put it first) and be the session's, or nothing more is read.

use std::collections::HashMap;

use actix_multipart::Multipart;
use futures_util::StreamExt;

/// The largest field that is not the file.
const FIELD_LIMIT: usize = 1 << 10;

/// A form with a file.
#[derive(Default)]
pub struct Upload {
    /// The other fields, by name (the last of a repeated name).
    pub fields: HashMap<String, String>,
    /// The file's bytes (empty without one).
    pub file: Vec<u8>,
}

impl Upload {
    /// The field `name`, or empty.
    pub fn field(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}

/// Why a form could not be read.
pub enum Unread {
    /// A field is larger than its limit.
    TooLarge,
    /// The upload broke off or is not `multipart/form-data`.
    Broken,
    /// The `csrf` field is missing before the file, or is not the session's.
    Forged,
}

/// Reads `form`, whose field `file` holds a file of at most `limit` bytes and whose `csrf`
/// field `sent` accepts.
pub async fn read(
    mut form: Multipart,
    file: &str,
    limit: usize,
    sent: impl Fn(&str) -> bool,
) -> Result<Upload, Unread> {
    let mut upload = Upload::default();
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|_| Unread::Broken)?;
        let name = field.name().unwrap_or_default().to_owned();
        if name == file && !upload.fields.contains_key("csrf") {
            return Err(Unread::Forged);
        }
        let most = if name == file { limit } else { FIELD_LIMIT };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| Unread::Broken)?;
            if bytes.len() + chunk.len() > most {
                return Err(Unread::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        if name == file {
            upload.file = bytes;
        } else {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if name == "csrf" && !sent(&text) {
                return Err(Unread::Forged);
            }
            upload.fields.insert(name, text);
        }
    }
    if !upload.fields.contains_key("csrf") {
        return Err(Unread::Forged);
    }
    Ok(upload)
}
