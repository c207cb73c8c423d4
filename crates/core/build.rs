//! Embeds every file under `lang/<code>/` so that adding a language means adding a folder.
use std::{env, fs, path::Path};

fn main() {
    // The manifest dir at run time, not `env!` at compile time: a build script binary can be
    // reused for another checkout of the same crate, which must embed its own `lang/`.
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("../../lang");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut langs: Vec<_> = fs::read_dir(&root)
        .expect("lang/ folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .collect();
    langs.sort_by_key(|e| e.file_name());
    let mut out = String::from("&[\n");
    for lang in langs {
        let code = lang.file_name().to_string_lossy().into_owned();
        println!("cargo:rerun-if-changed={}", lang.path().display());
        let mut files: Vec<_> = fs::read_dir(lang.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .collect();
        files.sort_by_key(|e| e.file_name());
        out.push_str(&format!("    ({code:?}, &[\n"));
        for f in files {
            let name = f.file_name().to_string_lossy().into_owned();
            let path = fs::canonicalize(f.path()).unwrap();
            println!("cargo:rerun-if-changed={}", path.display());
            out.push_str(&format!(
                "        ({name:?}, include_str!({:?})),\n",
                path.display().to_string()
            ));
        }
        out.push_str("    ]),\n");
    }
    out.push_str("]\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("lang_files.rs");
    fs::write(dest, out).unwrap();
}
