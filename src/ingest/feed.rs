//! RSS and Atom feeds (feed-rs): each item becomes a document with its date, from the item's
//! full content when it has one, else from the page its link points to.

use jiff::civil::Date;

/// One item of a feed.
#[derive(Debug, Clone)]
pub struct FeedItem {
    /// A stable id: the item's guid/id, else its link.
    pub id: String,
    /// The item's title.
    pub title: Option<String>,
    /// The page the item points to.
    pub link: Option<String>,
    /// Publication (else update) date.
    pub published: Option<Date>,
    /// The item's full text when the feed carries it (not a teaser).
    pub text: Option<String>,
}

/// Shortest item content taken as the article itself rather than a teaser.
const FULL_CONTENT_CHARS: usize = 400;

/// True when the bytes look like an RSS or Atom feed.
pub fn looks_like_feed(bytes: &[u8], content_type: Option<&str>) -> bool {
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    if ct.contains("rss") || ct.contains("atom") {
        return true;
    }
    let head: String = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with("<?xml") && (head.contains("<rss") || head.contains("<feed"))
        || head.starts_with("<rss")
        || head.starts_with("<feed")
}

/// A body that is not an RSS or Atom feed.
#[derive(Debug, thiserror::Error)]
#[error("not a valid RSS or Atom feed")]
pub struct FeedError(#[source] feed_rs::parser::ParseFeedError);

/// The items of a feed.
pub fn read_feed(bytes: &[u8], source: &str) -> Result<Vec<FeedItem>, FeedError> {
    // Relative links resolve against a feed's URL; a saved file has none.
    let base = (source.starts_with("http://") || source.starts_with("https://")).then_some(source);
    let feed = feed_rs::parser::Builder::new()
        .base_uri(base)
        .build()
        .parse(bytes)
        .map_err(FeedError)?;
    let mut items = Vec::new();
    for e in feed.entries {
        let link = e.links.first().map(|l| l.href.clone());
        let id = if e.id.trim().is_empty() {
            link.clone().unwrap_or_default()
        } else {
            e.id.clone()
        };
        if id.is_empty() {
            continue;
        }
        let published = e
            .published
            .or(e.updated)
            .and_then(|t| t.to_rfc3339().get(..10).and_then(super::parse_date));
        let body = e
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| e.summary.as_ref().map(|s| s.content.clone()));
        let text = body
            .map(|b| strip_tags(&b))
            .filter(|t| t.chars().count() >= FULL_CONTENT_CHARS);
        items.push(FeedItem {
            id,
            title: e.title.map(|t| strip_tags(&t.content)),
            link,
            published,
            text,
        });
    }
    Ok(items)
}

/// Text of an HTML fragment: tags dropped (scripts and styles with their content), blocks
/// as paragraphs, the common entities decoded.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[lt + 1..lt + gt].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        rest = &rest[lt + gt + 1..];
        if matches!(name.as_str(), "script" | "style") && !tag.starts_with('/') {
            let close = format!("</{name}");
            match rest.to_ascii_lowercase().find(&close) {
                Some(end) => {
                    rest = &rest[end..];
                    if let Some(gt) = rest.find('>') {
                        rest = &rest[gt + 1..];
                    }
                }
                None => rest = "",
            }
            continue;
        }
        if matches!(
            name.as_str(),
            "p" | "br" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "tr" | "blockquote"
        ) {
            out.push_str("\n\n");
        }
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    decoded
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let ch = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_and_atom_items_with_dates_and_full_or_teaser_content() {
        let long = "Nine civilians were killed in Ariha on Monday, medics said. ".repeat(10);
        let rss = format!(
            r#"<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>
<item><title>Teaser</title><link>http://x/a</link><guid>a</guid><pubDate>Tue, 14 May 2019 09:30:00 GMT</pubDate><description>Short.</description></item>
<item><title>Full</title><link>http://x/b</link><guid>b</guid><pubDate>Wed, 15 May 2019 09:30:00 GMT</pubDate><description><![CDATA[<p>{long}</p>]]></description></item>
</channel></rss>"#
        );
        assert!(looks_like_feed(rss.as_bytes(), None));
        let items = read_feed(rss.as_bytes(), "http://x/feed").unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].link.as_deref(), Some("http://x/a"));
        assert!(items[0].text.is_none());
        assert_eq!(items[0].published, Date::new(2019, 5, 14).ok());
        assert!(items[1]
            .text
            .as_deref()
            .unwrap()
            .starts_with("Nine civilians"));

        let atom = r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>W</title><id>w</id><updated>2019-05-14T00:00:00Z</updated>
<entry><title>One</title><id>urn:1</id><link href="http://x/c"/><updated>2019-05-13T08:00:00Z</updated><summary>Teaser</summary></entry></feed>"#;
        let items = read_feed(atom.as_bytes(), "http://x/atom").unwrap();
        assert_eq!(items[0].id, "urn:1");
        assert_eq!(items[0].published, Date::new(2019, 5, 13).ok());
        assert!(read_feed(b"<rss><channel><item>", "http://x/bad").is_err());
    }

    #[test]
    fn tags_and_entities() {
        assert_eq!(
            strip_tags("<p>A &amp; B</p><script>x()</script><p>C&#39;s &#x41;</p>"),
            "A & B\n\nC's A"
        );
    }
}
