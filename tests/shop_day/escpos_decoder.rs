//! A small, strict ESC/POS decoder: the commands saldo's receipts use, turned back into the
//! lines a printer would print, the QR codes it would draw and the raster images it would
//! print. Any byte it does not understand fails the test — a stray byte is a garbled receipt.

/// Code page 858's upper half (bytes 0x80–0xFF), as Python's `cp858` codec decodes it.
const CP858: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈ€ÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u{AD}±‗¾¶§÷¸°¨·¹³²■\u{A0}";

/// A raster image the printer was sent (GS v 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    /// Row by row, `true`: a printed dot.
    pub dots: Vec<bool>,
}

impl Raster {
    /// 8-bit grey pixels, black dots on white.
    pub fn grey(&self) -> Vec<u8> {
        self.dots.iter().map(|d| if *d { 0 } else { 255 }).collect()
    }
}

/// What a printer would make of the bytes.
#[derive(Debug, Default)]
pub struct Printout {
    /// Every printed line in order: text as printed (bold marked `<b>…</b>`, double height
    /// `<big>…</big>`), `[QR data]` where a QR code is printed, `[image W×H]` for a raster.
    pub lines: Vec<String>,
    pub qr_codes: Vec<String>,
    pub images: Vec<Raster>,
    pub cut: bool,
    pub code_page: Option<u8>,
}

impl Printout {
    /// The lines joined, one per row, for a snapshot.
    pub fn transcript(&self) -> String {
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }

    /// All raster images stacked into one, for a snapshot of a Persian receipt.
    pub fn stacked_images(&self) -> Option<Raster> {
        let first = self.images.first()?;
        let mut all = Raster {
            width: first.width,
            height: 0,
            dots: Vec::new(),
        };
        for image in &self.images {
            assert_eq!(
                image.width, all.width,
                "raster images of one receipt share a width"
            );
            all.dots.extend_from_slice(&image.dots);
            all.height += image.height;
        }
        Some(all)
    }
}

/// Decodes ESC/POS `bytes`, panicking at the first byte it cannot place.
pub fn decode(bytes: &[u8]) -> Printout {
    let mut out = Printout::default();
    let mut line: Vec<char> = Vec::new();
    let (mut bold, mut big) = (false, false);
    let mut qr_data: Option<String> = None;
    let mut i = 0;
    let take = |i: usize, n: usize| -> &[u8] {
        assert!(
            i + n <= bytes.len(),
            "a command at byte {i} runs past the end"
        );
        &bytes[i..i + n]
    };
    let finish_line = |out: &mut Printout, line: &mut Vec<char>, bold: bool, big: bool| {
        let text: String = line.drain(..).collect();
        let text = if big {
            format!("<big>{text}</big>")
        } else if bold {
            format!("<b>{text}</b>")
        } else {
            text
        };
        out.lines.push(text);
    };
    while i < bytes.len() {
        match bytes[i] {
            0x0A => {
                finish_line(&mut out, &mut line, bold, big);
                i += 1;
            }
            0x1B => {
                let command = take(i, 2)[1];
                match command {
                    b'@' => {
                        bold = false;
                        big = false;
                        i += 2;
                    }
                    b't' => {
                        out.code_page = Some(take(i, 3)[2]);
                        i += 3;
                    }
                    b'E' => {
                        bold = take(i, 3)[2] != 0;
                        i += 3;
                    }
                    b'a' => {
                        assert!(take(i, 3)[2] <= 2, "justification {}", bytes[i + 2]);
                        i += 3;
                    }
                    b'd' => {
                        // Prints what is buffered, then feeds n lines.
                        let mut feeds = take(i, 3)[2];
                        if !line.is_empty() && feeds > 0 {
                            finish_line(&mut out, &mut line, bold, big);
                            feeds -= 1;
                        }
                        for _ in 0..feeds {
                            out.lines.push(String::new());
                        }
                        i += 3;
                    }
                    other => panic!("unknown ESC {other:#04x} at byte {i}"),
                }
            }
            0x1D => {
                let command = take(i, 2)[1];
                match command {
                    b'!' => {
                        big = take(i, 3)[2] != 0;
                        i += 3;
                    }
                    b'V' => {
                        let mode = take(i, 3)[2];
                        out.cut = true;
                        i += if mode == b'A' || mode == b'B' { 4 } else { 3 };
                    }
                    b'(' => {
                        let head = take(i, 5);
                        assert_eq!(head[2], b'k', "GS ( {} at byte {i}", head[2] as char);
                        let length = usize::from(head[3]) | usize::from(head[4]) << 8;
                        let body = take(i + 5, length);
                        assert_eq!(body[0], 49, "only QR codes (cn 49) are printed");
                        match body[1] {
                            65 | 67 | 69 => {}
                            80 => {
                                assert_eq!(body[2], 48);
                                qr_data = Some(String::from_utf8(body[3..].to_vec()).unwrap());
                            }
                            81 => {
                                let data = qr_data
                                    .take()
                                    .expect("a QR code printed before its data was stored");
                                out.lines.push(format!("[QR {data}]"));
                                out.qr_codes.push(data);
                            }
                            other => panic!("unknown QR function {other} at byte {i}"),
                        }
                        i += 5 + length;
                    }
                    b'v' => {
                        let head = take(i, 8);
                        assert_eq!((head[2], head[3]), (b'0', 0), "GS v 0, normal density");
                        let bytes_per_row = u32::from(head[4]) | u32::from(head[5]) << 8;
                        let height = u32::from(head[6]) | u32::from(head[7]) << 8;
                        let data = take(i + 8, (bytes_per_row * height) as usize);
                        let width = bytes_per_row * 8;
                        let mut dots = Vec::with_capacity((width * height) as usize);
                        for byte in data {
                            for bit in 0..8 {
                                dots.push(byte & (0x80 >> bit) != 0);
                            }
                        }
                        out.lines.push(format!("[image {width}x{height}]"));
                        out.images.push(Raster {
                            width,
                            height,
                            dots,
                        });
                        i += 8 + data.len();
                    }
                    other => panic!("unknown GS {other:#04x} at byte {i}"),
                }
            }
            byte @ 0x20..=0x7E => {
                line.push(byte as char);
                i += 1;
            }
            byte @ 0x80..=0xFF => {
                assert_eq!(
                    out.code_page,
                    Some(19),
                    "a byte above 0x7F before code page 858 was chosen"
                );
                line.push(CP858.chars().nth(usize::from(byte - 0x80)).unwrap());
                i += 1;
            }
            other => panic!("unexpected control byte {other:#04x} at byte {i}"),
        }
    }
    assert!(line.is_empty(), "text left unprinted at the end: {line:?}");
    out
}
