//! Sinks: the corpus as contract JSON, a Markdown dossier or a self-contained HTML page.
