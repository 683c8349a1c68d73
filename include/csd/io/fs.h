#pragma once
/// Small file-system helpers shared by every writer: directories that exist or a clear
/// error, and text files replaced atomically (temp file + rename, so a reader never
/// sees a half-written file and a crash never damages the previous version).
#include <string>

namespace csd::io {

/// True when `path` names an existing file or directory.
bool file_exists(const std::string& path);

/// Throws csd::Error unless `path` names an existing file that is not a directory. The
/// message is "'<path>' does not exist; <expected>" or "'<path>' is a directory; <expected>",
/// e.g. expected = "csd info expects a dataset (.h5) or a checkpoint (.pt) file".
void require_file(const std::string& path, const std::string& expected);

/// Creates `path` and its parents if needed. Throws csd::Error naming the path and the
/// reason (e.g. permission denied, a file is in the way).
void ensure_directory(const std::string& path);

/// Throws csd::Error unless a new file can be created in the directory that would hold
/// `path` (the directory must exist and be writable). Checked before long work starts.
void require_writable_parent(const std::string& path);

/// Throws csd::Error unless `path` is absent or a regular file (or, with
/// `directory_allowed`, a directory or a link to one): csd replaces only what it could
/// have written itself, never a symbolic link to a file, a device, a FIFO or a socket.
void require_replaceable(const std::string& path, bool directory_allowed = false);

/// Name of the temporary sibling used while writing `path` ("<path>.tmp").
std::string temporary_path(const std::string& path);

/// Renames `from` to `to`, replacing `to` atomically (same file system). Throws
/// csd::Error with both names on failure.
void atomic_rename(const std::string& from, const std::string& to);

/// Writes `text` to "<path>.tmp", flushes, and renames it over `path`.
/// Throws csd::Error naming the path if it cannot be written; `path` is then untouched.
void atomic_write_text(const std::string& path, const std::string& text);

}  // namespace csd::io
