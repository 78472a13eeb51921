//! Text decoding: BOMs, UTF-8, UTF-16 and legacy code pages.

/// Decodes article bytes to text with LF line ends.
///
/// A BOM decides first (UTF-8, UTF-16 LE/BE); then valid UTF-8 is taken as
/// is; otherwise chardetng guesses the legacy encoding (Windows-1252, 1256,
/// …) the way browsers do.
pub fn decode(bytes: &[u8]) -> String {
    let text = if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        encoding.decode_without_bom_handling(body).0.into_owned()
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        text.to_owned()
    } else if let Some(encoding) = utf16_without_bom(bytes) {
        encoding.decode_without_bom_handling(bytes).0.into_owned()
    } else {
        let mut detector = chardetng::EncodingDetector::new();
        detector.feed(bytes, true);
        let encoding = detector.guess(None, true);
        encoding.decode_without_bom_handling(bytes).0.into_owned()
    };
    normalize_line_ends(&text)
}

/// UTF-16 without a BOM shows as a NUL in every other byte of ASCII text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(512)];
    let zeros_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let zeros_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|b| **b == 0)
        .count();
    let half = sample.len() / 2;
    if zeros_odd * 10 >= half * 6 && zeros_even == 0 {
        Some(encoding_rs::UTF_16LE)
    } else if zeros_even * 10 >= half * 6 && zeros_odd == 0 {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// CRLF and lone CR become LF.
pub fn normalize_line_ends(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_and_legacy_pages() {
        assert_eq!(decode(b"\xef\xbb\xbfhi\r\nthere"), "hi\nthere");
        assert_eq!(decode(&[0xff, 0xfe, b'h', 0, b'i', 0]), "hi");
        assert_eq!(decode(&[0xfe, 0xff, 0, b'h', 0, b'i']), "hi");
        assert_eq!(
            decode(b"caf\xe9 cr\xe8me br\xfbl\xe9e, d\xe9j\xe0 vu"),
            "café crème brûlée, déjà vu"
        );
    }
}
