//! Sources and extractors: turn files, directories, stdin and URLs into documents.
