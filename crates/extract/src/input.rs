//! Input enumeration: files, directories (recursive, sorted) and stdin.

use std::path::{Path, PathBuf};

use crate::ExtractError;

/// One input to extract: its name (a path, or `-` for stdin) and where to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File { name: String, path: PathBuf },
    Stdin,
}

impl Input {
    /// The name used in output and error messages.
    pub fn name(&self) -> &str {
        match self {
            Input::File { name, .. } => name,
            Input::Stdin => "-",
        }
    }

    /// Opens the input for reading.
    pub fn open(&self) -> Result<Box<dyn std::io::Read>, ExtractError> {
        match self {
            Input::Stdin => Ok(Box::new(std::io::stdin().lock())),
            Input::File { name, path } => std::fs::File::open(path)
                .map(|f| Box::new(f) as Box<dyn std::io::Read>)
                .map_err(|e| ExtractError::Io {
                    input: name.clone(),
                    detail: e.to_string(),
                }),
        }
    }
}

/// Expands `paths` into inputs: `-` is stdin, a directory is walked recursively in sorted
/// order (hidden entries skipped), a file is itself. Unreadable paths become errors.
pub fn inputs(paths: &[PathBuf]) -> impl Iterator<Item = Result<Input, ExtractError>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Ok(Input::Stdin));
            continue;
        }
        walk(p, &mut out, 0);
    }
    out.into_iter()
}

fn walk(p: &Path, out: &mut Vec<Result<Input, ExtractError>>, depth: usize) {
    let name = p.display().to_string();
    let meta = match std::fs::metadata(p) {
        Ok(m) => m,
        Err(e) => {
            return out.push(Err(ExtractError::Io {
                input: name,
                detail: e.to_string(),
            }))
        }
    };
    if meta.is_dir() {
        if depth > 64 {
            return out.push(Err(ExtractError::Io {
                input: name,
                detail: "directory nesting too deep".into(),
            }));
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(p) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                return out.push(Err(ExtractError::Io {
                    input: name,
                    detail: e.to_string(),
                }))
            }
        };
        entries.sort();
        for e in entries {
            if e.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            walk(&e, out, depth + 1);
        }
    } else {
        out.push(Ok(Input::File {
            name,
            path: p.to_path_buf(),
        }));
    }
}
