//! The shape of the code, pinned: data flows one way (form → template →
//! ingest → checks → score → model → report → output), the result model
//! imports nothing from the checks or the outputs, and no two modules import
//! each other in a loop. Read from the sources themselves.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level module a source file belongs to (`src/ingest/ods.rs` → `ingest`).
fn module_of(path: &Path, src: &Path) -> String {
    let rel = path.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// Top-level modules each module imports through `crate::` paths.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let module = module_of(&path, &src);
            if matches!(module.as_str(), "main" | "cli" | "term" | "lib") {
                continue; // the binary and the crate root
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests may reach anywhere; only the code itself counts.
            let code: String = text
                .split("#[cfg(test)]")
                .next()
                .unwrap()
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            let deps = graph.entry(module.clone()).or_default();
            for (i, _) in code.match_indices("crate::") {
                let rest = &code[i + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module && name.chars().next().unwrap().is_lowercase()
                {
                    deps.insert(name);
                }
            }
            // `use crate::{a, b}` groups.
            for (i, _) in code.match_indices("use crate::{") {
                let rest = &code[i + "use crate::{".len()..];
                let group = &rest[..rest.find('}').unwrap_or(0)];
                for part in group.split(',') {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != module {
                        deps.insert(name);
                    }
                }
            }
        }
    }
    graph
}

#[test]
fn the_model_imports_nothing_from_checks_or_outputs() {
    let graph = imports();
    let model = &graph["model"];
    for forbidden in ["checks", "report", "output", "rekap", "app", "score"] {
        assert!(
            !model.contains(forbidden),
            "model imports {forbidden}: {model:?}"
        );
    }
    // Nor do the checks reach down into the pipeline, the model or the outputs.
    for forbidden in ["rekap", "model", "report", "output", "app"] {
        assert!(
            !graph["checks"].contains(forbidden),
            "checks import {forbidden}: {:?}",
            graph["checks"]
        );
    }
    assert!(
        !graph["roster"].contains("ingest"),
        "the roster is loaded before any report is read: {:?}",
        graph["roster"]
    );
}

#[test]
fn no_two_modules_import_each_other_in_a_loop() {
    let graph = imports();
    // Depth-first search for a cycle, reporting its path.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for dep in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(dep, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, &graph, &mut Vec::new(), &mut done) {
            panic!("import loop: {}", cycle.join(" → "));
        }
    }
}
