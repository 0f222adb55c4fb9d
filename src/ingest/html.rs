//! HTML pages: the article's main text (navigation, comments, share buttons and related-link
//! lists dropped, by readability scoring), its title, and its publication date from the page
//! metadata (`article:published_time`, JSON-LD `datePublished`, else the first
//! `<time datetime>`), decoded from the charset the HTTP header or the page declares.

use dom_smoothie::{Config, Readability, TextMode};
use encoding_rs::Encoding;

use crate::model::Document;

/// An HTML page read into a document: its text, title, date and the encoding it was in.
#[derive(Debug, Clone)]
pub struct Page {
    /// The document (id, text, title, published, url).
    pub document: Document,
    /// The name of the encoding the bytes were decoded from (the tests check it).
    #[cfg_attr(not(test), allow(dead_code))]
    pub encoding: &'static str,
}

/// Decodes page bytes: a byte-order mark, then the header's charset, then a `<meta>`
/// declaration in the first 4 KB, then UTF-8 when the bytes are valid UTF-8, else
/// windows-1252 (what browsers assume).
pub fn decode(bytes: &[u8], header_charset: Option<&str>) -> (String, &'static str) {
    let declared = header_charset
        .and_then(|c| Encoding::for_label(c.trim().as_bytes()))
        .or_else(|| meta_charset(bytes));
    let encoding = match (Encoding::for_bom(bytes), declared) {
        (Some((e, _)), _) => e,
        (None, Some(e)) => e,
        (None, None) if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        (None, None) => encoding_rs::WINDOWS_1252,
    };
    let (text, used, _) = encoding.decode(bytes);
    (text.into_owned(), used.name())
}

/// The charset a page declares in `<meta charset=...>` or `<meta http-equiv ... charset=...>`.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let at = find(&lower, b"charset=")?;
    let rest = &head[at + b"charset=".len()..];
    let rest = rest
        .strip_prefix(b"\"")
        .or(rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| matches!(b, b'"' | b'\'' | b';' | b'>' | b' ' | b'/'))
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..end])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The `datePublished` of a JSON-LD block, read by hand when the readability pass did not
/// (a block without `@context`, say).
fn json_ld_published(html: &str) -> Option<String> {
    let at = html.find("\"datePublished\"")?;
    let rest = html[at + "\"datePublished\"".len()..].trim_start();
    let rest = rest.strip_prefix(':')?.trim_start().strip_prefix('"')?;
    rest.split('"').next().map(str::to_string)
}

/// The first `<time datetime="...">` of a page.
fn time_datetime(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<time") {
        let start = from + i;
        let end = start + lower[start..].find('>')?;
        let tag = &html[start..end];
        let tag_lower = &lower[start..end];
        if let Some(a) = tag_lower.find("datetime=") {
            let v = &tag[a + "datetime=".len()..];
            let quote = v.chars().next()?;
            let v = if quote == '"' || quote == '\'' {
                v[1..].split(quote).next()?
            } else {
                v.split([' ', '>']).next()?
            };
            return Some(v.trim().to_string());
        }
        from = end;
    }
    None
}

/// A page with no article in it.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The HTML could not be read.
    #[error("not a readable HTML page")]
    Unreadable(#[source] dom_smoothie::ReadabilityError),
    /// Nothing in the page reads as an article.
    #[error("no article text found")]
    NoArticle(#[source] Option<dom_smoothie::ReadabilityError>),
    /// More HTML than one article: refused before it is parsed.
    #[error("a page of {bytes} bytes, more than the {MAX_PAGE_BYTES} read as one article")]
    TooLarge {
        /// The page's size.
        bytes: usize,
    },
    /// So little text that the page is an error, login or maintenance page, not an article.
    #[error(
        "no article text found: {words} words (a page of fewer than {MIN_ARTICLE_WORDS} is taken \
         for an error or maintenance page)"
    )]
    TooShort {
        /// The words of the page's main text.
        words: usize,
    },
}

/// The largest HTML page read (8 MiB): parsing takes about 60 times a page's size in
/// memory, so a larger one fails before it is parsed.
pub const MAX_PAGE_BYTES: usize = 8 << 20;

/// The fewest words of main text a page must have to be read as an article. Shorter pages
/// are refused, so that a maintenance page answered with `200 OK` never replaces the last
/// good copy of an article in the cache.
pub const MIN_ARTICLE_WORDS: usize = 20;

/// Reads an HTML page into a document with id `id`; `url` resolves relative links.
pub fn read_page(
    id: &str,
    source: &str,
    bytes: &[u8],
    header_charset: Option<&str>,
    url: Option<&str>,
) -> Result<Page, PageError> {
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(PageError::TooLarge { bytes: bytes.len() });
    }
    let (html, encoding) = decode(bytes, header_charset);
    let cfg = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let mut reader =
        Readability::new(html.as_str(), url, Some(cfg)).map_err(PageError::Unreadable)?;
    let article = reader.parse().map_err(|e| PageError::NoArticle(Some(e)))?;
    let date = |s: &str| super::parse_date(s).or_else(|| s.get(..10).and_then(super::parse_date));
    let published = article
        .published_time
        .as_deref()
        .and_then(date)
        .or_else(|| json_ld_published(&html).as_deref().and_then(date))
        .or_else(|| time_datetime(&html).as_deref().and_then(date));
    let text = paragraphs(&article.text_content);
    if text.trim().is_empty() {
        return Err(PageError::NoArticle(None));
    }
    let words = text.split_whitespace().count();
    if words < MIN_ARTICLE_WORDS {
        return Err(PageError::TooShort { words });
    }
    let title = article.title.trim();
    Ok(Page {
        document: Document {
            id: id.to_string(),
            title: (!title.is_empty()).then(|| title.to_string()),
            text,
            source: source.to_string(),
            url: url.map(str::to_string),
            outlet: article.site_name.clone(),
            published,
        },
        encoding,
    })
}

/// Text with one blank line between paragraphs and no runs of spaces, as the extractor
/// reads paragraphs.
fn paragraphs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Shelling kills nine in Ariha - Example Wire</title>
<meta property="article:published_time" content="2019-05-14T09:30:00Z"></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Shelling kills nine in Ariha</h1>
<p>Nine civilians were killed on Monday when shells hit a market in Ariha, local medics said.
The wounded were taken to hospitals in Idlib, where doctors reported that supplies were low.</p>
<p>Residents said the shelling came from positions south of the town and lasted for most of
the morning, leaving several buildings damaged and the main road closed to traffic.</p>
<p>Rescue workers searched the rubble until the evening for people still missing.</p>
</article>
<aside><h2>Related</h2><ul><li><a href="/a">Twenty killed in an unrelated place far away</a></li>
<li><a href="/b">Markets fall again</a></li></ul></aside>
<footer>Share this story | Comments (3)</footer>
</body></html>"#;

    #[test]
    fn the_article_text_title_and_date_without_navigation_or_related_links() {
        let page = read_page("p", "p.html", PAGE.as_bytes(), None, None).unwrap();
        let d = &page.document;
        assert!(
            d.text.starts_with("Shelling kills nine in Ariha")
                || d.text.starts_with("Nine civilians"),
            "{}",
            d.text
        );
        assert!(d.text.contains("Nine civilians were killed on Monday"));
        assert!(!d.text.contains("Twenty killed"), "{}", d.text);
        assert!(!d.text.contains("Sport"), "{}", d.text);
        assert_eq!(d.published, jiff::civil::Date::new(2019, 5, 14).ok());
        assert!(d
            .title
            .as_deref()
            .unwrap_or("")
            .contains("Shelling kills nine"));
        assert_eq!(page.encoding, "UTF-8");
    }

    #[test]
    fn charsets_from_header_meta_or_bytes() {
        // "حلب" in windows-1256.
        let body = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\"></head><body><p>\xcd\xe1\xc8</p></body></html>";
        let (_, enc) = decode(body, None);
        assert_eq!(enc, "windows-1256");
        let (text, enc) = decode(b"<p>\xcd\xe1\xc8</p>", Some("windows-1256"));
        assert_eq!(enc, "windows-1256");
        assert!(text.contains("حلب"), "{text}");
        let (_, enc) = decode("<p>حلب</p>".as_bytes(), None);
        assert_eq!(enc, "UTF-8");
        let (_, enc) = decode(b"<p>caf\xe9</p>", None);
        assert_eq!(enc, "windows-1252");
    }

    #[test]
    fn time_datetime_is_the_fallback_date() {
        assert_eq!(
            time_datetime(
                r#"<p>Posted <time class="x" datetime="2020-03-01T10:00">1 March</time></p>"#
            )
            .as_deref(),
            Some("2020-03-01T10:00")
        );
        assert_eq!(time_datetime("<p>no time</p>"), None);
    }
}
