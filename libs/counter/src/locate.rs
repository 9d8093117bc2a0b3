//! Where a JSON pointer points in a report's text: the line a vendor opens in its editor when
//! a problem names `/Report_Items/3/Platform`.

/// The line (from 1) of the value `pointer` names in the JSON `text`; when the pointer goes
/// further than the text (a missing member), the line of the deepest value it reached. `None`
/// when `text` is not JSON.
pub fn line_of(text: &str, pointer: &str) -> Option<usize> {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut scan = Scan {
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
    };
    scan.blank();
    let mut line = scan.line;
    for token in &tokens {
        let found = match scan.peek()? {
            b'{' => scan.member(token)?,
            b'[' => match token.parse::<usize>() {
                Ok(index) => scan.element(index)?,
                Err(_) => false,
            },
            _ => false,
        };
        if !found {
            break;
        }
        line = scan.line;
    }
    Some(line)
}

struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        if byte == b'\n' {
            self.line += 1;
        }
        Some(byte)
    }

    fn blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.bump();
        }
    }

    /// Past a string; returns it decoded.
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        self.bump()?;
        loop {
            match self.bump()? {
                b'\\' => {
                    self.bump()?;
                }
                b'"' => break,
                _ => {}
            }
        }
        serde_json::from_slice(&self.bytes[start..self.at]).ok()
    }

    /// Past any value.
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => {
                self.string()?;
            }
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.bump();
                self.blank();
                if self.peek()? == close {
                    self.bump();
                    return Some(());
                }
                loop {
                    if open == b'{' {
                        self.string()?;
                        self.blank();
                        self.bump()?; // the colon
                        self.blank();
                    }
                    self.skip()?;
                    self.blank();
                    match self.bump()? {
                        b',' => self.blank(),
                        byte if byte == close => return Some(()),
                        _ => return None,
                    }
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
                ) {
                    self.bump();
                }
            }
        }
        Some(())
    }

    /// In an object, to the value of member `name`: whether there is one.
    fn member(&mut self, name: &str) -> Option<bool> {
        self.bump();
        self.blank();
        if self.peek()? == b'}' {
            return Some(false);
        }
        loop {
            let key = self.string()?;
            self.blank();
            self.bump()?;
            self.blank();
            if key == name {
                return Some(true);
            }
            self.skip()?;
            self.blank();
            if self.bump()? != b',' {
                return Some(false);
            }
            self.blank();
        }
    }

    /// In an array, to element `index`: whether there is one.
    fn element(&mut self, index: usize) -> Option<bool> {
        self.bump();
        self.blank();
        if self.peek()? == b']' {
            return Some(false);
        }
        for _ in 0..index {
            self.skip()?;
            self.blank();
            if self.bump()? != b',' {
                return Some(false);
            }
            self.blank();
        }
        Some(true)
    }
}

#[cfg(test)]
mod tests {
    use super::line_of;

    const REPORT: &str = "{\n  \"Report_Header\": {\"Release\": \"5.1\"},\n  \"Report_Items\": [\n    {\"Platform\": \"A\"},\n    {\n      \"Platform\": \"B\",\n      \"a/b\": 1\n    }\n  ]\n}\n";

    #[test]
    fn a_pointer_names_the_line_of_its_value() {
        assert_eq!(line_of(REPORT, ""), Some(1));
        assert_eq!(line_of(REPORT, "/Report_Header/Release"), Some(2));
        assert_eq!(line_of(REPORT, "/Report_Items/0/Platform"), Some(4));
        assert_eq!(line_of(REPORT, "/Report_Items/1/Platform"), Some(6));
        assert_eq!(line_of(REPORT, "/Report_Items/1/a~1b"), Some(7));
    }

    #[test]
    fn a_missing_member_names_the_deepest_line_reached() {
        assert_eq!(line_of(REPORT, "/Report_Items/1/Metric_Type"), Some(5));
        assert_eq!(line_of(REPORT, "/Report_Items/7"), Some(3));
    }

    #[test]
    fn text_that_is_not_json_has_no_lines() {
        assert_eq!(line_of("", "/a"), None);
    }
}
