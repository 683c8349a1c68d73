#pragma once
/// The one user-facing error type, and a check for internal invariants.
///
/// csd::Error says what is wrong with the input or the environment; commands catch it
/// at the top and print `error: <message>` with a non-zero exit. Library messages state
/// the fact (which file, sequence, frame, value); advice that holds only for one command
/// (a flag to pass) is added by that command.
///
///   require(n > 0, "grid size N = {} must be positive", n);   // user input: always on
///   CSD_ASSERT(index < size);                                 // a bug if false: debug only
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>

namespace csd {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// Always-on check for user input: throws csd::Error(message) when `ok` is false.
inline void require(bool ok, const std::string& message) {
  if (!ok) throw Error(message);
}

/// The same with an fmt format string, checked at compile time; the message is only
/// formatted when `ok` is false. (At least one argument: a plain string takes the
/// overload above.)
template <class Arg, class... Args>
void require(bool ok, fmt::format_string<Arg, Args...> format, Arg&& arg, Args&&... args) {
  if (!ok) throw Error(fmt::format(format, std::forward<Arg>(arg), std::forward<Args>(args)...));
}

namespace detail {
/// Reports a failed CSD_ASSERT and aborts: a broken invariant is a bug in csd, not an
/// input error, and no caller can recover from it.
[[noreturn]] inline void assertion_failed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "csd: internal error: CSD_ASSERT(%s) failed at %s:%d\n", condition, file,
               line);
  std::abort();
}
}  // namespace detail

}  // namespace csd

/// Checks an internal invariant in debug builds (without NDEBUG) and compiles to nothing
/// in release builds, where the condition is not evaluated (so it must have no effects).
#ifdef NDEBUG
#define CSD_ASSERT(condition) static_cast<void>(sizeof(!(condition)))
#else
#define CSD_ASSERT(condition) \
  ((condition) ? static_cast<void>(0) : ::csd::detail::assertion_failed(#condition, __FILE__, __LINE__))
#endif
