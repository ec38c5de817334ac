//! Mend's HTML pages, each under a Content-Security-Policy that allows its
//! own inline style and script by hash only: the widget frame at
//! `/w/{workspace}`, the public scorecard at `/r/{workspace}` (drawn by
//! [`crate::scorecard`]) and the page an email's unsubscribe link opens.

use std::sync::LazyLock;

use mend_core::changes;
use mend_core::input::Locale;
use mend_core::wire::WidgetConfig;
use worker::{Headers, Request, Response};

use crate::ask::Ask;
use crate::auth;
use crate::error::{AppError, AppResult};
use crate::request::query;
use crate::routes::{period, record_view, workspace};
use crate::{scorecard, store};

/// The frame's stylesheet and boot script, inlined so that the first open
/// costs the page, the app's script and its wasm, and no more requests.
/// (The stylesheet carries no comments, as every byte of it is in the first
/// open: inputs stay at 16px so iOS does not zoom; layout uses logical
/// properties so right-to-left languages mirror; 100dvh follows the
/// on-screen keyboard; the company's colour arrives as `--accent`, with a
/// readable `--on-accent`, from the app.)
const FRAME_STYLE: &str = include_str!("../templates/frame.css");
const FRAME_BOOT: &str = r#"import init from "/app/mend_app.js"; init({ module_or_path: "/app/mend_app_bg.wasm" });"#;

/// The CSP sources of the frame's inline script and style, hashed once per
/// isolate rather than per request.
static FRAME_HASHES: LazyLock<(String, String)> = LazyLock::new(|| (csp_hash(FRAME_BOOT), csp_hash(FRAME_STYLE)));

/// The frame's page (`templates/frame.html`). Askama escapes every value
/// for HTML but the inline style and script, which are Mend's own, and the
/// config, which goes through askama's `json` filter (no `<`, `>`, `&` or
/// `'` in it, so nothing in the company's words can close its element).
#[derive(askama::Template)]
#[template(path = "frame.html")]
struct FramePage<'a> {
    lang: &'a str,
    dir: &'static str,
    theme: Option<&'a str>,
    title: String,
    style: &'static str,
    boot: &'static str,
    config: &'a WidgetConfig,
}

/// `GET /w/{workspace}?order=…&locale=…&theme=…`: the widget frame,
/// embeddable only by the workspace's own origins. Opened on its own, with
/// a private link in its fragment, it is the full-page ticket view.
///
/// The workspace's public config travels inside the page, so the widget
/// needs no request for it; the inline style and script are allowed by
/// their hashes, never by `'unsafe-inline'`.
pub(crate) async fn frame(ask: &Ask, req: &Request, ws: &str) -> AppResult<Response> {
    use askama::Template;
    let (id, settings) = workspace(ask, ws).await?;
    let mut config = WidgetConfig::new(id, &settings);
    let locale = query(req, "locale")?.and_then(|raw| Locale::parse(&raw).ok()).unwrap_or(settings.locale.clone());
    config.locale = locale.to_string();
    let theme = query(req, "theme")?.filter(|theme| matches!(theme.as_str(), "light" | "dark"));
    let page = FramePage {
        lang: locale.as_str(),
        dir: if locale.is_rtl() { "rtl" } else { "ltr" },
        theme: theme.as_deref(),
        title: settings.name.to_string(),
        style: FRAME_STYLE,
        boot: FRAME_BOOT,
        config: &config,
    }
    .render()
    .map_err(|e| AppError::Internal(format!("frame page: {e}")))?;
    let ancestors: Vec<&str> = settings.origins.iter().map(|origin| origin.as_str()).collect();
    let (boot_hash, style_hash) = &*FRAME_HASHES;
    let policy = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-{boot_hash}'; style-src 'sha256-{style_hash}'; \
         connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self' {}",
        ancestors.join(" ")
    );
    let headers = Headers::new();
    headers.set("Content-Type", "text/html; charset=utf-8")?;
    headers.set("Content-Security-Policy", policy.trim_end())?;
    headers.set("Referrer-Policy", "no-referrer")?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Cache-Control", "no-cache")?;
    Ok(Response::ok(page)?.with_headers(headers))
}

/// A CSP source hash of an inline element's text.
pub(crate) fn csp_hash(text: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes()))
}

/// `GET /r/{ws}?from=…&to=…`: the public scorecard, an HTML page drawn
/// without JavaScript that any site may embed. Unpublished, it is "nothing
/// here" to everyone but the workspace's own reps and managers, who see it
/// marked as not published (the console's preview).
pub(crate) async fn public_record(ask: &Ask, req: &Request, ws: &str) -> AppResult<Response> {
    let nothing = || AppError::NotFound("There is nothing at this address.");
    let (id, settings) = workspace(ask, ws).await.map_err(|err| match err {
        AppError::NotFound(_) => nothing(),
        other => other,
    })?;
    let preview = !settings.record_public && {
        // A credential that does not hold is simply not a preview.
        let key = auth::staff(&ask.db, ask.credential.as_ref()).await.ok();
        key.is_some_and(|key| key.workspace_id == id.as_str())
    };
    if !settings.record_public && !preview {
        return Err(nothing());
    }
    let period = period(req)?;
    let view = record_view(ask, &id, &settings, period).await?;
    let changes = store::published_changes(&ask.db, &id, changes::SHOWN).await?;
    let page = scorecard::page(&settings.name.to_string(), &view, settings.record_public, &changes)
        .map_err(|e| AppError::Internal(format!("scorecard page: {e}")))?;
    let headers = Headers::new();
    headers.set("Content-Type", "text/html; charset=utf-8")?;
    headers.set("Content-Security-Policy", &scorecard::POLICY)?;
    headers.set("Referrer-Policy", "no-referrer")?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    // A preview is one signed-in person's: no cache may keep it.
    headers.set("Cache-Control", if preview { "private, no-store" } else { "public, max-age=60" })?;
    Ok(Response::ok(page)?.with_headers(headers))
}

/// What the unsubscribe page says: asks (a link opened in a browser never
/// unsubscribes by itself: mail scanners open links), or tells how it went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unsubscribe {
    Ask,
    Done,
    Forged,
}

#[derive(askama::Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    state: Unsubscribe,
}

/// The page at an email's unsubscribe link, in English and German (Mend
/// does not know the reader's language here), under a CSP that allows no
/// script or style and posts its form only to itself.
pub(crate) fn unsubscribe_page(state: Unsubscribe, status: u16) -> AppResult<Response> {
    use askama::Template;
    let page = UnsubscribePage { state }.render().map_err(|e| AppError::Internal(format!("unsubscribe page: {e}")))?;
    let headers = Headers::new();
    headers.set("Content-Type", "text/html; charset=utf-8")?;
    headers.set(
        "Content-Security-Policy",
        "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    )?;
    headers.set("Referrer-Policy", "no-referrer")?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Cache-Control", "no-store")?;
    Ok(Response::ok(page)?.with_status(status).with_headers(headers))
}

#[cfg(test)]
mod tests {
    use askama::Template;
    use mend_core::input::{Apology, CompanyName, WorkspaceId};
    use mend_core::money::Currency;
    use mend_core::workspace::Settings;

    use super::*;

    /// Nothing the company wrote can leave its place in the frame: the name
    /// is escaped in the title, and the config cannot close its script.
    #[test]
    fn the_frame_keeps_the_companys_words_in_their_place() {
        let name = CompanyName::parse("Acme </script><b>\"&'").unwrap();
        let apology = Apology::parse("Sorry </script><script>alert(1)</script>").unwrap();
        let currency = Currency::parse("EUR", mend_core::input::Field::Currency).unwrap();
        let config = WidgetConfig::new(WorkspaceId::parse("acme").unwrap(), &Settings::new(name, apology, currency));
        let page = |theme| {
            FramePage {
                lang: "de",
                dir: "ltr",
                theme,
                title: config.name.clone(),
                style: FRAME_STYLE,
                boot: FRAME_BOOT,
                config: &config,
            }
            .render()
            .unwrap()
        };
        let html = page(Some("dark"));
        assert!(html.starts_with("<!doctype html>\n<html lang=\"de\" dir=\"ltr\" data-theme=\"dark\">\n"));
        assert!(page(None).starts_with("<!doctype html>\n<html lang=\"de\" dir=\"ltr\">\n"));
        assert!(html.contains("<title>Acme &#60;/script&#62;&#60;b&#62;&#34;&#38;&#39;</title>"));
        assert_eq!(html.matches("</script>").count(), 2, "only the boot script and the config close");
        let json = html.split("id=\"mend-config\">").nth(1).unwrap().split("</script>").next().unwrap();
        let read: WidgetConfig = serde_json::from_str(json).unwrap();
        assert_eq!(read, config, "the config reads back whole");
        assert!(html.contains(&format!("<style>{FRAME_STYLE}</style>")));
        assert!(html.contains(&format!("<script type=\"module\">{FRAME_BOOT}</script>")));
    }
}
