//! Which Odoo major version a stack runs: from odoo-lint.toml, paths and values that name a
//! version (`/opt/odoo17`, `odoo-16.0/addons`), and, when nothing says, "unknown", which the
//! version-dependent rules read as the newest version (and rule OL007 says so).

use crate::files::{FileKind, FileSet};
use crate::source::{FileId, Span, TextRange};

/// The oldest and newest major versions odoo-lint knows.
pub const OLDEST: u8 = 14;
pub const NEWEST: u8 = 19;

/// Where the version came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionSource {
    /// `odoo-version` in odoo-lint.toml or `--odoo-version`.
    Configured(String),
    /// A path or value that names the version, with its place.
    Named { what: String, span: Span },
    /// Addons of the tree whose manifest versions name the series (`17.0.1.0.0`).
    Addons(String),
    /// Nothing said: the newest version is assumed.
    Assumed,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OdooVersion {
    /// The major version rules use (always within OLDEST..=NEWEST).
    pub major: u8,
    pub source: VersionSource,
    /// A version found outside the range odoo-lint knows (e.g. 12), clamped in `major`.
    pub out_of_range: Option<u32>,
}

/// The oldest version whose options a file uses, and the option that says so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Floor {
    pub major: u8,
    pub key: String,
    pub span: Span,
}

impl OdooVersion {
    pub fn assumed() -> OdooVersion {
        OdooVersion { major: NEWEST, source: VersionSource::Assumed, out_of_range: None }
    }
    pub fn is_known(&self) -> bool {
        !matches!(self.source, VersionSource::Assumed)
    }
    fn from_number(n: u32, source: VersionSource) -> OdooVersion {
        let major = n.clamp(OLDEST as u32, NEWEST as u32) as u8;
        let out_of_range = (n != major as u32).then_some(n);
        OdooVersion { major, source, out_of_range }
    }
    /// "Odoo 17" or "Odoo 19 (assumed)".
    pub fn label(&self) -> String {
        if self.is_known() { format!("Odoo {}", self.major) } else { format!("Odoo {} (assumed)", self.major) }
    }
}

/// Finds an Odoo version number named in a path or value: `odoo17`, `odoo-16.0`, `odoo_18`,
/// `/16.0/`, `odoo:17.0`, `odoo-server-15`. Returns the number and its byte range.
pub fn version_in(text: &str) -> Option<(u32, std::ops::Range<usize>)> {
    let lower = text.to_ascii_lowercase();
    let b = lower.as_bytes();
    // `odoo` followed by up to one separator and a number
    let mut from = 0;
    while let Some(pos) = lower[from..].find("odoo") {
        let start = from + pos;
        let mut i = start + 4;
        // allow "odoo-server-15", "odoo_v16"
        for skip in ["-server", "_server", "server"] {
            if lower[i..].starts_with(skip) {
                i += skip.len();
                break;
            }
        }
        if i < b.len() && matches!(b[i], b'-' | b'_' | b':' | b' ' | b'/' | b'v') {
            i += 1;
        }
        if i < b.len() && b[i] == b'v' {
            i += 1;
        }
        let num_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let followed_ok = i >= b.len() || !b[i].is_ascii_alphabetic() || lower[i..].starts_with(".0");
        if i > num_start
            && i - num_start <= 2
            && followed_ok
            && let Ok(n) = lower[num_start..i].parse::<u32>()
            && (8..=30).contains(&n)
        {
            return Some((n, start..i));
        }
        from = start + 4;
    }
    // a series directory such as `/16.0/` or `-17.0/`
    let mut i = 0;
    while i + 4 <= b.len() {
        if b[i].is_ascii_digit() && b[i + 1].is_ascii_digit() && lower[i + 2..].starts_with(".0") {
            let before_ok = i == 0 || matches!(b[i - 1], b'/' | b'-' | b'_' | b' ' | b':');
            let after = i + 4;
            let after_ok = after >= b.len() || matches!(b[after], b'/' | b'-' | b'_' | b' ' | b'\n' | b',');
            if before_ok && after_ok {
                let n: u32 = lower[i..i + 2].parse().ok()?;
                if (8..=30).contains(&n) {
                    return Some((n, i..after));
                }
            }
        }
        i += 1;
    }
    None
}

/// Detects the version of a stack made of `files`.
pub fn detect(fs: &FileSet, files: &[FileId], configured: Option<(u32, String)>, clues: &[crate::discover::Clue]) -> OdooVersion {
    if let Some((n, origin)) = configured {
        return OdooVersion::from_number(n, VersionSource::Configured(origin));
    }
    // Values of odoo.conf options that hold paths.
    for &id in files {
        let entry = fs.get(id);
        if entry.kind != FileKind::OdooConf {
            continue;
        }
        let Some(conf) = fs.odoo_conf(id) else {
            continue;
        };
        for key in ["addons_path", "data_dir", "logfile", "pidfile"] {
            if let Some(e) = conf.get("options", key) {
                let value = e.value_full_range.of(&entry.source.text);
                if let Some((n, r)) = version_in(value) {
                    let start = e.value_full_range.start as usize + r.start;
                    let span = Span::new(id, TextRange::new(start, e.value_full_range.start as usize + r.end));
                    return OdooVersion::from_number(
                        n,
                        VersionSource::Named { what: format!("`{key}` names `{}`", &value[r]), span },
                    );
                }
            }
        }
    }
    // Addon manifests: OCA and most addons put the series first (`17.0.1.0.0`).
    let mut series: std::collections::BTreeMap<u32, (usize, String)> = std::collections::BTreeMap::new();
    for c in clues {
        if let crate::discover::ClueKind::Addon { name, version: Some(v) } = &c.kind {
            let parts: Vec<&str> = v.split('.').collect();
            if parts.len() == 5
                && parts[1] == "0"
                && let Ok(n) = parts[0].parse::<u32>()
                && (8..=30).contains(&n)
            {
                let e = series.entry(n).or_insert((0, format!("addon `{name}` is version {v}")));
                e.0 += 1;
            }
        }
    }
    if let Some((&n, (count, example))) = series.iter().max_by_key(|(_, (count, _))| *count) {
        let what = if *count > 1 { format!("{count} addons are for {n}.0 (e.g. {example})") } else { example.clone() };
        return OdooVersion::from_number(n, VersionSource::Addons(what));
    }
    // Options that only newer versions have: with nothing else to go on, the newest of them
    // gives a floor; when that floor is the newest version, it is the version.
    if let Some(floor) = floor(fs, files)
        && floor.major == NEWEST
    {
        return OdooVersion::from_number(
            floor.major as u32,
            VersionSource::Named { what: format!("`{}` exists only in Odoo {}", floor.key, floor.major), span: floor.span },
        );
    }
    OdooVersion::assumed()
}

/// The oldest version that has every option the stack's odoo.conf uses (only options added
/// in a later version count: old options linger in files after upgrades).
pub fn floor(fs: &FileSet, files: &[FileId]) -> Option<Floor> {
    let mut best: Option<Floor> = None;
    for &id in files {
        let Some(conf) = fs.odoo_conf(id) else { continue };
        for e in conf.items("options") {
            let Some(opt) = crate::odoo::options::lookup(&e.key) else { continue };
            let versions = opt.versions();
            let Some(first) = (OLDEST..=NEWEST).find(|&v| versions.contains(v)) else { continue };
            let continuous = (first..=NEWEST).all(|v| versions.contains(v));
            if first > OLDEST && continuous && best.as_ref().is_none_or(|b| first > b.major) {
                best = Some(Floor { major: first, key: e.key.clone(), span: Span::new(id, e.key_range) });
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_versions_in_paths() {
        assert_eq!(version_in("/opt/odoo17/addons").map(|v| v.0), Some(17));
        assert_eq!(version_in("/opt/odoo-16.0/addons").map(|v| v.0), Some(16));
        assert_eq!(version_in("/srv/odoo_18/odoo/addons").map(|v| v.0), Some(18));
        assert_eq!(version_in("/home/odoo/src/15.0/addons").map(|v| v.0), Some(15));
        assert_eq!(version_in("odoo:17.0").map(|v| v.0), Some(17));
        assert_eq!(version_in("/opt/odoo-server-14/addons").map(|v| v.0), Some(14));
        assert_eq!(version_in("/mnt/extra-addons"), None);
        assert_eq!(version_in("/usr/lib/python3/dist-packages/odoo/addons"), None);
        assert_eq!(version_in("/opt/odoo/custom/addons,/opt/odoo/odoo/addons"), None);
        assert_eq!(version_in("/var/lib/odoo2"), None);
    }
}
