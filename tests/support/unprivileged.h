#pragma once
/// Runs a check as an unprivileged user, so permission tests mean the same as root (CI)
/// and as a normal user: root ignores directory permissions, "nobody" does not.
#include <grp.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <functional>
#include <string>

namespace csd::test {

inline constexpr uid_t kNobody = 65534;

/// Runs `body` in a forked child that first drops to uid/gid 65534 when this process is
/// root, and returns the text the body returned (or how the child failed). The child
/// never returns into the test runner: it reports through a pipe and exits.
inline std::string run_unprivileged(const std::function<std::string()>& body) {
  int fds[2];
  if (::pipe(fds) != 0) return std::string("pipe failed: ") + std::strerror(errno);
  const pid_t pid = ::fork();
  if (pid < 0) return std::string("fork failed: ") + std::strerror(errno);
  if (pid == 0) {
    ::close(fds[0]);
    std::string result;
    if (::geteuid() == 0 &&
        (::setgroups(0, nullptr) != 0 || ::setresgid(kNobody, kNobody, kNobody) != 0 ||
         ::setresuid(kNobody, kNobody, kNobody) != 0)) {
      result = std::string("cannot drop privileges: ") + std::strerror(errno);
    } else if (::geteuid() == 0) {
      result = "still root";
    } else {
      try {
        result = body();
      } catch (const std::exception& e) {
        result = std::string("uncaught exception: ") + e.what();
      }
    }
    for (std::size_t done = 0; done < result.size();) {
      const ssize_t n = ::write(fds[1], result.data() + done, result.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string result;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) result.append(buffer, n);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) result += " (child did not exit cleanly)";
  return result;
}

}  // namespace csd::test
