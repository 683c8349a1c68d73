#pragma once
/// One writer per output: an exclusive advisory lock (flock(2)) held for the owner's
/// lifetime. A second csd process that wants the same output fails at once with an
/// error naming the locked path; the kernel drops the lock when the owner exits, even
/// on SIGKILL, so a killed run never leaves a stale lock behind.
#include <string>

namespace csd::io {

class ExclusiveLock {
 public:
  /// Locks `path`: an existing directory, or a regular file (created empty, mode 0644,
  /// when absent). Throws csd::Error naming `path` if another process holds the lock,
  /// if `path` is a symbolic link or a special file, or if it cannot be opened.
  explicit ExclusiveLock(const std::string& path);
  ~ExclusiveLock();
  ExclusiveLock(ExclusiveLock&& other) noexcept;
  ExclusiveLock& operator=(ExclusiveLock&&) = delete;
  ExclusiveLock(const ExclusiveLock&) = delete;
  ExclusiveLock& operator=(const ExclusiveLock&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace csd::io
