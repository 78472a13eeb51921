//! Text decoding: BOMs, UTF-8, UTF-16 and legacy code pages.

/// Decodes article bytes to text with LF line ends.
///
/// A BOM decides first (UTF-8, UTF-16 LE/BE); then valid UTF-8 is taken as
/// is; then UTF-8 with a few bad sequences (a file cut in the middle of a
/// letter, one corrupt byte) is read as UTF-8 with each bad sequence as
/// U+FFFD; otherwise chardetng guesses the legacy encoding (Windows-1252,
/// 1256, …) the way browsers do.
pub fn decode(bytes: &[u8]) -> String {
    decode_with_note(bytes).0
}

/// [`decode_with_note`] of bytes the caller gives up: plain UTF-8 (the
/// common case) becomes the text without a copy, so a large batch file is
/// in memory once, not three times.
pub fn decode_owned_with_note(bytes: Vec<u8>) -> (String, Option<String>) {
    let plain = utf32_bom(&bytes).is_none()
        && encoding_rs::Encoding::for_bom(&bytes).is_none()
        && utf16_without_bom(&bytes).is_none();
    if !plain {
        return decode_with_note(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) if !text.contains('\r') => (text, None),
        Ok(text) => (normalize_line_ends(&text), None),
        Err(not_utf8) => decode_with_note(not_utf8.as_bytes()),
    }
}

/// [`decode`], with a note for the user when the text is not exactly what
/// the bytes say in UTF-8: bad sequences replaced, or a guessed encoding.
pub fn decode_with_note(bytes: &[u8]) -> (String, Option<String>) {
    let mut note = None;
    // UTF-32's BOM starts like UTF-16 LE's (FF FE), so it is asked first.
    let text = if let Some(big_endian) = utf32_bom(bytes) {
        decode_utf32(bytes.get(4..).unwrap_or_default(), big_endian)
    } else if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        encoding.decode_without_bom_handling(body).0.into_owned()
    } else if let Some(encoding) = utf16_without_bom(bytes) {
        // Before UTF-8: ASCII in UTF-16 is valid UTF-8 too, with a NUL
        // after every letter.
        note = Some(format!(
            "no byte order mark: read as {}, recognised by its pattern of NUL bytes",
            encoding.name()
        ));
        encoding.decode_without_bom_handling(bytes).0.into_owned()
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        text.to_owned()
    } else if let Some(damage) = cut_at_the_end(bytes).or_else(|| mostly_utf8(bytes)) {
        note = Some(format!(
            "not valid UTF-8 in {} place{} (the first at byte {}): read as UTF-8, with each bad \
             sequence shown as U+FFFD (�)",
            damage.bad_sequences,
            if damage.bad_sequences == 1 { "" } else { "s" },
            damage.first_at,
        ));
        String::from_utf8_lossy(bytes).into_owned()
    } else {
        let mut detector = chardetng::EncodingDetector::new();
        detector.feed(bytes, true);
        let encoding = prefer_western(detector.guess(None, true), bytes);
        note = Some(format!(
            "not UTF-8: read as {}, an encoding guessed from the bytes",
            encoding.name()
        ));
        encoding.decode_without_bom_handling(bytes).0.into_owned()
    };
    (normalize_line_ends(&text), note)
}

/// Windows-1252 rather than a guessed Central European or Baltic code page
/// when 1252 reads every byte above 0x7F as a letter or common punctuation
/// and the text shows no Czech (ě ř ů together): on a short text the
/// detector takes `naïve` for `naďve` or `naīve`. Polish keeps 1250, as
/// its ą and ł are ¹ and ³ in 1252.
fn prefer_western(
    guess: &'static encoding_rs::Encoding,
    bytes: &[u8],
) -> &'static encoding_rs::Encoding {
    use encoding_rs::{
        ISO_8859_2, ISO_8859_4, ISO_8859_10, ISO_8859_13, WINDOWS_1250, WINDOWS_1252, WINDOWS_1257,
    };
    let latin = [
        WINDOWS_1250,
        WINDOWS_1257,
        ISO_8859_2,
        ISO_8859_4,
        ISO_8859_10,
        ISO_8859_13,
    ];
    if !latin.contains(&guess) {
        return guess;
    }
    let mut seen = [false; 256];
    for b in bytes {
        if let Some(slot) = seen.get_mut(usize::from(*b)) {
            *slot = true;
        }
    }
    let has = |b: u8| seen.get(usize::from(b)).copied().unwrap_or(false);
    let czech = [0xEC, 0xF8, 0xF9].iter().filter(|b| has(**b)).count();
    let western = (0x80..=0xFFu8).filter(|b| has(*b)).all(|b| {
        let byte = [b];
        let (text, bad) = WINDOWS_1252.decode_without_bom_handling(&byte);
        !bad && text.chars().all(|c| {
            c.is_alphabetic() || "\u{2018}\u{2019}\u{201C}\u{201D}\u{2013}\u{2014}\u{2026}\u{20AC}\u{A0}\u{B0}\u{AB}\u{BB}\u{B7}".contains(c)
        })
    });
    if western && czech < 2 {
        WINDOWS_1252
    } else {
        guess
    }
}

/// A UTF-32 byte order mark: `Some(true)` big-endian, `Some(false)` little.
fn utf32_bom(bytes: &[u8]) -> Option<bool> {
    match bytes.get(..4)? {
        [0xFF, 0xFE, 0, 0] => Some(false),
        [0, 0, 0xFE, 0xFF] => Some(true),
        _ => None,
    }
}

/// UTF-32 (which encoding_rs does not read, as the web does not use it);
/// a unit that is no scalar value, or a cut one at the end, is U+FFFD.
fn decode_utf32(body: &[u8], big_endian: bool) -> String {
    let chunks = body.chunks(4);
    let mut text = String::with_capacity(body.len() / 4);
    for chunk in chunks {
        let unit = match <[u8; 4]>::try_from(chunk) {
            Ok(four) if big_endian => u32::from_be_bytes(four),
            Ok(four) => u32::from_le_bytes(four),
            Err(_) => 0xFFFD,
        };
        text.push(char::from_u32(unit).unwrap_or('\u{FFFD}'));
    }
    text
}

/// UTF-8 whose only fault is a letter cut off by the end of the file (a
/// truncated download, a file split by bytes): UTF-8, whatever else it holds.
fn cut_at_the_end(bytes: &[u8]) -> Option<Utf8Damage> {
    match std::str::from_utf8(bytes) {
        Err(e) if e.error_len().is_none() => Some(Utf8Damage {
            bad_sequences: 1,
            first_at: e.valid_up_to(),
        }),
        _ => None,
    }
}

/// Where UTF-8 that is not valid goes wrong.
struct Utf8Damage {
    bad_sequences: usize,
    first_at: usize,
}

/// `Some` when invalid UTF-8 is still UTF-8 text with a few bad sequences:
/// at least ten well-formed non-ASCII letters for each bad sequence. Text
/// in a legacy encoding has hardly any well-formed multi-byte sequence
/// (its letters above 0x7F are single bytes), so it stays with the guess.
fn mostly_utf8(bytes: &[u8]) -> Option<Utf8Damage> {
    let mut rest = bytes;
    let (mut offset, mut non_ascii, mut bad_sequences) = (0, 0usize, 0usize);
    let mut first_at = None;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                non_ascii += valid.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let valid_len = e.valid_up_to();
                let valid = std::str::from_utf8(rest.get(..valid_len).unwrap_or_default())
                    .unwrap_or_default();
                non_ascii += valid.chars().filter(|c| !c.is_ascii()).count();
                bad_sequences += 1;
                first_at.get_or_insert(offset + valid_len);
                // A sequence cut off by the end of the file has no length.
                let skip = valid_len + e.error_len().unwrap_or(rest.len() - valid_len);
                offset += skip;
                rest = rest.get(skip..).unwrap_or_default();
            }
        }
    }
    (non_ascii > 0 && non_ascii >= 10 * bad_sequences).then(|| Utf8Damage {
        bad_sequences,
        first_at: first_at.unwrap_or(0),
    })
}

/// Why bytes are not a text article: the kind of file they look like
/// ("PDF", "ZIP archive", …, or "binary data"), `None` for text.
///
/// Known signatures decide first; then, unless a BOM or the UTF-16 shape
/// says the NULs belong to UTF-16 text, any NUL byte or more than 10% of
/// control characters (other than tab, line feed, carriage return and form
/// feed) in the first 8 KiB marks binary data. Linear, one pass.
pub fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF-", "PDF"),
        (b"PK\x03\x04", "ZIP archive (or an Office document)"),
        (b"PK\x05\x06", "ZIP archive"),
        (b"\x7fELF", "an ELF program"),
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"\x1f\x8b", "gzip archive"),
        (b"\xfd7zXZ\x00", "xz archive"),
        (b"7z\xbc\xaf\x27\x1c", "7z archive"),
        (b"Rar!\x1a\x07", "RAR archive"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "an old Office document",
        ),
        (b"SQLite format 3\x00", "SQLite database"),
        (b"\xca\xfe\xba\xbe", "a Mach-O or Java program"),
        (b"\xcf\xfa\xed\xfe", "a Mach-O program"),
        (b"\x00\x00\x00\x0cjP  ", "JPEG 2000 image"),
    ];
    for (signature, kind) in SIGNATURES {
        if bytes.starts_with(signature) {
            return Some(kind);
        }
    }
    // ISO media (MP4, MOV, HEIC) carry their kind a few bytes in. Formats
    // whose signature is plain ASCII text ("MZ", "ID3", "OggS") are left to
    // the NUL check below, so that no article is refused for its first word.
    if bytes.get(4..8) == Some(b"ftyp") && bytes.first() == Some(&0) {
        return Some("an MP4/QuickTime media file");
    }
    let is_utf16 = encoding_rs::Encoding::for_bom(bytes)
        .is_some_and(|(e, _)| e != encoding_rs::UTF_8)
        || utf32_bom(bytes).is_some()
        || utf16_without_bom(bytes).is_some();
    if is_utf16 {
        return None;
    }
    let sample = bytes.get(..8192).unwrap_or(bytes);
    if sample.contains(&0) {
        return Some("binary data");
    }
    let controls = sample
        .iter()
        .filter(|b| b.is_ascii_control() && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    (controls * 10 > sample.len()).then_some("binary data")
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
    // Mostly ASCII: a NUL in most units' high byte; a few other units
    // (U+0100, U+2000…) may have a NUL in the low one.
    if zeros_odd * 10 >= half * 6 && zeros_even * 20 <= half {
        Some(encoding_rs::UTF_16LE)
    } else if zeros_even * 10 >= half * 6 && zeros_odd * 20 <= half {
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
    fn utf8_cut_in_a_letter_or_with_a_bad_byte_stays_utf8_and_says_so() {
        let text = "Путин встретился с Ким Чен Ыном во Владивостоке. 北京";
        let bytes = text.as_bytes();
        // Cut in the middle of the last letter (a three-byte one).
        let cut = &bytes[..bytes.len() - 1];
        let (read, note) = decode_with_note(cut);
        assert_eq!(read, format!("{}\u{FFFD}", &text[..text.len() - 3]));
        let note = note.expect("a note");
        assert!(
            note.contains("1 place") && note.contains(&format!("byte {}", bytes.len() - 3)),
            "{note}"
        );
        // One corrupt byte in the middle: the first of "т" (bytes 4 and 5),
        // which leaves its second byte stray as well.
        let mut corrupt = bytes.to_vec();
        corrupt[4] = 0xff;
        let (read, note) = decode_with_note(&corrupt);
        assert!(read.starts_with("Пу\u{FFFD}\u{FFFD}ин "), "{read}");
        assert!(read.ends_with("во Владивостоке. 北京"), "{read}");
        assert!(note.is_some_and(|n| n.contains("byte 4")));
        // Valid UTF-8 needs no note.
        assert_eq!(decode_with_note(bytes), (text.to_owned(), None));
    }

    #[test]
    fn legacy_encodings_are_still_guessed_and_named() {
        // "café crème, à côté" in Windows-1252: é, è, à and ô are single bytes.
        let (read, note) = decode_with_note(b"caf\xe9 cr\xe8me, \xe0 c\xf4t\xe9 de l'\xe9glise");
        assert_eq!(read, "café crème, à côté de l'église");
        assert!(note.is_some_and(|n| n.contains("windows-1252") && n.contains("guessed")));
    }

    #[test]
    fn binary_files_are_told_from_text_in_every_encoding() {
        assert_eq!(binary_kind(b"%PDF-1.7\n%\xe2\xe3"), Some("PDF"));
        assert_eq!(binary_kind(b"\x7fELF\x02\x01\x01"), Some("an ELF program"));
        assert_eq!(
            binary_kind(b"PK\x03\x04rest"),
            Some("ZIP archive (or an Office document)")
        );
        assert_eq!(binary_kind(b"\x89PNG\r\n\x1a\n...."), Some("PNG image"));
        assert_eq!(binary_kind(b"text with a \x00 NUL"), Some("binary data"));
        assert_eq!(binary_kind(b"\x01\x02\x03\x04 abc"), Some("binary data"));
        assert_eq!(binary_kind(b"Plain text.\r\n\x0cNext page\tend"), None);
        assert_eq!(
            binary_kind("Arabic \u{0642}\u{0627}\u{0644} and emoji \u{1F600}".as_bytes()),
            None
        );
        assert_eq!(
            binary_kind(&[0xff, 0xfe, b'h', 0, b'i', 0]),
            None,
            "UTF-16 LE with BOM"
        );
        assert_eq!(
            binary_kind(&[0, b'h', 0, b'i', 0, b'!', 0, b'?']),
            None,
            "UTF-16 BE without BOM"
        );
        assert_eq!(binary_kind(b"caf\xe9 cr\xe8me"), None, "Windows-1252");
        assert_eq!(binary_kind(b""), None);
    }

    #[test]
    fn utf16_without_a_bom_utf32_with_one_and_cut_utf8_are_read_right() {
        let text = "Kim met Putin in Vladivostok.";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&le), text);
        assert_eq!(decode(&be), text);
        assert_eq!(binary_kind(&le), None);
        let mut utf32le = vec![0xFF, 0xFE, 0, 0];
        utf32le.extend(text.chars().flat_map(|c| u32::from(c).to_le_bytes()));
        let mut utf32be = vec![0, 0, 0xFE, 0xFF];
        utf32be.extend("🚀 ok".chars().flat_map(|c| u32::from(c).to_be_bytes()));
        assert_eq!(decode(&utf32le), text);
        assert_eq!(decode(&utf32be), "🚀 ok");
        assert_eq!(binary_kind(&utf32be), None);
        // A rocket cut in its last byte, after two whole ones.
        let rockets = "🚀🚀🚀".as_bytes();
        let (read, note) = decode_with_note(&rockets[..rockets.len() - 1]);
        assert_eq!(read, "🚀🚀\u{FFFD}");
        assert!(note.is_some_and(|n| n.contains("UTF-8")));
        // ASCII ending in a cut é.
        assert_eq!(decode(b"Le caf\xc3"), "Le caf\u{FFFD}");
    }

    #[test]
    fn short_western_text_is_windows_1252_and_polish_stays_1250() {
        assert_eq!(decode(b"a na\xefve idea"), "a naïve idea");
        // "Zażółć gęślą jaźń" in Windows-1250.
        let polish = b"Za\xbf\xf3\xb3\xe6 g\xea\x9cl\xb9 ja\x9f\xf1";
        assert_eq!(decode(polish), "Zażółć gęślą jaźń");
    }

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
