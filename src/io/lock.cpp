#include "csd/io/lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "csd/core/error.h"
#include "csd/io/fs.h"

namespace csd::io {

ExclusiveLock::ExclusiveLock(const std::string& path) : path_(path) {
  require_replaceable(path, /*directory_allowed=*/true);
  struct stat before {};
  const bool is_directory = ::stat(path.c_str(), &before) == 0 && S_ISDIR(before.st_mode);
  // O_NOFOLLOW: a link planted between the check and the open is refused, not followed.
  const int flags = is_directory ? (O_RDONLY | O_DIRECTORY) : (O_RDWR | O_CREAT | O_NOFOLLOW);
  fd_ = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw Error("cannot create or lock '" + path + "': " + std::strerror(errno) +
                "; choose another output path");
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    if (error == ENOLCK || error == EOPNOTSUPP || error == ENOSYS) {
      // As HDF5 does: a file system without locks still works, unguarded.
      spdlog::warn("the file system of '{}' does not support locks ({}); a second writer of "
                   "this output would not be detected",
                   path, std::strerror(error));
      return;
    }
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK)
      throw Error("'" + path + "' is locked by another csd process that is writing this "
                  "output; wait for it to finish, or choose another output path");
    throw Error("cannot lock '" + path + "': " + std::strerror(error));
  }
  // The path may have been unlinked or replaced between open and flock: then the lock
  // guards a file nobody else will open.
  struct stat held {}, now {};
  if (::fstat(fd_, &held) != 0 || ::stat(path.c_str(), &now) != 0 || held.st_ino != now.st_ino ||
      held.st_dev != now.st_dev) {
    ::close(fd_);
    fd_ = -1;
    throw Error("'" + path + "' was replaced by another process while csd locked it; run again");
  }
}

ExclusiveLock::~ExclusiveLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the lock
}

ExclusiveLock::ExclusiveLock(ExclusiveLock&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

}  // namespace csd::io
