//! The default output: each diagnostic rendered by miette the way rustc renders an error —
//! the code, the message, a snippet per file with underlined labels, and `help:`.
//! A finding that spans files shows the primary file first and each other file as a
//! related block with its own snippet.

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::files::FileSet;
use crate::source::{FileId, SourceFile};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::borrow::Cow;
use std::fmt;

/// Rendering options.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style { color: false, unicode: true, width: 100 }
    }
}

/// One file's text as miette reads it, named by its display path.
struct FileSource<'a> {
    name: &'a str,
    text: Cow<'a, str>,
}

impl SourceCode for FileSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_ref().read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// A diagnostic's part in one file, as miette sees it.
struct Part<'a> {
    message: String,
    code: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    source: FileSource<'a>,
    labels: Vec<LabeledSpan>,
    related: Vec<Part<'a>>,
}

impl fmt::Debug for Part<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Part<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Part<'_> {}

impl miette::Diagnostic for Part<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code.as_ref().map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
    }
}

fn span_in(src: &SourceFile, range: crate::source::TextRange) -> SourceSpan {
    let start = src.display_offset(range.start as usize);
    let end = src.display_offset(range.end as usize);
    SourceSpan::new(start.into(), end - start)
}

fn part<'a>(files: &'a FileSet, d: &Diagnostic, file: FileId, primary: bool) -> Part<'a> {
    let src = files.source(file);
    let mut labels = Vec::new();
    for (i, l) in d.labels().enumerate() {
        if l.span.file != file {
            continue;
        }
        let text = if l.message.is_empty() { None } else { Some(l.message.clone()) };
        let span = span_in(src, l.span.range);
        labels.push(if i == 0 { LabeledSpan::new_primary_with_span(text, span) } else { LabeledSpan::new_with_span(text, span) });
    }
    let (message, code, severity, help) = if primary {
        let mut help_lines: Vec<String> = Vec::new();
        if let Some(h) = &d.help {
            help_lines.push(h.clone());
        }
        // the fix comes straight after the help (or stands as it), the notes last: "or lower
        // `workers`" reads as an alternative to the fix above it
        if let Some(fix) = &d.fix {
            let how = match fix.applicability {
                Applicability::Safe => "--fix",
                Applicability::Unsafe => "--fix --unsafe-fixes",
            };
            help_lines.push(format!("fix ({}, `{how}`): {}", fix.applicability.as_str(), fix.title));
        }
        for n in &d.notes {
            // with no help or fix, the first note stands as the help line
            help_lines.push(if help_lines.is_empty() { n.clone() } else { format!("note: {n}") });
        }
        let help = if help_lines.is_empty() { None } else { Some(help_lines.join("\n")) };
        (d.message.clone(), Some(format!("{}({})", d.code, d.name)), severity(d.severity), help)
    } else {
        (format!("and in {}", src.display), None, miette::Severity::Advice, None)
    };
    Part {
        message,
        code,
        severity,
        help,
        source: FileSource { name: &src.display, text: src.display_text() },
        labels,
        related: Vec::new(),
    }
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// Renders one diagnostic.
pub fn render(files: &FileSet, d: &Diagnostic, style: Style) -> String {
    let mut main = part(files, d, d.primary.span.file, true);
    for other in d.files().into_iter().skip(1) {
        main.related.push(part(files, d, other, false));
    }
    // miette prints help before related blocks: move it after the last one, so a cross-file
    // finding reads snippet, snippet, help.
    if let Some(last) = main.related.last_mut() {
        last.help = main.help.take();
    }
    let theme = match (style.unicode, style.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, true) => GraphicalTheme::ascii(),
        (false, false) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(1)
        .with_show_related_as_nested(true);
    let mut out = String::new();
    if handler.render_report(&mut out, &main).is_err() {
        // miette could not read a span: fall back to one plain line rather than losing the finding
        let src = files.source(d.primary.span.file);
        let lc = src.line_col(d.primary.span.range.start as usize);
        out = format!("{}:{}:{}: {} [{}] {}\n", src.display, lc.line, lc.column, d.code, d.severity, d.message);
    }
    out
}
