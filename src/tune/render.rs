//! The plan for people (text: the budget picture, each change with its formula and inputs,
//! what stays and why, then the diff) and for programs (one JSON document).

use super::plan::{Decision, Item, Kind, Value};
use super::write::Tuned;
use super::{StackPlan, picture};
use serde_json::{Value as Json, json};
use std::fmt::Write as _;

fn why_kept(item: &Item) -> String {
    match &item.decision {
        Decision::Change => "changes".into(),
        // a value the planner keeps as it is says why in its formula ("kept: …")
        Decision::Equal => item.formula.strip_prefix("kept: ").unwrap_or("already the computed value").into(),
        Decision::Close => format!("within 5 % of {}", item.target),
        Decision::Sane if item.goal == super::plan::Goal::AtLeast => format!("at least the {} needed", item.target),
        Decision::Sane => "yours, within the sane range".into(),
        Decision::Pinned => "pinned by `[tune] keep`".into(),
        Decision::Blocked(why) => format!("should be {}, but {why}", item.target),
    }
}

fn shown(v: Option<&Value>) -> String {
    match v {
        Some(v) if v.kind == Kind::Bytes && v.amount >= u64::MAX as f64 => "unlimited".into(),
        Some(v) if v.kind == Kind::Seconds && v.written == "infinity" => "infinity".into(),
        Some(v) => v.to_string(),
        None => "unset".into(),
    }
}

/// One stack's plan: picture, changes, kept values, notes.
pub fn stack_text(plan: &StackPlan, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Stack `{}` ({})", plan.stack, plan.version);
    out.push_str(&picture::render(&plan.budget, color));
    let changes: Vec<&Item> = plan.changes().collect();
    out.push('\n');
    if changes.is_empty() {
        let _ = writeln!(out, "Nothing to change: every value is within 5 % of the computed one, sane, or pinned.");
    } else {
        let _ = writeln!(out, "Changes ({}):", changes.len());
        // Odoo first, then PostgreSQL, nginx and the system; each file in the order met.
        let mut locations: Vec<&str> = Vec::new();
        for item in &changes {
            if !locations.contains(&item.location.as_str()) {
                locations.push(&item.location);
            }
        }
        let rank = |i: &Item| match i.place {
            super::plan::Place::Odoo { .. } => 0,
            super::plan::Place::Postgres { .. } => 1,
            super::plan::Place::Nginx { .. } => 2,
            super::plan::Place::Unit { .. } => 3,
            super::plan::Place::Limits { .. } => 4,
            super::plan::Place::Compose { .. } => 5,
        };
        // a location's rank is its first item's: a compose service that gets Odoo options and
        // `ulimits` shows once
        let rank_of = |l: &str| changes.iter().filter(|i| i.location == l).map(|i| rank(i)).min().unwrap_or(0);
        let mut ordered: Vec<&&Item> = changes.iter().collect();
        ordered.sort_by_key(|i| (rank_of(&i.location), locations.iter().position(|l| *l == i.location), rank(i)));
        let mut last_location = "";
        for item in ordered {
            if item.location != last_location {
                let _ = writeln!(out, "  {}", item.location);
                last_location = &item.location;
            }
            let _ = writeln!(
                out,
                "    {:<30} {} → {}   ({})",
                item.key,
                shown(item.current.value.as_ref()),
                item.target,
                item.current.origin
            );
            let _ = writeln!(out, "        = {}", item.formula);
            if !item.inputs.is_empty() {
                let inputs: Vec<String> = item.inputs.iter().map(|i| format!("{} {} ({})", i.name, i.value, i.origin)).collect();
                let _ = writeln!(out, "        inputs: {}", inputs.join("; "));
            }
        }
    }
    let kept: Vec<&Item> = plan.items.iter().filter(|i| !i.decision.changes()).collect();
    if !kept.is_empty() {
        let _ = writeln!(out, "Kept ({}):", kept.len());
        for item in kept {
            let _ = writeln!(out, "    {:<30} {}   {}", item.key, shown(item.current.value.as_ref()), why_kept(item));
        }
    }
    for n in &plan.notes {
        let code = n.code.map(|c| format!(" ({c})")).unwrap_or_default();
        let _ = writeln!(out, "{}{code}: {}", n.severity, n.text);
    }
    out
}

/// The whole report: each stack's plan, then the diff.
pub fn text(tuned: &Tuned, color: bool) -> String {
    let mut out = String::new();
    for planned in &tuned.plans {
        match planned {
            Ok(plan) => out.push_str(&stack_text(plan, color)),
            Err((name, missing)) => {
                let facts: Vec<&str> = missing.iter().map(|f| f.as_str()).collect();
                let how: Vec<&str> = missing.iter().map(|f| f.how()).collect();
                let _ =
                    writeln!(out, "Stack `{name}`: not tuned, its {} unknown: give {}", facts.join(" and "), how.join(", and "));
            }
        }
        out.push('\n');
    }
    for f in tuned.fixed.files.values() {
        out.push_str(&f.diff());
    }
    out
}

fn value_json(v: &Value) -> Json {
    let amount = if v.amount.is_finite() && v.amount < u64::MAX as f64 { json!(v.amount) } else { Json::Null };
    json!({ "kind": v.kind, "amount": amount, "written": v.written, "shown": v.to_string() })
}

fn item_json(item: &Item) -> Json {
    let (decision, why) = match &item.decision {
        Decision::Blocked(w) => ("blocked", Some(w.clone())),
        Decision::Change => ("change", None),
        Decision::Equal => ("equal", None),
        Decision::Close => ("close", None),
        Decision::Sane => ("sane", None),
        Decision::Pinned => ("pinned", None),
    };
    json!({
        "key": item.key,
        "location": item.location,
        "current": { "value": item.current.value.as_ref().map(value_json), "origin": item.current.origin },
        "target": value_json(&item.target),
        "goal": item.goal,
        "decision": decision,
        "why": why,
        "formula": item.formula,
        "inputs": item.inputs,
    })
}

/// One JSON document: `{"version": 1, "stacks": [...], "files": [...], "converged": bool}`.
pub fn json(tuned: &Tuned) -> String {
    let stacks: Vec<Json> = tuned
        .plans
        .iter()
        .map(|planned| match planned {
            Ok(plan) => json!({
                "name": plan.stack,
                "odoo": plan.version,
                "host": {
                    "cpus": { "value": plan.host.cpus.value, "origin": plan.host.cpus.origin.to_string() },
                    "memory": { "value": plan.host.memory.value.0, "origin": plan.host.memory.origin.to_string() },
                    "postgresql_memory": plan.host.pg_memory.as_ref().map(|m| json!({ "value": m.value.0, "origin": m.origin.to_string() })),
                    "postgresql_shares_budget": plan.host.pg_shares_budget,
                },
                "settings": plan.items.iter().map(item_json).collect::<Vec<_>>(),
                "notes": plan.notes,
                "budget": plan.budget,
            }),
            Err((name, missing)) => json!({
                "name": name,
                "missing": missing.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
            }),
        })
        .collect();
    let files: Vec<Json> = tuned
        .fixed
        .files
        .values()
        .map(|f| {
            let mut keys: Vec<&str> = f.codes.iter().map(|c| c.2).collect();
            keys.sort_unstable();
            keys.dedup();
            json!({ "path": f.display, "settings": keys, "diff": f.diff() })
        })
        .collect();
    let doc = json!({ "version": 1, "stacks": stacks, "files": files, "converged": tuned.fixed.converged });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
