//! A library's logo, shown on its e-library page: a small PNG, JPEG or WebP image. Its type is
//! read from its first bytes, never from what the uploader's browser claims, so nothing else
//! (an SVG with a script in it, an HTML page) is ever served from the hub's address as a logo.

use super::error::RegistryError;

/// The largest logo, in bytes (a logo is shown at most 80 pixels high).
pub const MAX_LOGO_BYTES: usize = 256 * 1024;

/// The image type of `bytes` (`image/png`, `image/jpeg` or `image/webp`), or why it is no logo.
pub fn image_type(bytes: &[u8]) -> Result<&'static str, RegistryError> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(RegistryError::invalid(
            "logo",
            "logo_too_large",
            format!("a logo may be at most {} KiB", MAX_LOGO_BYTES / 1024),
        ));
    }
    match bytes {
        [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', ..] => Ok("image/png"),
        [0xff, 0xd8, 0xff, ..] => Ok("image/jpeg"),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Ok("image/webp"),
        _ => Err(RegistryError::invalid(
            "logo",
            "logo_invalid",
            "a logo is a PNG, JPEG or WebP image",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_jpeg_and_webp_are_known_by_their_first_bytes() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n rest").unwrap(), "image/png");
        assert_eq!(image_type(b"\xff\xd8\xff\xe0 rest").unwrap(), "image/jpeg");
        assert_eq!(image_type(b"RIFF\0\0\0\0WEBPVP8 ").unwrap(), "image/webp");
    }

    #[test]
    fn svg_gif_empty_and_oversized_files_are_refused() {
        for refused in [
            &b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"[..],
            b"GIF89a",
            b"",
        ] {
            assert_eq!(image_type(refused).unwrap_err().code(), "logo_invalid");
        }
        let mut huge = b"\x89PNG\r\n\x1a\n".to_vec();
        huge.resize(MAX_LOGO_BYTES + 1, 0);
        assert_eq!(image_type(&huge).unwrap_err().code(), "logo_too_large");
    }
}
