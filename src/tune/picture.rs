//! The budget picture: a bar of the memory split between Odoo's processes (at their soft
//! limits), PostgreSQL, the OS reserve and the headroom, and a bar of the CPU slots (Odoo's
//! `2 × CPUs + 1`) split between HTTP and cron workers.

use super::Planner;
use crate::stack::budget::{PROCESS_ESTIMATE, max_workers_for, os_reserve};
use crate::units::Bytes;
use serde::Serialize;
use std::fmt::Write as _;

/// One part of a bar.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Segment {
    /// The letter that draws it.
    pub glyph: char,
    pub label: String,
    pub bytes: u64,
    /// How it is made: "8 × 576 MiB".
    pub detail: String,
}

/// The memory and CPU split of a plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Budget {
    /// What the bar stands for: Odoo's memory budget (the host, or the Odoo unit's limit).
    pub memory: u64,
    pub memory_origin: String,
    /// Every part but the headroom, in order.
    pub segments: Vec<Segment>,
    /// What is left (0 when over).
    pub headroom: u64,
    /// How far the parts exceed the memory (0 when they fit).
    pub over: u64,
    /// Odoo's expected use: processes × 325 MiB (the deployment guide's average).
    pub expected: u64,
    pub processes: u64,
    /// PostgreSQL's parts when it lives outside the bar's budget (the Odoo unit has its own
    /// limit): the host's memory and the parts.
    pub postgres_outside: Option<(u64, Vec<Segment>)>,
    pub cpus: u32,
    pub cpus_origin: String,
    /// `2 × CPUs + 1`.
    pub slots: u64,
    pub http: u64,
    pub cron: u64,
    pub threaded: bool,
}

impl Budget {
    /// The split of the planner's decisions.
    pub fn of(p: &Planner) -> Budget {
        let o = &p.odoo;
        let memory = p.host.memory.value.0;
        let mut segments = Vec::new();
        if o.known && o.prefork {
            segments.push(Segment {
                glyph: 'H',
                label: "HTTP workers".into(),
                bytes: o.http.saturating_mul(o.soft),
                detail: format!("{} × {}", o.http, Bytes(o.soft)),
            });
            segments.push(Segment {
                glyph: 'C',
                label: "cron workers".into(),
                bytes: o.cron.saturating_mul(o.soft),
                detail: format!("{} × {}", o.cron, Bytes(o.soft)),
            });
            segments.push(Segment {
                glyph: 'G',
                label: "gevent (websocket)".into(),
                bytes: o.gevent.saturating_mul(o.gevent_soft),
                detail: format!("{} × {}", o.gevent, Bytes(o.gevent_soft)),
            });
        } else if o.known {
            segments.push(Segment {
                glyph: 'T',
                label: "Odoo (threaded)".into(),
                bytes: PROCESS_ESTIMATE.0,
                detail: format!("1 process, about {PROCESS_ESTIMATE}"),
            });
        }
        let pg_parts = |s: &super::PgState| -> Vec<Segment> {
            vec![
                Segment {
                    glyph: 'B',
                    label: "PostgreSQL shared_buffers".into(),
                    bytes: s.shared_buffers,
                    detail: Bytes(s.shared_buffers).to_string(),
                },
                Segment {
                    glyph: 'W',
                    label: "PostgreSQL work memory".into(),
                    bytes: s.max_connections.saturating_mul(s.work_mem).saturating_add(s.maintenance_work_mem),
                    detail: format!(
                        "{} × {} + {} maintenance",
                        s.max_connections,
                        Bytes(s.work_mem),
                        Bytes(s.maintenance_work_mem)
                    ),
                },
            ]
        };
        let mut postgres_outside = None;
        if let Some(s) = p.pg.first() {
            if p.host.pg_shares_budget || !o.known {
                segments.extend(pg_parts(s));
            } else if let Some(h) = &p.host.pg_memory {
                postgres_outside = Some((h.value.0, pg_parts(s)));
            }
        }
        let reserve = os_reserve(Bytes(memory)).0;
        segments.push(Segment { glyph: 'O', label: "OS and page cache".into(), bytes: reserve, detail: "reserve".into() });
        let used: u64 = segments.iter().fold(0u64, |a, s| a.saturating_add(s.bytes));
        Budget {
            memory,
            memory_origin: p.host.memory.origin.to_string(),
            headroom: memory.saturating_sub(used),
            over: used.saturating_sub(memory),
            segments,
            expected: if o.known { o.processes().saturating_mul(PROCESS_ESTIMATE.0) } else { 0 },
            processes: if o.known { o.processes() } else { 0 },
            postgres_outside,
            cpus: p.host.cpus.value,
            cpus_origin: p.host.cpus.origin.to_string(),
            slots: max_workers_for(p.host.cpus.value),
            http: if o.known && o.prefork { o.http } else { 0 },
            cron: if o.known && o.prefork { o.cron } else { 0 },
            threaded: o.known && !o.prefork,
        }
    }
}

/// Cells of a bar.
pub const WIDTH: usize = 60;

/// Splits `width` cells between `parts` in proportion, every non-empty part at least one.
pub fn cells(parts: &[u64], width: usize) -> Vec<usize> {
    let total: u64 = parts.iter().fold(0u64, |a, p| a.saturating_add(*p));
    if total == 0 {
        return vec![0; parts.len()];
    }
    let mut out: Vec<usize> = parts
        .iter()
        .map(|&b| if b == 0 { 0 } else { ((b as f64 / total as f64) * width as f64).round().max(1.0) as usize })
        .collect();
    // make them add up to `width`: trim or pad the largest
    loop {
        let sum: usize = out.iter().sum();
        if sum == width {
            break;
        }
        let Some(i) = out.iter().enumerate().max_by_key(|(_, c)| **c).map(|(i, _)| i) else { break };
        if sum > width {
            if out[i] <= 1 {
                break;
            }
            out[i] -= 1;
        } else {
            out[i] += 1;
        }
    }
    out
}

fn paint(glyph: char, n: usize, color: bool) -> String {
    let s: String = std::iter::repeat_n(glyph, n).collect();
    if !color || n == 0 {
        return s;
    }
    let code = match glyph {
        'H' => "44",
        'C' => "46",
        'G' => "45",
        'T' => "44",
        'B' => "43",
        'W' => "41",
        'O' => "100",
        _ => return s,
    };
    format!("\x1b[{code};97m{s}\x1b[0m")
}

fn pct(part: u64, whole: u64) -> String {
    if whole == 0 { String::new() } else { format!("{:>3.0} %", part as f64 * 100.0 / whole as f64) }
}

/// The memory bar with its legend, and the CPU bar.
pub fn render(b: &Budget, color: bool) -> String {
    let mut out = String::new();
    let total = b.memory.max(b.segments.iter().fold(0u64, |a, s| a.saturating_add(s.bytes)));
    let mut parts: Vec<u64> = b.segments.iter().map(|s| s.bytes).collect();
    parts.push(b.headroom);
    let widths = cells(&parts, WIDTH);
    let _ = writeln!(out, "Memory: {} ({})", Bytes(b.memory), b.memory_origin);
    let mut bar = String::from("  [");
    for (s, w) in b.segments.iter().zip(&widths) {
        bar.push_str(&paint(s.glyph, *w, color));
    }
    bar.push_str(&paint('·', *widths.last().unwrap_or(&0), false));
    bar.push(']');
    let _ = writeln!(out, "{bar}");
    for s in b.segments.iter().filter(|s| s.bytes > 0) {
        let _ = writeln!(
            out,
            "   {} {:<26} {:>10}  {}  {}",
            s.glyph,
            s.label,
            Bytes(s.bytes).to_string(),
            pct(s.bytes, total),
            s.detail
        );
    }
    if b.headroom > 0 {
        let _ = writeln!(out, "   · {:<26} {:>10}  {}", "headroom", Bytes(b.headroom).to_string(), pct(b.headroom, total));
    }
    if b.over > 0 {
        let _ = writeln!(out, "   ! over the budget by {}", Bytes(b.over));
    }
    if b.processes > 0 {
        let _ = writeln!(
            out,
            "   Odoo's expected use is {} processes × {PROCESS_ESTIMATE} = {}: soft limits are ceilings of virtual size, and the room under them caches files",
            b.processes,
            Bytes(b.expected)
        );
    }
    if let Some((host, segs)) = &b.postgres_outside {
        let pg: u64 = segs.iter().fold(0u64, |a, s| a.saturating_add(s.bytes));
        let _ = writeln!(
            out,
            "   PostgreSQL, outside the limit of Odoo's unit or container, in the {} it leaves: {}",
            Bytes(*host),
            Bytes(pg)
        );
        for s in segs {
            let _ = writeln!(out, "   {} {:<26} {:>10}  {}", s.glyph, s.label, Bytes(s.bytes).to_string(), s.detail);
        }
    }
    // CPU: the slots of Odoo's rule of thumb.
    let _ = writeln!(out, "CPU: {} ({}) → {} busy Odoo processes at most (2 × {} + 1)", b.cpus, b.cpus_origin, b.slots, b.cpus);
    if b.threaded {
        let _ = writeln!(out, "  threaded mode: one process serves every request on one CPU at a time");
        return out;
    }
    if b.processes == 0 {
        return out; // no Odoo in the stack
    }
    let busy = b.http.saturating_add(b.cron);
    let width = (b.slots.max(busy) as usize).min(WIDTH);
    let w = cells(&[b.http, b.cron, b.slots.saturating_sub(busy)], width);
    let _ = writeln!(out, "  [{}{}{}]", paint('H', w[0], color), paint('C', w[1], color), paint('·', w[2], false));
    let _ = writeln!(out, "   {} HTTP + {} cron; the gevent process (I/O-bound) and PostgreSQL share the cores", b.http, b.cron);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_add_up_and_keep_small_parts() {
        assert_eq!(cells(&[50, 50], 10), vec![5, 5]);
        let c = cells(&[1000, 1, 1], 10);
        assert_eq!(c.iter().sum::<usize>(), 10);
        assert!(c[1] >= 1 && c[2] >= 1);
        assert_eq!(cells(&[0, 0], 10), vec![0, 0]);
        assert_eq!(cells(&[8, 1, 0], 9), vec![8, 1, 0]);
    }
}
