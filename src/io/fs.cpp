#include "csd/io/fs.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>

#include "csd/core/error.h"

namespace csd::io {
namespace fs = std::filesystem;

namespace {

std::string parent_directory(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

/// Closes a stdio file on scope exit (error paths included).
struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};

}  // namespace

void require_file(const std::string& path, const std::string& expected) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  require(fs::exists(status), "'" + path + "' does not exist; " + expected);
  require(!fs::is_directory(status), "'" + path + "' is a directory; " + expected);
}

bool file_exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

void ensure_directory(const std::string& path) {
  require(!path.empty(), "empty directory name; pass an output directory");
  std::error_code ec;
  if (fs::is_directory(path, ec)) return;
  fs::create_directories(path, ec);
  if (ec || !fs::is_directory(path))
    throw Error("cannot create directory '" + path +
                "': " + (ec ? ec.message() : std::string("a file with that name exists")) +
                "; choose another output path");
}

void require_replaceable(const std::string& path, bool directory_allowed) {
  std::error_code ec;
  const fs::file_status link = fs::symlink_status(path, ec);
  if (ec || link.type() == fs::file_type::not_found || link.type() == fs::file_type::regular)
    return;
  if (directory_allowed && fs::is_directory(path, ec)) return;
  const char* kind = "a special file";
  switch (link.type()) {
    case fs::file_type::symlink: kind = "a symbolic link"; break;
    case fs::file_type::directory: kind = "a directory"; break;
    case fs::file_type::character: kind = "a character device"; break;
    case fs::file_type::block: kind = "a block device"; break;
    case fs::file_type::fifo: kind = "a FIFO"; break;
    case fs::file_type::socket: kind = "a socket"; break;
    default: break;
  }
  throw Error("'" + path + "' exists and is " + kind + ", not a " +
              (directory_allowed ? "regular file or directory" : "regular file") +
              "; csd never replaces it (not even with --overwrite): choose another output path");
}

void require_writable_parent(const std::string& path) {
  const std::string dir = parent_directory(path);
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw Error("cannot write '" + path + "': '" + dir +
                "' is a file, not a directory; choose another path");
  if (!fs::is_directory(dir, ec))
    throw Error("cannot write '" + path + "': directory '" + dir +
                "' does not exist; create it or choose another path");
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw Error("cannot write '" + path + "': directory '" + dir + "' is not writable (" +
                std::strerror(errno) + "); choose another output path");
}

std::string temporary_path(const std::string& path) { return path + ".tmp"; }

void atomic_rename(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec)
    throw Error("cannot rename '" + from + "' to '" + to + "': " + ec.message() +
                "; check permissions and free space");
}

void atomic_write_text(const std::string& path, const std::string& text) {
  require_writable_parent(path);
  const std::string tmp = temporary_path(path);
  {
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(tmp.c_str(), "wb"));
    if (!file)
      throw Error("cannot write '" + path + "': " + std::strerror(errno) +
                  "; choose another output path");
    const bool written = std::fwrite(text.data(), 1, text.size(), file.get()) == text.size() &&
                         std::fflush(file.get()) == 0 && ::fsync(::fileno(file.get())) == 0;
    if (!written) {
      const std::string reason = std::strerror(errno);
      file.reset();
      std::remove(tmp.c_str());
      throw Error("cannot write '" + path + "': " + reason + " (disk full?)");
    }
  }
  atomic_rename(tmp, path);
}

}  // namespace csd::io
